"""The skeleton of the yearly business report (事業報告): for each pillar of the plan, in the
plan's order, its measures, what the records say happened in the fiscal year, and the KPI
figures at the year's end (or today, while the year is not over).

Which records go under which pillar is the center's reading of its plan:
I 気運づくり: members joined and withdrawn; II モデルづくり: sites designated, model projects'
steps, grants to corporations (研究・開発助成); III 市町村域ネットづくり: networks established,
outreach visits, grants to networks (設立助成); IV ひとづくり: the events held; V 見える化: the
survey rounds with the 「している」 KPI, cases published; VI ソーシャルアクション: proposals
submitted. An event is listed under its own pillar.

Every list is read in a fixed number of queries, whatever the number of records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from sasaeai.casebook.models import Case
from sasaeai.core.dates import end_of_day, fiscal_year_label, fiscal_year_range
from sasaeai.events.reports import Figures, figures_by_event, held_events
from sasaeai.grants.models import ApplicantKind, Decision
from sasaeai.members.models import MembershipEvent
from sasaeai.members.models.membership import EventKind as MembershipKind
from sasaeai.networks.models import MunicipalNetwork, OutreachVisit
from sasaeai.projects.models import ModelSite, ProjectStatusEntry
from sasaeai.proposals.models import Proposal, ProposalStatus
from sasaeai.regions.models import Center
from sasaeai.surveys.models import Round
from sasaeai.surveys.results import kpi as survey_kpi

from .measuring import read_plan
from .models import Plan, PlanPillar
from .report import KpiRow, as_of_for_fiscal_year, kpi_rows

__all__ = ["BusinessReport", "Section", "Table", "business_report"]

EVENTS_PILLAR = "people"  # events of a pillar the plan does not have are listed here
EVENTS = "開催した講座・研修等"
EVENT_HEADERS = ("開催日", "事業名", "種別", "開催回数", "参加者数")
SUMMARY_LENGTH = 80


@dataclass(frozen=True)
class Table:
    """A table of the report: its title, headers and rows (dates, numbers or texts)."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)
    optional: bool = False  # left out when empty
    listing: bool = True  # rows are records (their number is shown), not a summary


@dataclass
class Section:
    slug: str
    numeral: str
    title: str
    measures: list[str]
    tables: list[Table] = field(default_factory=list)
    kpis: list[KpiRow] = field(default_factory=list)

    @property
    def shown_tables(self) -> list[Table]:
        return [table for table in self.tables if table.rows or not table.optional]


@dataclass(frozen=True)
class BusinessReport:
    plan: Plan
    center_name: str
    fiscal_year: int
    as_of: datetime.date
    sections: list[Section]

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year, style="wareki")

    @property
    def years(self) -> range:
        return range(self.plan.first_fiscal_year, self.plan.last_fiscal_year + 1)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


# What happened, by kind of record ---------------------------------------------------------------


class _Year:
    """The prefecture's records of one fiscal year."""

    def __init__(self, prefecture: str, year: int, now: datetime.datetime):
        self.prefecture, self.year, self.now = prefecture, year, now
        self.first, self.last = fiscal_year_range(year)

    def membership(self) -> Table:
        counts = (
            MembershipEvent.objects.in_force()
            .filter(
                Q(corporation__municipality__prefecture_id=self.prefecture)
                | Q(council__prefecture_id=self.prefecture),
                effective_date__range=(self.first, self.last),
            )
            .aggregate(
                joined=Count("pk", filter=Q(kind=MembershipKind.JOIN)),
                withdrew=Count("pk", filter=Q(kind=MembershipKind.WITHDRAW)),
            )
        )
        return Table(
            "会員の加入・退会",
            ("区分", "件数"),
            [("加入", counts["joined"]), ("退会", counts["withdrew"])],
            listing=False,
        )

    def events(self) -> dict[str, list[tuple]]:
        """The events held in the year, by pillar."""
        held = held_events(prefecture=self.prefecture, fiscal_year=self.year, now=self.now)
        events = held.annotate(first_day=Min("sessions__starts_at")).order_by("first_day", "pk")
        figures = figures_by_event(held, now=self.now)
        rows: dict[str, list[tuple]] = {}
        for event in events:
            counts = figures.get(event.pk, Figures())
            rows.setdefault(event.pillar, []).append(
                (
                    timezone.localtime(event.first_day).date(),
                    event.title,
                    event.get_kind_display(),
                    counts.sessions,
                    counts.participants,
                )
            )
        return rows

    def grants(self) -> dict[str, Table]:
        """Awards decided in the year: to corporations (models), to networks (networks)."""
        decisions = (
            Decision.objects.filter(
                outcome=Decision.Outcome.AWARDED,
                decided_on__range=(self.first, self.last),
                application__call__program__prefecture_id=self.prefecture,
            )
            .select_related(
                "application__corporation", "application__network", "application__call__program"
            )
            .annotate(awarded=Sum("years__amount"))
            .order_by("decided_on", "pk")
        )
        rows: dict[str, list[tuple]] = {"models": [], "networks": []}
        for decision in decisions:
            application = decision.application
            pillar = "networks" if application.applicant_kind == ApplicantKind.NETWORK else "models"
            rows[pillar].append(
                (
                    decision.decided_on,
                    application.call.program.name,
                    str(application.applicant),
                    application.title,
                    decision.awarded or 0,
                )
            )
        headers = ("交付決定日", "助成事業", "申請者", "件名", "交付決定額（円）")
        return {
            "models": Table("モデル事業研究・開発助成の交付決定", headers, rows["models"]),
            "networks": Table("ネットワーク設立助成の交付決定", headers, rows["networks"]),
        }

    def networks(self) -> Table:
        networks = (
            MunicipalNetwork.objects.in_prefecture(self.prefecture)
            .filter(established_on__range=(self.first, self.last))
            .select_related("secretariat")
            .prefetch_related("area")
            .order_by("established_on", "pk")
        )
        rows = [
            (
                network.established_on,
                str(network),
                "、".join(m.name for m in network.area.all()),
                network.secretariat.name if network.secretariat else "",
            )
            for network in networks
        ]
        return Table("設立された市町村域ネットワーク", ("設立日", "名称", "圏域", "事務局"), rows)

    def visits(self) -> Table:
        visits = (
            OutreachVisit.objects.filter(
                prefecture_id=self.prefecture, visited_on__range=(self.first, self.last)
            )
            .select_related("municipality", "network")
            .order_by("visited_on", "pk")
        )
        rows = [
            (
                visit.visited_on,
                visit.municipality.name if visit.municipality else "",
                visit.network.name if visit.network else "",
                _shorten(visit.topics),
            )
            for visit in visits
        ]
        return Table("アウトリーチ支援（訪問）", ("訪問日", "市町村", "ネットワーク", "内容"), rows)

    def sites(self) -> Table:
        sites = (
            ModelSite.objects.filter(
                project__prefecture_id=self.prefecture,
                designated_on__range=(self.first, self.last),
            )
            .select_related("project__theme", "corporation", "network", "municipality")
            .order_by("designated_on", "pk")
        )
        rows = [
            (
                site.designated_on,
                site.project.title,
                site.project.theme.name,
                str(site.holder),
                site.municipality.name,
            )
            for site in sites
        ]
        headers = ("指定日", "モデル事業", "テーマ", "指定先", "市町村")
        return Table("モデル事業の指定", headers, rows)

    def project_steps(self) -> Table:
        steps = (
            ProjectStatusEntry.objects.filter(
                project__prefecture_id=self.prefecture,
                effective_on__range=(self.first, self.last),
            )
            .select_related("project")
            .order_by("effective_on", "pk")
        )
        rows = [
            (step.effective_on, step.project.title, step.get_status_display(), step.note)
            for step in steps
        ]
        return Table("モデル事業の進捗", ("日付", "モデル事業", "段階", "備考"), rows)

    def surveys(self) -> list[Table]:
        rounds = (
            Round.objects.filter(survey__prefecture_id=self.prefecture, fiscal_year=self.year)
            .annotate(
                targets=Count("invitations", distinct=True),
                answered=Count(
                    "responses", filter=Q(responses__submitted_at__isnull=False), distinct=True
                ),
            )
            .order_by("deadline", "pk")
        )
        rows = [
            (
                r.title,
                r.targets,
                r.answered,
                _percent(r.answered / r.targets if r.targets else None),
            )
            for r in rounds
        ]
        figure = survey_kpi(self.prefecture, self.year)
        kpi_row = (
            figure.targets,
            figure.responses,
            _percent(figure.response_rate),
            figure.doing,
            _percent(figure.doing_share),
        )
        return [
            Table("取組状況調査", ("調査名", "対象数", "回答数", "回答率"), rows),
            Table(
                "調査による見える化：「している」回答",
                ("対象数", "回答数", "回答率", "「している」", "割合"),
                [kpi_row] if figure.targets else [],
                listing=False,
            ),
        ]

    def cases(self) -> Table:
        cases = (
            Case.objects.published()
            .filter(
                prefecture_id=self.prefecture,
                published_at__gte=end_of_day(self.first - datetime.timedelta(days=1)),
                published_at__lt=end_of_day(self.last),
            )
            .select_related("corporation", "network", "municipality")
            .only(
                "published_at",
                "title",
                "corporation__name",
                "network__name",
                "network__nickname",
                "municipality__name",
            )
            .order_by("published_at", "pk")
        )
        rows = [
            (
                timezone.localtime(case.published_at).date(),
                case.title,
                str(case.owner),
                case.municipality.name,
            )
            for case in cases
        ]
        return Table("事例集に公開した実践事例", ("公開日", "事例", "実施者", "市町村"), rows)

    def proposals(self) -> Table:
        proposals = (
            Proposal.objects.in_prefecture(self.prefecture)
            .filter(submitted_on__range=(self.first, self.last))
            .exclude(status=ProposalStatus.DRAFT)
            .order_by("submitted_on", "pk")
        )
        rows = [
            (
                proposal.submitted_on,
                proposal.title,
                proposal.addressee,
                proposal.get_status_display(),
            )
            for proposal in proposals
        ]
        return Table("提言", ("提出日", "提言", "提出先", "状況"), rows)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


# The report ---------------------------------------------------------------------------------------


def _tables(year: _Year) -> dict[str, list[Table]]:
    grants = year.grants()
    tables = {
        "momentum": [year.membership()],
        "models": [year.sites(), year.project_steps(), grants["models"]],
        "networks": [year.networks(), year.visits(), grants["networks"]],
        "people": [],
        "visibility": [*year.surveys(), year.cases()],
        "social-action": [year.proposals()],
    }
    events = year.events()
    people = sorted(
        row
        for pillar, rows in events.items()
        if pillar == EVENTS_PILLAR or pillar not in tables
        for row in rows
    )
    for pillar, listed in tables.items():
        rows = people if pillar == EVENTS_PILLAR else events.get(pillar, [])
        listed.append(Table(EVENTS, EVENT_HEADERS, rows, optional=pillar != EVENTS_PILLAR))
    return tables


def business_report(
    plan: Plan, fiscal_year: int, *, today: datetime.date, now: datetime.datetime | None = None
) -> BusinessReport:
    """The year's report: raises ``ReportError`` for a fiscal year outside the plan or not
    begun. The KPI figures are those at the year's end, or today while it is not over."""
    as_of = as_of_for_fiscal_year(plan, fiscal_year, today=today)
    year = _Year(plan.prefecture_id, fiscal_year, now or timezone.now())
    tables = _tables(year)
    rows = kpi_rows(read_plan(plan, as_of, today=today, series=False))
    pillars = PlanPillar.objects.filter(plan=plan).prefetch_related("measures").order_by("order")
    sections = [
        Section(
            slug=pillar.slug,
            numeral=pillar.numeral,
            title=pillar.title,
            measures=[measure.title for measure in pillar.measures.all()],
            tables=tables.get(pillar.slug, []),
            kpis=[row for row in rows if row.reading.pillar_slug == pillar.slug],
        )
        for pillar in pillars
    ]
    center = Center.objects.filter(prefecture_id=plan.prefecture_id).first()
    return BusinessReport(
        plan=plan,
        center_name=center.name if center else "",
        fiscal_year=fiscal_year,
        as_of=as_of,
        sections=sections,
    )
