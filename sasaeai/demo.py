"""Demo data for ``sasaeai demo``: Okayama's center, fictitious corporations, demo accounts.

Loading is idempotent and never overwrites: what a person changed in the demo stays.
Demo accounts exist only here; production never calls this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

DEMO_PASSWORD = "sasaeai-demo"  # noqa: S105 — printed by design: these are demo logins
OKAYAMA = "33"
TSUYAMA = "332038"
KURASHIKI = "332020"


@dataclass(frozen=True)
class DemoCorporation:
    key: str
    base12: str
    name: str
    kana: str
    municipality: str


# Fictitious corporations (架空): names say so, and ``is_fictitious`` marks them.
CORPORATIONS = (
    DemoCorporation(
        "own",
        "900000000001",
        "社会福祉法人ささえ愛デモ福祉会（架空）",
        "ササエアイデモフクシカイ",
        TSUYAMA,
    ),
    DemoCorporation(
        "other", "900000000002", "社会福祉法人みらいデモ会（架空）", "ミライデモカイ", KURASHIKI
    ),
    DemoCorporation(
        "third",
        "900000000003",
        "社会福祉法人きびデモ保育会（架空）",
        "キビデモホイクカイ",
        "331007",
    ),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    last_name: str
    first_name: str
    role: str  # center_staff, council_staff, corporation_staff or superuser
    target: str  # prefecture code, municipality code or demo corporation key
    description: str


ACCOUNTS = (
    DemoAccount(
        "center-okayama", "岡山", "花子", "center_staff", OKAYAMA, "センター職員（岡山県）"
    ),
    DemoAccount(
        "council-tsuyama", "津山", "太郎", "council_staff", TSUYAMA, "市町村社協職員（津山市）"
    ),
    DemoAccount(
        "corp-staff", "佐々江", "愛", "corporation_staff", "own", "法人職員（ささえ愛デモ福祉会）"
    ),
    DemoAccount(
        "corp-outsider",
        "未来",
        "次郎",
        "corporation_staff",
        "other",
        "別法人の職員（みらいデモ会）: 最初の法人のものは何も見えない",
    ),
    DemoAccount(
        "demo-admin", "システム", "管理者", "superuser", "", "システム管理者（全センター）"
    ),
)


def load_demo() -> str:
    """Load master and demo data; returns a one-line summary."""
    from sasaeai.regions.loading import load_regions

    regions = load_regions()
    with transaction.atomic():
        center = _ensure_okayama_center()
        corporations = _ensure_corporations()
        created = _ensure_accounts(center, corporations)
    return (
        f"地域マスタ: 新規 {regions.created} 更新 {regions.updated} 変更なし {regions.unchanged}"
        f" / センター: {center} / "
        f"デモ法人: {len(corporations)} / 新規デモアカウント: {created} / {_ensure_generated()}"
        f" / {_ensure_networks()} / {_ensure_events(center)} / {_ensure_surveys()}"
        f" / {_ensure_models_and_grants(corporations)} / {_ensure_publishing()}"
        f" / {_ensure_plan()} / {_ensure_stockyard(corporations)}"
    )


def _ensure_plan() -> str:
    """The seed's five-year plan with its targets (re-reading the file changes nothing)."""
    from sasaeai.plan.loading import DATA, load_plan_file

    plan = load_plan_file(OKAYAMA, DATA / "okayama-2018.json")
    return f"中期事業計画: 目標 {plan.targets.count()}件"


def _ensure_stockyard(corporations: dict) -> str:
    """The 緊急一時支援 leading project: stockyards and drop-off points in 岡山市, 倉敷市 and
    津山市, a food drive, lots with dates, and referrals by the demo's staff."""
    from sasaeai.accounts.models import User
    from sasaeai.stockyard import demo as stockyard_demo

    names = {
        "center": "center-okayama",
        "council": "council-tsuyama",
        "corp_staff": "corp-staff",
        "outsider": "corp-outsider",
    }
    users = {key: User.objects.get(username=username) for key, username in names.items()}
    return stockyard_demo.load(OKAYAMA, corporations=corporations, users=users)


def _ensure_okayama_center():
    from sasaeai.regions.models import Center

    center, _created = Center.objects.get_or_create(
        prefecture_id=OKAYAMA,
        defaults={
            "name": "岡山県地域公益活動推進センター",
            "short_name": "岡山ささえ愛センター",
            "operator": "社会福祉法人岡山県社会福祉協議会",
            # The seed's first target: 70 % of facilities and councils by the end of FY H31.
            "settings": {"membership_target": {"rate": 0.7, "deadline": "2020-03-31"}},
        },
    )
    targets = {
        # The seed's second target: 15 municipal areas with a network by the end of FY H31.
        "network_target": {"value": 15, "deadline": "2020-03-31"},
        # Visibility: 70 % of surveyed corporations answer 「している」 by the end of FY H31.
        "survey_target": {"share": 0.7, "deadline": "2020-03-31"},
        # Models: at least 5 model projects developed and shared within the five years.
        "model_project_target": {"value": 5, "deadline": "2023-03-31"},
    }
    missing = {key: value for key, value in targets.items() if key not in center.settings}
    if missing:
        center.settings.update(missing)
        center.save(update_fields=["settings"])
    return center


def _ensure_models_and_grants(corporations: dict) -> str:
    """Pillars II and VI: the seed's themes, model and leading projects, a committee, the two
    grant programs with their FY2018–2019 awards and a call open today, and a proposal."""
    import datetime

    from sasaeai.accounts.models import User
    from sasaeai.activities import demo as activities_demo
    from sasaeai.casebook import demo as casebook_demo
    from sasaeai.grants.demo import ensure_demo_grants
    from sasaeai.members.actions import record_membership_event
    from sasaeai.members.models import MemberType
    from sasaeai.projects import demo as projects_demo
    from sasaeai.proposals import demo as proposals_demo

    center_user = User.objects.get(username="center-okayama")
    # Two demo corporations joined the center in FY2018 (the third, みらい, did not), so that
    # corporation staff can apply for a grant that is for members only.
    for key in ("own", "third"):
        corporation = corporations[key]
        if not corporation.membership_events.exists():
            record_membership_event(
                member=corporation,
                kind="join",
                effective_date=datetime.date(2018, 4, 1),
                by=center_user,
                member_type=MemberType.objects.get(code="basic-corporation"),
            )
    projects = projects_demo.load(OKAYAMA, corporations=[corporations["own"]])
    grants = ensure_demo_grants(OKAYAMA, corporations=corporations, center_user=center_user)
    proposals = proposals_demo.load(OKAYAMA, by=center_user)
    activities = activities_demo.load(OKAYAMA, corporations=corporations, reviewer=center_user)
    cases = casebook_demo.load(OKAYAMA, corporations=corporations, by=center_user)
    return f"{projects} / {grants} / {proposals} / {activities} / {cases}"


def _ensure_publishing() -> str:
    from sasaeai.publishing import demo as publishing_demo

    return publishing_demo.load(OKAYAMA)


def _ensure_surveys() -> str:
    from sasaeai.surveys.demo import ensure_demo_surveys

    return ensure_demo_surveys(OKAYAMA)


def _ensure_events(center) -> str:
    from sasaeai.events.demo import ensure_demo_events

    return ensure_demo_events(OKAYAMA, organiser=str(center))


def _ensure_networks() -> str:
    """The seed's page 11 (networks and steps at 2019-03-31), through the import a user runs;
    importing it again changes nothing. Member corporations are drawn from the fictitious
    registry of each network's area."""
    import datetime

    from sasaeai.members.models import Corporation
    from sasaeai.networks import actions
    from sasaeai.networks.importing import SEED_TABLE, import_networks
    from sasaeai.networks.models import MunicipalNetwork

    result = import_networks(SEED_TABLE, prefecture=OKAYAMA)
    members = 0
    for network in MunicipalNetwork.objects.in_prefecture(OKAYAMA).filter(members=None):
        area = list(network.area.values_list("pk", flat=True))
        joined = network.established_on or datetime.date(2019, 3, 31)
        corporations = (
            Corporation.objects.filter(municipality_id__in=area, closed=None)
            .filter(founded__lte=joined)
            .order_by("corporate_number")[:8]
        )
        for corporation in corporations:
            actions.add_member(network=network, corporation=corporation, joined_on=joined)
            members += 1
    return (
        f"市町村域ネット: 新規 {result.networks_created} 状況 {result.statuses_created}"
        f" 参加法人 {members}"
    )


def _ensure_generated() -> str:
    """Okayama-sized fictitious registry and membership history, generated once."""
    from sasaeai.members.generator import generate, has_generated_data

    if has_generated_data(OKAYAMA):
        return "架空データ: 生成済み"
    result = generate(scale="okayama", seed=1, prefecture=OKAYAMA)
    return (
        f"架空データ: 法人 {result.corporations} 施設 {result.facilities}"
        f" 社協 {result.councils} 加入履歴 {result.events}"
    )


def _ensure_corporations() -> dict:
    from sasaeai.core.hojin import make_corporate_number
    from sasaeai.members.actions import register_corporation
    from sasaeai.members.models import Corporation

    corporations = {}
    for demo in CORPORATIONS:
        number = make_corporate_number(demo.base12)
        existing = Corporation.objects.filter(corporate_number=number).first()
        corporations[demo.key] = existing or register_corporation(
            corporate_number=number,
            name=demo.name,
            name_kana=demo.kana,
            municipality_code=demo.municipality,
            is_fictitious=True,
        )
    return corporations


def _ensure_accounts(center, corporations: dict) -> int:
    from sasaeai.accounts.actions import grant_role
    from sasaeai.accounts.models import User

    created = 0
    for account in ACCOUNTS:
        user, is_new = User.objects.get_or_create(
            username=account.username,
            defaults={
                "last_name": account.last_name,
                "first_name": account.first_name,
                "is_demo": True,
                "is_superuser": account.role == "superuser",
                "is_staff": account.role == "superuser",
            },
        )
        if not is_new:
            continue
        created += 1
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        scope = {
            "center_staff": {"center": center},
            "council_staff": {"municipality_code": account.target},
            "corporation_staff": {"corporation": corporations.get(account.target)},
        }.get(account.role)
        if scope is not None:
            grant_role(user=user, role=account.role, **scope)
    return created


def print_logins(port: int = 8000) -> None:
    port_hint = f"http://127.0.0.1:{port}/"
    print(f"\nデモのログイン（パスワードはすべて {DEMO_PASSWORD}）/ demo logins:")
    for account in ACCOUNTS:
        print(f"  {account.username:<16} {account.description}")
    print(f"\nブラウザで {port_hint} を開いてください。データ: {settings.DATA_DIR}\n")
