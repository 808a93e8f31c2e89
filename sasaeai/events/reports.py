"""Figures of the events for the plan and for staff: held events, sessions, registrations,
participants and attendances by fiscal year, pillar, municipality and organisation.

An event is held when it is published (not a draft, not cancelled) and at least one of its
sessions has started; only the sessions that have started count, and only attendances at
them. Registrations are the confirmed ones; a participant is a confirmed registration with at
least one attendance. Every figure is computed by the database in a fixed number of queries,
whatever the number of events or people.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sasaeai.core.dates import fiscal_year_label
from sasaeai.core.pillars import PILLARS, PILLARS_BY_SLUG
from sasaeai.core.text import search_key

from .models import Attendance, Event, EventStatus, Registration, RegistrationStatus, Session

__all__ = [
    "NO_MUNICIPALITY",
    "NO_ORGANISATION",
    "MunicipalityRow",
    "OrganisationRow",
    "PillarRow",
    "TrainingReport",
    "YearRow",
    "figures_by_event",
    "held_events",
    "report_workbook",
    "training_report",
    "trainings_held",
]

# Labels of the report's tables (Japanese: they are the center's own words in its reports).
NO_MUNICIPALITY = "その他・個人"
NO_ORGANISATION = "個人・所属なし"
ORGANISATION_KINDS = {
    "corporation": "社会福祉法人",
    "council": "社会福祉協議会",
    "other": "その他",
    "none": "",
}
TOTAL = "合計"
FISCAL_YEAR_STYLE = "wareki"  # 令和元年度, as the center's reports write FY2019


@dataclass(frozen=True)
class Figures:
    """What a row of the report counts."""

    events: int = 0
    sessions: int = 0
    registrations: int = 0
    participants: int = 0
    attendances: int = 0


@dataclass(frozen=True)
class YearRow(Figures):
    fiscal_year: int = 0

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year, style=FISCAL_YEAR_STYLE)


@dataclass(frozen=True)
class PillarRow(Figures):
    pillar: str = ""

    @property
    def label(self) -> str:
        pillar = PILLARS_BY_SLUG.get(self.pillar)
        return f"{pillar.numeral} {pillar.function}" if pillar else self.pillar


@dataclass(frozen=True)
class MunicipalityRow:
    """Participants of one municipality (wards folded into their city); ``code`` empty for
    registrations without a corporation or council placed in a municipality."""

    code: str
    name: str
    registrations: int
    participants: int


@dataclass(frozen=True)
class OrganisationRow:
    """One corporation, council or written affiliation; ``kind`` is a key of
    ``ORGANISATION_KINDS``."""

    kind: str
    name: str
    registrations: int
    participants: int
    certificates: int
    corporation_id: int | None = None
    council_id: int | None = None


@dataclass(frozen=True)
class TrainingReport:
    prefecture: str
    fiscal_year: int | None
    as_of: datetime.datetime
    by_year: list[YearRow] = field(default_factory=list)
    by_pillar: list[PillarRow] = field(default_factory=list)
    by_municipality: list[MunicipalityRow] = field(default_factory=list)
    by_organisation: list[OrganisationRow] = field(default_factory=list)

    @property
    def total(self) -> Figures:
        return _sum(self.by_year)


def _sum(rows: Iterable[Figures]) -> Figures:
    rows = list(rows)
    return Figures(
        **{name: sum(getattr(row, name) for row in rows) for name in Figures.__dataclass_fields__}
    )


# Queries --------------------------------------------------------------------------------------


def held_events(
    *, prefecture: str, fiscal_year: int | None = None, now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """Published events of the prefecture with at least one session started before ``now``."""
    now = now or timezone.now()
    started = Session.objects.filter(event=OuterRef("pk"), starts_at__lt=now)
    events = Event.objects.filter(
        Exists(started), prefecture_id=prefecture, status=EventStatus.PUBLISHED
    )
    return events if fiscal_year is None else events.filter(fiscal_year=fiscal_year)


def trainings_held(
    *, prefecture: str, fiscal_year: int, now: datetime.datetime | None = None
) -> int:
    """The number of events held in a fiscal year (the plan's 研修等開催数), in one query."""
    return held_events(prefecture=prefecture, fiscal_year=fiscal_year, now=now).count()


def _confirmed(events: QuerySet[Event], now: datetime.datetime) -> QuerySet[Registration]:
    """Confirmed registrations of the events, each with ``attended``: whether it attended."""
    attended = Attendance.objects.filter(registration=OuterRef("pk"), session__starts_at__lt=now)
    return Registration.objects.filter(
        event__in=events, status=RegistrationStatus.CONFIRMED
    ).annotate(attended=Exists(attended))


def _per_event(events: QuerySet[Event], now: datetime.datetime) -> dict[int, dict[str, int]]:
    """Sessions held, registrations, participants and attendances of each event: 3 queries."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    sessions = (
        Session.objects.filter(event__in=events, starts_at__lt=now)
        .values("event_id")
        .annotate(n=Count("pk"))
    )
    for row in sessions:
        counts[row["event_id"]]["sessions"] = row["n"]
    registrations = (
        _confirmed(events, now)
        .values("event_id")
        .annotate(registrations=Count("pk"), participants=Count("pk", filter=Q(attended=True)))
    )
    for row in registrations:
        counts[row["event_id"]].update(
            registrations=row["registrations"], participants=row["participants"]
        )
    attendances = (
        Attendance.objects.filter(
            registration__event__in=events,
            registration__status=RegistrationStatus.CONFIRMED,
            session__starts_at__lt=now,
        )
        .values("registration__event_id")
        .annotate(n=Count("pk"))
    )
    for row in attendances:
        counts[row["registration__event_id"]]["attendances"] = row["n"]
    return counts


def figures_by_event(events: QuerySet[Event], *, now: datetime.datetime) -> dict[int, Figures]:
    """Each held event's sessions, registrations, participants and attendances (its
    ``events`` count stays 0): three queries, whatever the number of events."""
    return {pk: Figures(**counts) for pk, counts in _per_event(events, now).items()}


def _tally(events, counts, key) -> dict[object, Figures]:
    """Fold the events' figures into rows by ``key`` (fiscal year or pillar)."""
    tallies: dict[object, dict[str, int]] = {}
    for event_id, fiscal_year, pillar in events:
        tally = tallies.setdefault(key(fiscal_year, pillar), defaultdict(int))
        tally["events"] += 1
        for name, value in counts.get(event_id, {}).items():
            tally[name] += value
    return {group: Figures(**tally) for group, tally in tallies.items()}


def _by_municipality(registrations: QuerySet[Registration]) -> list[MunicipalityRow]:
    """Registrations and participants by the city of their corporation or council: a ward's
    figures go to its designated city (岡山市北区 → 岡山市)."""
    rows = (
        registrations.values(
            city_code=Coalesce(
                "corporation__municipality__parent_id",
                "corporation__municipality_id",
                "council__municipality__parent_id",
                "council__municipality_id",
            ),
            city_name=Coalesce(
                "corporation__municipality__parent__name",
                "corporation__municipality__name",
                "council__municipality__parent__name",
                "council__municipality__name",
            ),
        )
        .annotate(registrations=Count("pk"), participants=Count("pk", filter=Q(attended=True)))
        .order_by("city_code")
    )
    placed = [
        MunicipalityRow(
            row["city_code"], row["city_name"], row["registrations"], row["participants"]
        )
        for row in rows
        if row["city_code"]
    ]
    unplaced = [row for row in rows if not row["city_code"]]
    if unplaced:
        placed.append(
            MunicipalityRow(
                "",
                NO_MUNICIPALITY,
                sum(row["registrations"] for row in unplaced),
                sum(row["participants"] for row in unplaced),
            )
        )
    return placed


def _organisation_of(row: dict) -> tuple[tuple, str, str]:
    """(group key, kind, name) of a registration's organisation; written affiliations are
    grouped under their search key, so that spacing and width do not split them."""
    if row["corporation_id"]:
        return ("corporation", row["corporation_id"]), "corporation", row["corporation__name"]
    if row["council_id"]:
        return ("council", row["council_id"]), "council", row["council__name"]
    affiliation = " ".join((row["affiliation"] or "").split())
    if affiliation:
        return ("other", search_key(affiliation)), "other", affiliation
    return ("none",), "none", NO_ORGANISATION


def _by_organisation(registrations: QuerySet[Registration]) -> list[OrganisationRow]:
    rows = (
        registrations.values(
            "corporation_id", "corporation__name", "council_id", "council__name", "affiliation"
        )
        .annotate(
            registrations=Count("pk"),
            participants=Count("pk", filter=Q(attended=True)),
            certificates=Count("certificate"),
        )
        # Spellings of one affiliation are shown as the first of them in this order.
        .order_by("affiliation")
    )
    groups: dict[tuple, dict] = {}
    for row in rows:
        key, kind, name = _organisation_of(row)
        group = groups.setdefault(
            key,
            {
                "kind": kind,
                "name": name,
                "registrations": 0,
                "participants": 0,
                "certificates": 0,
                "corporation_id": row["corporation_id"],
                "council_id": None if row["corporation_id"] else row["council_id"],
            },
        )
        for measure in ("registrations", "participants", "certificates"):
            group[measure] += row[measure]
    result = [OrganisationRow(**group) for group in groups.values()]
    # The largest first; people without an organisation last.
    result.sort(key=lambda r: (r.kind == "none", -r.registrations, -r.participants, r.name))
    return result


def training_report(
    *, prefecture: str, fiscal_year: int | None = None, now: datetime.datetime | None = None
) -> TrainingReport:
    """The events held in a prefecture (in one fiscal year, or all of them): by fiscal year, by
    pillar, participants by municipality and by organisation. Six queries, whatever the
    number of events or people."""
    now = now or timezone.now()
    events = held_events(prefecture=prefecture, fiscal_year=fiscal_year, now=now)
    held = list(events.values_list("pk", "fiscal_year", "pillar"))
    counts = _per_event(events, now)
    years = _tally(held, counts, lambda fy, _pillar: fy)
    pillars = _tally(held, counts, lambda _fy, pillar: pillar)
    order = {pillar.slug: index for index, pillar in enumerate(PILLARS)}
    registrations = _confirmed(events, now)
    return TrainingReport(
        prefecture=prefecture,
        fiscal_year=fiscal_year,
        as_of=now,
        by_year=[YearRow(**_fields(years[fy]), fiscal_year=fy) for fy in sorted(years)],
        by_pillar=[
            PillarRow(**_fields(pillars[slug]), pillar=slug)
            for slug in sorted(pillars, key=lambda slug: (order.get(slug, len(order)), slug))
        ],
        by_municipality=_by_municipality(registrations),
        by_organisation=_by_organisation(registrations),
    )


def _fields(figures: Figures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in Figures.__dataclass_fields__}


# The workbook ---------------------------------------------------------------------------------

FIGURE_HEADERS = ("開催事業数", "開催回数", "申込者数（確定）", "参加者数", "延べ出席者数")
YEAR_SHEET = ("年度別", ("年度", "西暦年度", *FIGURE_HEADERS))
PILLAR_SHEET = ("柱別", ("柱", *FIGURE_HEADERS))
MUNICIPALITY_SHEET = ("市町村別", ("市町村コード", "市町村", "申込者数（確定）", "参加者数"))
ORGANISATION_SHEET = ("所属別", ("種別", "所属", "申込者数（確定）", "参加者数", "修了証"))


def _figures(row: Figures) -> list[int]:
    return [row.events, row.sessions, row.registrations, row.participants, row.attendances]


def _sheets(report: TrainingReport) -> list[tuple[str, Sequence[str], list[list[object]]]]:
    years = [[row.label, row.fiscal_year, *_figures(row)] for row in report.by_year]
    years.append([TOTAL, None, *_figures(report.total)])
    pillars = [[row.label, *_figures(row)] for row in report.by_pillar]
    pillars.append([TOTAL, *_figures(_sum(report.by_pillar))])
    municipalities = [
        [row.code or None, row.name, row.registrations, row.participants]
        for row in report.by_municipality
    ]
    municipalities.append(
        [
            None,
            TOTAL,
            sum(r.registrations for r in report.by_municipality),
            sum(r.participants for r in report.by_municipality),
        ]
    )
    organisations = [
        [
            ORGANISATION_KINDS[row.kind],
            row.name,
            row.registrations,
            row.participants,
            row.certificates,
        ]
        for row in report.by_organisation
    ]
    organisations.append(
        [
            None,
            TOTAL,
            *(
                sum(getattr(r, name) for r in report.by_organisation)
                for name in ("registrations", "participants", "certificates")
            ),
        ]
    )
    return [
        (*YEAR_SHEET, years),
        (*PILLAR_SHEET, pillars),
        (*MUNICIPALITY_SHEET, municipalities),
        (*ORGANISATION_SHEET, organisations),
    ]


def _text_cell(sheet, text: str, *, bold: Font | None = None) -> WriteOnlyCell:
    """A text cell that stays text (a name starting with “=” is not a formula)."""
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"
    if bold is not None:
        cell.font = bold
    return cell


def report_workbook(report: TrainingReport) -> bytes:
    """The report as an .xlsx workbook, one sheet per table (年度別, 柱別, 市町村別, 所属別),
    written as ``core.tabular.write_xlsx`` writes one: a bold, frozen header row, texts kept
    texts, numbers as numbers; each sheet ends with its 合計 row."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in _sheets(report):
        sheet = workbook.create_sheet(title=title)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, 1):
            width = min(max(10, 2.2 * len(header)), 60)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_text_cell(sheet, header, bold=bold) for header in headers])
        for row in rows:
            sheet.append(
                [_text_cell(sheet, value) if isinstance(value, str) else value for value in row]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
