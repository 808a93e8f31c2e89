"""The report's tables, the same on the page and in the workbook (a sheet each)."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .figures import FLOWS, YEN, Flows, Row, StockReport, Support, yen

# The tables: the page and the workbook show the same ones ------------------------------------

TEXT, QUANTITY, AMOUNT, COUNT, DATE = "text", "quantity", "yen", "count", "date"


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in (QUANTITY, AMOUNT, COUNT)


PAGE_ROWS = 200  # a page longer than this is read in the workbook; drawing it takes seconds


@dataclass(frozen=True)
class Table:
    """A titled table; its first column names the rows; ``total`` is its 合計 row, if any."""

    key: str
    title: Promise
    headers: tuple[Promise, ...]
    rows: list[list[Cell]]
    total: list[Cell] | None = None
    note: Promise | str = ""

    @property
    def shown(self) -> list[list[Cell]]:
        """The rows the page shows (the workbook has them all)."""
        return self.rows[:PAGE_ROWS]

    @property
    def more(self) -> int:
        return max(0, len(self.rows) - PAGE_ROWS)


def plain(quantity: Decimal) -> Decimal:
    """A quantity as written: 12.5, 300 (not 12.50, 3E+2)."""
    quantity = Decimal(quantity)
    if quantity == quantity.to_integral_value():
        return quantity.quantize(YEN)
    return quantity.normalize()


VALUE_FLOWS = (
    ("received", _("in (yen)")),
    ("distributed", _("out to households (yen)")),
    ("disposed", _("disposed of (yen)")),
    ("given_away", _("given away (yen)")),
    ("transferred_in", _("transferred in (yen)")),
    ("transferred_out", _("transferred out (yen)")),
    ("stocktake", _("stocktake differences (yen)")),
)
SUPPORT_HEADERS = (_("households supported"), _("people supported"))


def _values(flows: Flows) -> list[Cell]:
    return [Cell(yen(flows.value[name]), AMOUNT) for name, _label in VALUE_FLOWS]


def _support(support: Support) -> list[Cell]:
    return [Cell(support.households, COUNT), Cell(support.people, COUNT)]


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def summary_table(report: StockReport) -> Table:
    total, support = report.total, report.total.support
    rows = [
        (_("first day"), Cell(report.period.start, DATE)),
        (_("last day"), Cell(report.period.end, DATE)),
        (_("number of locations"), Cell(len(report.locations), COUNT)),
        (_("stock value the day before the start (yen)"), Cell(yen(report.opening_value), AMOUNT)),
        (_("in (yen)"), Cell(yen(total.flows.value["received"]), AMOUNT)),
        (_("out to households (yen)"), Cell(yen(total.flows.value["distributed"]), AMOUNT)),
        (_("stock valued on"), Cell(report.closing_on, DATE)),
        (_("stock value at the end (yen)"), Cell(yen(report.closing_value), AMOUNT)),
        (_("referrals handed over"), Cell(support.referrals, COUNT)),
        (_("goods handed over (yen)"), Cell(yen(support.value), AMOUNT)),
        (_("households supported"), Cell(support.households, COUNT)),
        (_("people supported"), Cell(support.people, COUNT)),
    ]
    return Table(
        key="summary",
        title=_("Summary"),
        headers=(_("figure"), _("value")),
        rows=[[Cell(label), cell] for label, cell in rows],
    )


def month_table(report: StockReport) -> Table:
    return Table(
        key="months",
        title=_("By month"),
        headers=(_("month"), *(label for _name, label in VALUE_FLOWS), *SUPPORT_HEADERS),
        rows=[
            [Cell(_month_label(row.key)), *_values(row.flows), *_support(row.support)]
            for row in report.by_month
        ],
        total=[Cell(_("Total")), *_values(report.total.flows), *_support(report.total.support)],
        note=_("A household supported in two months counts in each, and once in the total."),
    )


def item_table(report: StockReport) -> Table:
    def cells(row: Row) -> list[Cell]:
        q, v = row.flows.quantity, row.flows.value
        return [
            Cell(row.name),
            Cell(row.detail),
            Cell(plain(q["received"]), QUANTITY),
            Cell(yen(v["received"]), AMOUNT),
            Cell(plain(q["distributed"]), QUANTITY),
            Cell(yen(v["distributed"]), AMOUNT),
            *(Cell(plain(q[name]), QUANTITY) for name in FLOWS[2:]),
            Cell(plain(row.stock_quantity), QUANTITY),
            Cell(yen(row.stock_value), AMOUNT),
        ]

    total = report.total.flows.value
    blank = Cell(None, QUANTITY)
    return Table(
        key="items",
        title=_("By item"),
        headers=(
            _("item"),
            _("unit"),
            _("in (quantity)"),
            _("in (yen)"),
            _("out to households (quantity)"),
            _("out to households (yen)"),
            _("disposed of (quantity)"),
            _("given away (quantity)"),
            _("transferred in (quantity)"),
            _("transferred out (quantity)"),
            _("stocktake differences (quantity)"),
            _("in stock at the end (quantity)"),
            _("stock value at the end (yen)"),
        ),
        rows=[cells(row) for row in report.by_item],
        total=[
            Cell(_("Total")),
            Cell(""),
            blank,
            Cell(yen(total["received"]), AMOUNT),
            blank,
            Cell(yen(total["distributed"]), AMOUNT),
            *(blank for _name in FLOWS[2:]),
            blank,
            Cell(yen(report.closing_value), AMOUNT),
        ],
        note=_("Quantities are in each item's unit, so only the values add up."),
    )


def _place_table(key, title, first, rows: list[Row], report: StockReport, *, detail=None):
    """The table by location (with its municipality) or by municipality."""
    headers = (first, *((detail,) if detail else ()), *(label for _n, label in VALUE_FLOWS))
    headers += (_("stock value at the end (yen)"), *SUPPORT_HEADERS)
    extra = (lambda row: [Cell(row.detail)]) if detail else (lambda row: [])

    def cells(row: Row, support: Support, stock_value: Decimal) -> list[Cell]:
        return [*_values(row.flows), Cell(yen(stock_value), AMOUNT), *_support(support)]

    return Table(
        key=key,
        title=title,
        headers=headers,
        rows=[
            [Cell(row.name), *extra(row), *cells(row, row.support, row.stock_value)] for row in rows
        ],
        total=[
            Cell(_("Total")),
            *([Cell("")] if detail else []),
            *cells(report.total, report.total.support, report.closing_value),
        ],
    )


REFERRER_KINDS = {
    "corporation": _("social welfare corporation"),
    "council": _("council of social welfare"),
}


def referrer_table(report: StockReport) -> Table:
    def cells(row: Row) -> list[Cell]:
        support = row.support
        return [
            Cell(yen(row.flows.value["distributed"]), AMOUNT),
            Cell(support.referrals, COUNT),
            Cell(yen(support.value), AMOUNT),
            *_support(support),
        ]

    return Table(
        key="referrers",
        title=_("By referring organisation"),
        headers=(
            _("referred by"),
            _("kind"),
            _("out to households (yen)"),
            _("referrals handed over"),
            _("goods handed over (yen)"),
            *SUPPORT_HEADERS,
        ),
        rows=[
            [Cell(_referrer_name(row)), Cell(REFERRER_KINDS[row.detail]), *cells(row)]
            for row in report.by_referrer
        ],
        total=[Cell(_("Total")), Cell(""), *cells(report.total)],
        note=_(
            "Out: goods picked on their referrals, net of returns, in the period; handed over: "
            "referrals handed over in the period."
        ),
    )


def _referrer_name(row: Row) -> str:
    if row.detail == "council":
        return _("%(municipality)s council of social welfare") % {"municipality": row.name}
    return row.name


def near_expiry_table(report: StockReport) -> Table:
    return Table(
        key="near-expiry",
        title=_("Near expiry"),
        headers=(
            _("item"),
            _("location"),
            _("lot"),
            _("best before / use by"),
            _("quantity"),
            _("unit"),
            _("value (yen)"),
            _("state"),
        ),
        rows=[
            [
                Cell(line.item),
                Cell(line.location),
                Cell(f"#{line.lot_id}"),
                Cell(line.expires_on, DATE),
                Cell(plain(line.quantity), QUANTITY),
                Cell(line.unit),
                Cell(yen(line.value), AMOUNT),
                Cell(_("expired") if line.expired else _("near expiry")),
            ]
            for line in report.near_expiry
        ],
        note=_("Lots in stock today whose date falls within their location's warning days."),
    )


def tables(report: StockReport) -> list[Table]:
    """Every table of the report, in the order of the page and of the workbook's sheets."""
    return [
        summary_table(report),
        month_table(report),
        item_table(report),
        _place_table(
            "locations",
            _("By location"),
            _("location"),
            report.by_location,
            report,
            detail=_("municipality"),
        ),
        _place_table(
            "municipalities",
            _("By municipality"),
            _("municipality"),
            report.by_municipality,
            report,
        ),
        referrer_table(report),
        near_expiry_table(report),
    ]


# The workbook ---------------------------------------------------------------------------------

NUMBER_FORMATS = {AMOUNT: "#,##0", COUNT: "#,##0", QUANTITY: "#,##0.##", DATE: "yyyy-mm-dd"}
_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def _xlsx_cell(sheet, cell: Cell, *, bold=None) -> WriteOnlyCell:
    value = cell.value
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    written = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        written.data_type = "s"  # a name starting with “=” stays a text
    elif cell.kind in NUMBER_FORMATS and value is not None:
        written.number_format = NUMBER_FORMATS[cell.kind]
    if bold is not None:
        written.font = bold
    return written


def workbook(report: StockReport) -> bytes:
    """The report's tables as an .xlsx workbook, a sheet each, headers in Japanese: a bold,
    frozen header row, numbers as numbers, dates as dates, the 合計 row last."""
    with translation.override("ja"):
        book = Workbook(write_only=True)
        bold = Font(bold=True)
        for table in tables(report):
            sheet = book.create_sheet(title=_SHEET_FORBIDDEN.sub("_", str(table.title))[:31])
            sheet.freeze_panes = "A2"
            for index, header in enumerate(table.headers, 1):
                width = min(max(10, 2.2 * len(str(header))), 60)
                sheet.column_dimensions[get_column_letter(index)].width = width
            sheet.append([_xlsx_cell(sheet, Cell(header), bold=bold) for header in table.headers])
            for row in table.rows:
                sheet.append([_xlsx_cell(sheet, cell) for cell in row])
            if table.total:
                sheet.append([_xlsx_cell(sheet, cell, bold=bold) for cell in table.total])
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()
