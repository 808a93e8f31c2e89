"""The board and prefecture report: the plan's KPI table on a date, written the way the
prefecture's own KPI tables are (柱, 指標, 現況値, 時点, 目標値, 期限, 状況, 出典), each target's
figures at every fiscal year's end, and the same as an .xlsx workbook with the monthly series.

The table's words are the center's own (Japanese, like ``events.reports``); a forecast is
always marked （見込み）, in the PDF and in the workbook alike.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sasaeai.core.dates import fiscal_year, fiscal_year_label, fiscal_year_range, format_wareki
from sasaeai.core.errors import UserInputError

from .charts import format_value
from .measuring import PlanReading, Point, Reading, Status
from .models import Plan

__all__ = [
    "KPI_HEADERS",
    "SERIES_HEADERS",
    "KpiRow",
    "ReportError",
    "YearFigure",
    "as_of_for_fiscal_year",
    "business_workbook",
    "kpi_rows",
    "report_workbook",
    "series_points",
    "xlsx_cell",
    "year_end_figures",
]

# The center's words in its KPI tables.
KPI_HEADERS = ("柱", "指標", "現況値", "時点", "目標値", "期限", "状況", "出典")
XLSX_KPI_HEADERS = ("柱", "指標", "現況値", "見込み", "時点", "目標値", "期限", "状況", "出典")
SERIES_HEADERS = ("柱", "指標", "日付", "値", "見込み")
FORECAST = "見込み"
FORECAST_MARK = "（見込み）"
BASELINE = "基準値"
YEAR_END = "末"
AS_OF = "時点"
EVERY_YEAR = "毎年度"
NONE = "—"
STATUS_LABELS = {
    Status.ACHIEVED: "達成",
    Status.ON_TRACK: "順調",
    Status.AT_RISK: "要注意",
    Status.MISSED: "未達成",
    Status.NOT_MEASURED: "未計測",
    Status.INDICATOR: "参考指標",
}
RATE_FORMAT = "0.0%"
DATE_FORMAT = "yyyy/mm/dd"


class ReportError(UserInputError):
    """A fiscal year the plan cannot be reported for."""


def as_of_for_fiscal_year(plan: Plan, year: int, *, today: datetime.date) -> datetime.date:
    """The day a fiscal year is reported on: its last day, or today while it is not over."""
    if not plan.first_fiscal_year <= year <= plan.last_fiscal_year:
        raise ReportError(
            _(
                "FY%(year)s is outside the plan “%(plan)s”, which runs from FY%(first)s to "
                "FY%(last)s."
            ),
            code="outside_plan",
            params={
                "year": year,
                "plan": plan.name,
                "first": plan.first_fiscal_year,
                "last": plan.last_fiscal_year,
            },
        )
    first, last = fiscal_year_range(year)
    if first > today:
        raise ReportError(
            _("FY%(year)s has not begun: it starts on %(start)s."),
            code="not_begun",
            params={"year": year, "start": first.isoformat()},
        )
    return min(last, today)


# The KPI table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiRow:
    """One target's line of the table, as written in it."""

    pillar: str
    pillar_span: int  # rows the pillar's cell spans (0: under the previous row's)
    label: str
    value: float | None
    value_text: str
    is_forecast: bool
    measured_on: datetime.date
    measured_on_text: str
    target: float | None
    target_text: str
    deadline: datetime.date | None
    deadline_text: str
    status: str
    status_label: str
    source: str
    reading: Reading


def _value_text(value: float | None, reading: Reading, forecast: bool) -> str:
    text = format_value(value, is_rate=reading.is_rate)
    return text + FORECAST_MARK if forecast and value is not None else text


def _deadline_text(reading: Reading) -> str:
    if reading.deadline is None:
        return NONE
    if reading.is_yearly:
        return f"{EVERY_YEAR}（{format_wareki(reading.deadline)}まで）"
    return format_wareki(reading.deadline)


def kpi_rows(plan_reading: PlanReading) -> list[KpiRow]:
    """Every target of the reading, in the plan's order, the pillar's cell spanning its rows."""
    readings = plan_reading.readings
    rows = []
    for index, r in enumerate(readings):
        first = index == 0 or readings[index - 1].pillar_slug != r.pillar_slug
        span = 0
        if first:
            span = next(
                (
                    n
                    for n, other in enumerate(readings[index:])
                    if other.pillar_slug != r.pillar_slug
                ),
                len(readings) - index,
            )
        rows.append(
            KpiRow(
                pillar=f"{r.pillar_numeral} {r.pillar_title}",
                pillar_span=span,
                label=r.label,
                value=r.value,
                value_text=_value_text(r.value, r, r.is_forecast),
                is_forecast=r.is_forecast,
                measured_on=r.as_of,
                measured_on_text=format_wareki(r.as_of),
                target=r.target,
                target_text=format_value(r.target, is_rate=r.is_rate),
                deadline=r.deadline,
                deadline_text=_deadline_text(r),
                status=r.status,
                status_label=STATUS_LABELS.get(r.status, r.status),
                source=r.source,
                reading=r,
            )
        )
    return rows


# Figures by fiscal year's end ------------------------------------------------------------------


@dataclass(frozen=True)
class YearFigure:
    on: datetime.date
    label: str
    value: float | None
    text: str
    forecast: bool


def _is_year_end(day: datetime.date) -> bool:
    return day == fiscal_year_range(fiscal_year(day))[1]


def _day_label(day: datetime.date) -> str:
    if _is_year_end(day):
        return fiscal_year_label(fiscal_year(day), style="wareki") + YEAR_END
    return format_wareki(day) + AS_OF


def series_points(reading: Reading) -> list[Point]:
    """The series without the forecast's starting point (the latest value, repeated so that
    the chart's dashed line starts there)."""
    actual = [p for p in reading.series if not p.forecast]
    last = actual[-1].on if actual else None
    return actual + [p for p in reading.series if p.forecast and (last is None or p.on > last)]


def year_end_figures(reading: Reading) -> list[YearFigure]:
    """The baseline, the value at each fiscal year's end, the latest value when the date is
    not a year's end, and the forecast to the deadline, marked （見込み）."""
    figures = []
    if reading.baseline_on is not None:
        figures.append(
            YearFigure(
                reading.baseline_on,
                f"{BASELINE}（{format_wareki(reading.baseline_on)}）",
                reading.baseline,
                _value_text(reading.baseline, reading, False),
                False,
            )
        )
    actual = [p for p in reading.series if not p.forecast]
    for index, point in enumerate(actual):
        if _is_year_end(point.on) or index == len(actual) - 1:
            figures.append(
                YearFigure(
                    point.on,
                    _day_label(point.on),
                    point.value,
                    _value_text(point.value, reading, False),
                    False,
                )
            )
    for point in series_points(reading)[len(actual) :]:
        figures.append(
            YearFigure(
                point.on,
                _day_label(point.on) + FORECAST_MARK,
                point.value,
                _value_text(point.value, reading, True),
                True,
            )
        )
    return figures


# The workbook ----------------------------------------------------------------------------------


def xlsx_cell(sheet, value: object, *, bold: Font | None = None, number_format: str = ""):
    """A cell that keeps texts texts (a label starting with “=” is no formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold is not None:
        cell.font = bold
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell


def _sheet(workbook: Workbook, title: str, headers: Sequence[str], widths: Sequence[int]):
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, header, bold=bold) for header in headers])
    return sheet


def _figure(sheet, value: float | None, reading: Reading):
    return xlsx_cell(sheet, value, number_format=RATE_FORMAT if reading.is_rate else "#,##0")


def report_workbook(plan_reading: PlanReading) -> bytes:
    """The KPI table (sheet ``KPI``) and every target's monthly series (``月次推移``): figures
    as numbers (rates as shares shown in %), dates as dates, forecasts flagged 見込み."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "KPI", XLSX_KPI_HEADERS, (28, 40, 12, 8, 12, 12, 12, 10, 60))
    for row in kpi_rows(plan_reading):
        r = row.reading
        sheet.append(
            [
                xlsx_cell(sheet, row.pillar),
                xlsx_cell(sheet, row.label),
                _figure(sheet, row.value, r),
                xlsx_cell(sheet, FORECAST if row.is_forecast else None),
                xlsx_cell(sheet, row.measured_on),
                _figure(sheet, row.target, r),
                xlsx_cell(sheet, row.deadline),
                xlsx_cell(sheet, row.status_label),
                xlsx_cell(sheet, row.source),
            ]
        )
    series = _sheet(workbook, "月次推移", SERIES_HEADERS, (28, 40, 12, 12, 8))
    for r in plan_reading.readings:
        pillar = f"{r.pillar_numeral} {r.pillar_title}"
        for point in series_points(r):
            series.append(
                [
                    xlsx_cell(series, pillar),
                    xlsx_cell(series, r.label),
                    xlsx_cell(series, point.on),
                    _figure(series, point.value, r),
                    xlsx_cell(series, FORECAST if point.forecast else None),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BUSINESS_KPI_HEADERS = ("指標", "現況値", "時点", "目標値", "期限", "状況")
SHEET_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
NOTHING = "該当なし"


def _block(sheet, title: str, headers: Sequence[str], rows: Sequence[Sequence], bold: Font):
    sheet.append([])
    sheet.append([xlsx_cell(sheet, title, bold=bold)])
    sheet.append([xlsx_cell(sheet, header, bold=bold) for header in headers])
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    if not rows:
        sheet.append([xlsx_cell(sheet, NOTHING)])


def business_workbook(made) -> bytes:
    """A ``business.BusinessReport`` as a workbook, one sheet per pillar: its measures, each
    table under its title, then the KPI figures."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for section in made.sections:
        heading = f"{section.numeral} {section.title}"
        sheet = workbook.create_sheet(title=SHEET_FORBIDDEN.sub("_", heading)[:31])
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = 40
        sheet.append([xlsx_cell(sheet, heading, bold=bold)])
        sheet.append([xlsx_cell(sheet, f"{made.label}（{made.plan.name}）")])
        for measure in section.measures:
            sheet.append([xlsx_cell(sheet, "施策"), xlsx_cell(sheet, measure)])
        for table in section.shown_tables:
            _block(sheet, table.title, table.headers, table.rows, bold)
        kpis = [
            (k.label, k.value_text, k.measured_on, k.target_text, k.deadline_text, k.status_label)
            for k in section.kpis
        ]
        if kpis:
            _block(sheet, "目標の達成状況", BUSINESS_KPI_HEADERS, kpis, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
