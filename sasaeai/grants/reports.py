"""Figures of the grants for the plan and for staff: awards (交付決定) and payments by program
and fiscal year, by municipality and by theme, for a prefecture and optionally one fiscal year.

An award counts in the fiscal years of its amounts (``AwardYear``), a payment in the fiscal
year it pays for. The municipality of an application is its corporation's; a network's is its
secretariat's (the council that hosts it) or else the first municipality of its area; a ward
counts in its designated city (岡山市北区 → 岡山市), as in the other reports. Every figure is
computed by the database with ``GROUP BY`` in a fixed number of queries, whatever the number
of awards or payments.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sasaeai.core.dates import fiscal_year_label
from sasaeai.networks.models import MunicipalNetwork
from sasaeai.regions.models import Municipality

from .models import AwardYear, Decision, GrantCall, Payment

__all__ = [
    "NO_MUNICIPALITY",
    "NO_THEME",
    "Amounts",
    "GrantFigures",
    "MunicipalityRow",
    "ProgramYearRow",
    "ThemeRow",
    "fiscal_years",
    "grant_figures",
    "report_workbook",
]

# The center's own words in its reports.
NO_MUNICIPALITY = "市町村不明"
NO_THEME = "テーマなし"
TOTAL = "合計"
FISCAL_YEAR_STYLE = "wareki"  # 令和元年度, as the center's reports write FY2019
YEN_FORMAT = "#,##0"


@dataclass(frozen=True)
class Amounts:
    """What a row counts: awards and the yen awarded, payments and the yen paid."""

    awards: int = 0
    awarded: int = 0
    payments: int = 0
    paid: int = 0

    @property
    def unpaid(self) -> int:
        return self.awarded - self.paid


@dataclass(frozen=True)
class ProgramYearRow(Amounts):
    program_id: int = 0
    program_code: str = ""
    program_name: str = ""
    fiscal_year: int = 0

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year, style=FISCAL_YEAR_STYLE)


@dataclass(frozen=True)
class MunicipalityRow(Amounts):
    """``code`` empty for applicants placed in no municipality."""

    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class ThemeRow(Amounts):
    """``theme_id`` None for awards without a theme."""

    theme_id: int | None = None
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class GrantFigures:
    prefecture: str
    fiscal_year: int | None
    by_program_year: list[ProgramYearRow] = field(default_factory=list)
    by_municipality: list[MunicipalityRow] = field(default_factory=list)
    by_theme: list[ThemeRow] = field(default_factory=list)

    @property
    def total(self) -> Amounts:
        """Each award and payment belongs to one municipality row: their sum counts each award
        once, even one that spans several fiscal years."""
        return _sum(self.by_municipality)


def _sum(rows: Iterable[Amounts]) -> Amounts:
    rows = list(rows)
    return Amounts(
        **{name: sum(getattr(row, name) for row in rows) for name in Amounts.__dataclass_fields__}
    )


# Queries --------------------------------------------------------------------------------------

APPLICATION = "decision__application__"


def _awarded(prefecture: str, fiscal_year: int | None):
    years = AwardYear.objects.filter(
        decision__outcome=Decision.Outcome.AWARDED,
        **{f"{APPLICATION}call__program__prefecture_id": prefecture},
    )
    return years if fiscal_year is None else years.filter(fiscal_year=fiscal_year)


def _paid(prefecture: str, fiscal_year: int | None):
    payments = Payment.objects.filter(**{f"{APPLICATION}call__program__prefecture_id": prefecture})
    return payments if fiscal_year is None else payments.filter(fiscal_year=fiscal_year)


AWARD_MEASURES = {"awards": Count("decision", distinct=True), "awarded": Sum("amount")}
PAYMENT_MEASURES = {"payments": Count("pk"), "paid": Sum("amount")}


def _group(awarded, paid, keys: dict[str, object]) -> dict[tuple, dict]:
    """The measures of awards and payments grouped by ``keys`` (names → field paths or
    expressions), merged by key: two queries."""
    merged: dict[tuple, dict] = {}
    names = list(keys)
    # A key named as the field it reads is grouped by that field; the others are aliases.
    fields = [name for name, path in keys.items() if path == name]
    aliases = {
        name: F(path) if isinstance(path, str) else path
        for name, path in keys.items()
        if path != name
    }
    for queryset, measures in ((awarded, AWARD_MEASURES), (paid, PAYMENT_MEASURES)):
        rows = (
            queryset.order_by()
            .values(*fields, **aliases)
            .annotate(**measures)
            .values(*names, *measures)
        )
        for row in rows:
            key = tuple(row[name] for name in names)
            slot = merged.setdefault(key, dict(zip(names, key, strict=True)))
            for measure in measures:
                slot[measure] = row[measure] or 0
    return merged


def _city():
    """The applicant's city code: the corporation's, the network's secretariat's, or the first
    municipality of the network's area; a ward's designated city."""
    first_area = (
        MunicipalNetwork.area.through.objects.filter(
            municipalnetwork_id=OuterRef(f"{APPLICATION}network_id")
        )
        .order_by("municipality_id")
        .values_list(Coalesce("municipality__parent_id", "municipality_id"))[:1]
    )
    return Coalesce(
        f"{APPLICATION}corporation__municipality__parent_id",
        f"{APPLICATION}corporation__municipality_id",
        f"{APPLICATION}network__secretariat__municipality__parent_id",
        f"{APPLICATION}network__secretariat__municipality_id",
        Subquery(first_area),
    )


def _amounts(slot: dict) -> dict[str, int]:
    return {name: slot.get(name, 0) for name in Amounts.__dataclass_fields__}


def _by_program_year(awarded, paid) -> list[ProgramYearRow]:
    program = f"{APPLICATION}call__program"
    merged = _group(
        awarded,
        paid,
        {
            "program_id": f"{program}_id",
            "program_code": f"{program}__code",
            "program_name": f"{program}__name",
            "fiscal_year": "fiscal_year",
        },
    )
    rows = [
        ProgramYearRow(
            **_amounts(slot),
            program_id=slot["program_id"],
            program_code=slot["program_code"],
            program_name=slot["program_name"],
            fiscal_year=slot["fiscal_year"],
        )
        for slot in merged.values()
    ]
    rows.sort(key=lambda row: (row.program_code, row.program_id, row.fiscal_year))
    return rows


def _by_municipality(awarded, paid) -> list[MunicipalityRow]:
    merged = _group(awarded, paid, {"code": _city()})
    names = dict(
        Municipality.objects.filter(code__in=[code for (code,) in merged if code]).values_list(
            "code", "name"
        )
    )
    rows = [
        MunicipalityRow(**_amounts(slot), code=code, name=names.get(code, code))
        for (code,), slot in merged.items()
        if code
    ]
    rows.sort(key=lambda row: row.code)
    unplaced = [slot for (code,), slot in merged.items() if not code]
    if unplaced:
        rows.append(
            MunicipalityRow(**_amounts(_sum_slots(unplaced)), code="", name=NO_MUNICIPALITY)
        )
    return rows


def _sum_slots(slots: list[dict]) -> dict[str, int]:
    return {name: sum(slot.get(name, 0) for slot in slots) for name in Amounts.__dataclass_fields__}


def _by_theme(awarded, paid) -> list[ThemeRow]:
    theme = f"{APPLICATION}theme"
    merged = _group(
        awarded,
        paid,
        {
            "theme_id": f"{theme}_id",
            "code": f"{theme}__code",
            "name": f"{theme}__name",
            "order": f"{theme}__order",
        },
    )
    slots = sorted(
        merged.values(),
        key=lambda slot: (slot["theme_id"] is None, slot["order"] or 0, slot["code"] or ""),
    )
    return [
        ThemeRow(
            **_amounts(slot),
            theme_id=slot["theme_id"],
            code=slot["code"] or "",
            name=slot["name"] if slot["theme_id"] is not None else NO_THEME,
        )
        for slot in slots
    ]


def grant_figures(*, prefecture: str, fiscal_year: int | None = None) -> GrantFigures:
    """Awards and payments of a prefecture's programs (in one fiscal year, or all of them):
    by program and fiscal year, by municipality and by theme. Seven queries."""
    awarded = _awarded(prefecture, fiscal_year)
    paid = _paid(prefecture, fiscal_year)
    return GrantFigures(
        prefecture=prefecture,
        fiscal_year=fiscal_year,
        by_program_year=_by_program_year(awarded, paid),
        by_municipality=_by_municipality(awarded, paid),
        by_theme=_by_theme(awarded, paid),
    )


def fiscal_years(prefecture: str) -> list[int]:
    """The fiscal years a report can be asked for: those of the prefecture's calls and of its
    awards, the latest first (one query)."""
    calls = (
        GrantCall.objects.filter(program__prefecture_id=prefecture)
        .order_by()
        .values_list("fiscal_year", flat=True)
    )
    awards = _awarded(prefecture, None).order_by().values_list("fiscal_year", flat=True)
    return sorted(set(calls.union(awards)), reverse=True)


# The workbook ---------------------------------------------------------------------------------

AMOUNT_HEADERS = (
    "交付決定件数",
    "交付決定額（円）",
    "支払件数",
    "支払額（円）",
    "未払額（円）",
)
YEN_COLUMNS = {1, 3, 4}  # positions within AMOUNT_HEADERS
PROGRAM_SHEET = ("事業・年度別", ("助成事業", "年度", "西暦年度", *AMOUNT_HEADERS))
MUNICIPALITY_SHEET = ("市町村別", ("市町村コード", "市町村", *AMOUNT_HEADERS))
THEME_SHEET = ("テーマ別", ("テーマコード", "テーマ", *AMOUNT_HEADERS))


def _measures(row: Amounts) -> list[int]:
    return [row.awards, row.awarded, row.payments, row.paid, row.unpaid]


def _sheets(figures: GrantFigures) -> list[tuple[str, Sequence[str], list[list[object]]]]:
    total = figures.total
    programs = [
        [row.program_name, row.label, row.fiscal_year, *_measures(row)]
        for row in figures.by_program_year
    ]
    # An award of two fiscal years is one award: the total counts it once.
    programs.append([TOTAL, None, None, *_measures(total)])
    municipalities = [
        [row.code or None, row.name, *_measures(row)] for row in figures.by_municipality
    ]
    municipalities.append([None, TOTAL, *_measures(total)])
    themes = [[row.code or None, row.name, *_measures(row)] for row in figures.by_theme]
    themes.append([None, TOTAL, *_measures(total)])
    return [
        (*PROGRAM_SHEET, programs),
        (*MUNICIPALITY_SHEET, municipalities),
        (*THEME_SHEET, themes),
    ]


def _text_cell(sheet, text: str, *, bold: Font | None = None) -> WriteOnlyCell:
    """A text cell that stays text (a name starting with “=” is not a formula)."""
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"
    if bold is not None:
        cell.font = bold
    return cell


def _yen_cell(sheet, amount: int) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, amount)
    cell.number_format = YEN_FORMAT
    return cell


def report_workbook(figures: GrantFigures) -> bytes:
    """The figures as an .xlsx workbook, one sheet per table (事業・年度別, 市町村別, テーマ別),
    written as ``core.tabular.write_xlsx`` writes one: a bold, frozen header row, texts kept
    texts, yen as whole numbers shown with thousands separators; each sheet ends with its 合計
    row."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in _sheets(figures):
        sheet = workbook.create_sheet(title=title)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, 1):
            width = min(max(10, 2.2 * len(header)), 60)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_text_cell(sheet, header, bold=bold) for header in headers])
        first_measure = len(headers) - len(AMOUNT_HEADERS)
        yen = {first_measure + position for position in YEN_COLUMNS}
        for row in rows:
            sheet.append([_cell(sheet, value, index in yen) for index, value in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value: object, is_yen: bool) -> object:
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if is_yen and isinstance(value, int):
        return _yen_cell(sheet, value)
    return value
