from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sasaeai.regions.loading import LoadResult, RegionDataError, load_regions
from sasaeai.regions.models import Municipality, MunicipalityKind, Prefecture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def empty():
    """No regions (the suite's database holds them all): removed within the test's transaction."""
    Municipality.objects.filter(kind=MunicipalityKind.WARD).delete()
    Municipality.objects.all().delete()
    Prefecture.objects.all().delete()


HEADER = "code,prefecture_code,name,kana,kind,parent_code"
SMALL = [
    "330001,33,岡山県,オカヤマケン,prefecture,",
    "331007,33,岡山市,オカヤマシ,designated_city,330001",
    "331015,33,北区,キタク,ward,331007",
    "331023,33,中区,ナカク,ward,331007",
    "332020,33,倉敷市,クラシキシ,city,330001",
    "335860,33,新庄村,シンジヨウソン,village,330001",
]


def write(tmp_path: Path, lines: list[str], name: str = "regions.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_the_real_file_loads_in_a_handful_of_queries(empty, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        result = load_regions()
    assert result == LoadResult(created=47 + 1741 + 175)
    assert Prefecture.objects.count() == 47
    assert Municipality.objects.without_wards().count() == 1741
    assert Municipality.objects.filter(kind=MunicipalityKind.WARD).count() == 175


def test_loading_again_changes_nothing(django_assert_max_num_queries):
    load_regions()
    with django_assert_max_num_queries(6):
        result = load_regions()
    assert result == LoadResult(unchanged=47 + 1741 + 175)


def test_okayama_after_loading():
    load_regions()
    okayama = Municipality.objects.of_prefecture("33").active()
    assert okayama.without_wards().count() == 27
    city = Municipality.objects.get(code="331007")
    assert city.kind == MunicipalityKind.DESIGNATED_CITY
    assert [str(ward) for ward in city.wards.select_related("parent")] == [
        "岡山市北区",
        "岡山市中区",
        "岡山市東区",
        "岡山市南区",
    ]
    ward = Municipality.objects.get(code="331015")
    assert (ward.code5, ward.name, ward.kana, ward.prefecture.name) == (
        "33101",
        "北区",
        "キタク",
        "岡山県",
    )
    assert str(Municipality.objects.get(code="332089")) == "総社市"
    assert Prefecture.objects.get(code="33").local_government_code == "330001"


def test_a_changed_file_updates_names_and_deactivates_removed_codes(empty, tmp_path):
    load_regions(path=write(tmp_path, SMALL))
    changed = [line for line in SMALL if not line.startswith("331023")]
    changed = [line.replace("新庄村,シンジヨウソン", "新荘村,シンジョウソン") for line in changed]
    changed.append("336068,33,鏡野町,カガミノチョウ,town,330001")

    result = load_regions(path=write(tmp_path, changed, "changed.csv"))

    assert result == LoadResult(created=1, updated=1, unchanged=4, deactivated=1)
    village = Municipality.objects.get(code="335860")
    assert (village.name, village.kana, village.is_active) == ("新荘村", "シンジョウソン", True)
    removed = Municipality.objects.get(code="331023")  # kept: records may refer to it
    assert removed.is_active is False
    assert list(Municipality.objects.active().filter(parent_id="331007")) == [
        Municipality.objects.get(code="331015")
    ]


def test_a_code_back_in_the_list_is_active_again(empty, tmp_path):
    load_regions(path=write(tmp_path, SMALL))
    load_regions(path=write(tmp_path, SMALL[:-1], "without.csv"))
    assert not Municipality.objects.get(code="335860").is_active

    result = load_regions(path=write(tmp_path, SMALL, "again.csv"))

    assert result == LoadResult(updated=1, unchanged=5)
    assert Municipality.objects.get(code="335860").is_active


@pytest.mark.parametrize(
    ("bad_line", "field", "reason"),
    [
        ("332039,33,津山市,ツヤマシ,city,330001", "code", "332039"),
        ("33203,33,津山市,ツヤマシ,city,330001", "code", "33203"),
        ("332038,34,津山市,ツヤマシ,city,330001", "prefecture_code", "34"),
        ("332038,33,,ツヤマシ,city,330001", "name", "empty"),
        ("332038,33,津山市,ﾂﾔﾏｼ,city,330001", "kana", "katakana"),
        ("332038,33,津山市,つやまし,city,330001", "kana", "katakana"),
        ("332038,33,津山市,ツヤマシ,metropolis,330001", "kind", "metropolis"),
        ("332038,33,津山市,ツヤマシ,town,330001", "kind", "town"),
        ("332038,33,津山市,ツヤマシ,city,331007", "parent_code", "331007"),
        ("332038,33,津山市,ツヤマシ,city,", "parent_code", "332038"),
        ("331031,33,東区,ヒガシク,ward,330001", "parent_code", "330001"),
        ("331015,33,北区,キタク,ward,331007", "code", "line 4"),
        ("332038,33,津山市,ツヤマシ,city", "row", "6 fields"),
    ],
)
def test_a_bad_row_is_rejected_naming_line_and_field_and_nothing_is_written(
    empty, tmp_path, bad_line, field, reason
):
    lines = [*SMALL, bad_line]  # the bad row is on line 8 (header on line 1)
    with pytest.raises(RegionDataError) as raised:
        load_regions(path=write(tmp_path, lines))
    assert (raised.value.line, raised.value.field) == (8, field)
    assert reason in raised.value.reason
    assert "8" in str(raised.value)
    assert Prefecture.objects.count() == 0
    assert Municipality.objects.count() == 0


def test_a_bad_header_is_rejected(empty, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n330001,岡山県\n", encoding="utf-8")
    with pytest.raises(RegionDataError) as raised:
        load_regions(path=path)
    assert (raised.value.line, raised.value.field) == (1, "header")


def test_a_bad_file_changes_nothing_already_loaded(empty, tmp_path):
    load_regions(path=write(tmp_path, SMALL))
    renamed = [line.replace("倉敷市", "倉敷新市") for line in SMALL]
    with pytest.raises(RegionDataError):
        load_regions(path=write(tmp_path, [*renamed, "999999,99,x,エックス,city,"], "bad.csv"))
    assert Municipality.objects.get(code="332020").name == "倉敷市"


def test_the_command_prints_the_counts(empty, tmp_path):
    out = StringIO()
    call_command("load_regions", path=write(tmp_path, SMALL), stdout=out)
    assert "6 created, 0 updated, 0 unchanged, 0 marked inactive" in out.getvalue()
    assert Municipality.objects.count() == 5


def test_the_command_fails_with_a_message_on_bad_data(empty, tmp_path):
    path = write(tmp_path, [*SMALL, "332039,33,津山市,ツヤマシ,city,330001"])
    with pytest.raises(CommandError, match="Line 8, field code"):
        call_command("load_regions", path=path)
    assert Municipality.objects.count() == 0


def test_the_command_fails_with_a_message_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.csv"):
        call_command("load_regions", path=tmp_path / "nowhere.csv")
