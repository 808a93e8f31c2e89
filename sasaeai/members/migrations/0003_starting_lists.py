"""The starting editable lists: sector groups, facility kinds and member types.

Centers edit them afterwards; this migration only adds what is missing.
"""

from django.db import migrations

SECTOR_GROUPS = [
    ("elderly", "老人福祉"),
    ("children", "児童福祉"),
    ("disability", "障害福祉"),
    ("nursery", "保育"),
    ("council", "社協"),
    ("relief", "保護・救護"),
    ("other", "その他"),
]

FACILITY_KINDS = [
    ("special-nursing-home", "特別養護老人ホーム"),
    ("nursing-home", "養護老人ホーム"),
    ("care-house", "軽費老人ホーム（ケアハウス）"),
    ("day-service", "通所介護（デイサービス）"),
    ("home-care", "訪問介護"),
    ("care-management", "居宅介護支援"),
    ("community-center", "地域包括支援センター"),
    ("nursery", "保育所"),
    ("certified-kindergarten", "認定こども園"),
    ("childrens-home", "児童養護施設"),
    ("disability-support", "障害者支援施設"),
    ("continuous-employment-b", "就労継続支援B型事業所"),
    ("daily-life-care", "生活介護事業所"),
    ("group-home", "共同生活援助（グループホーム）"),
    ("relief-facility", "救護施設"),
    ("other", "その他"),
]

MEMBER_TYPES = [
    ("basic-corporation", "基礎団体会員法人", "corporation"),
    ("council", "社協会員", "council"),
]


def add_lists(apps, schema_editor):
    for model_name, rows in (("SectorGroup", SECTOR_GROUPS), ("FacilityKind", FACILITY_KINDS)):
        model = apps.get_model("members", model_name)
        for order, (code, name) in enumerate(rows, start=1):
            model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})
    member_type = apps.get_model("members", "MemberType")
    for order, (code, name, applies_to) in enumerate(MEMBER_TYPES, start=1):
        member_type.objects.get_or_create(
            code=code, defaults={"name": name, "applies_to": applies_to, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_registry_and_membership")]

    operations = [migrations.RunPython(add_lists, migrations.RunPython.noop)]
