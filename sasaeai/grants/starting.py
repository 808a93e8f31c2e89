"""The two grant programs of the seed, with their rules as data (the demo loads them; a center
can load them as a start and edit them)."""

from __future__ import annotations

from django.db import transaction

from .models import ApplicantKind, GrantProgram

EXPENSE_CATEGORIES = [
    "謝金",
    "旅費",
    "需用費（消耗品費・印刷製本費）",
    "役務費（通信運搬費）",
    "使用料及び賃借料",
    "委託料",
    "備品購入費",
    "その他",
]

PROGRAMS = (
    {
        "code": "model-rd",
        "name": "モデル事業研究・開発助成",
        "purpose": (
            "制度の狭間の課題に対して、取組み意向のある会員をモデル指定し、研究・開発助成を行う。"
            "助成対象は基礎団体会員法人及び市町村域社会福祉法人ネットワーク。"
        ),
        "eligible_kinds": [ApplicantKind.CORPORATION, ApplicantKind.NETWORK],
        "members_only": True,
        "cap_per_year": None,
        "cap_total": 400_000,
        "max_years": 2,
        "max_sites_per_theme": 3,
        "requires_theme": True,
        "expense_categories": EXPENSE_CATEGORIES,
    },
    {
        "code": "network-formation",
        "name": "市町村域ネットワークづくり助成",
        "purpose": (
            "準備段階や設立当初の市町村域の社会福祉法人ネットワークの運営・事業費の一部を"
            "助成する（10万円×2ヵ年）。"
        ),
        "eligible_kinds": [ApplicantKind.NETWORK],
        "members_only": False,
        "cap_per_year": 100_000,
        "cap_total": 200_000,
        "max_years": 2,
        "max_sites_per_theme": None,
        "requires_theme": False,
        "expense_categories": EXPENSE_CATEGORIES,
    },
)


@transaction.atomic
def load_starting_programs(prefecture: str) -> list[GrantProgram]:
    """Create the seed's programs for ``prefecture`` where missing; never overwrite edits."""
    programs = []
    for spec in PROGRAMS:
        fields = dict(spec)
        code = fields.pop("code")
        program, _created = GrantProgram.objects.get_or_create(
            prefecture_id=prefecture, code=code, defaults=fields
        )
        programs.append(program)
    return programs
