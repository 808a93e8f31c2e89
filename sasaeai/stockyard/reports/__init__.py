"""The stockyard's reports: the figures of a period (``figures``) and their tables, on the
page and in the workbook (``tables``)."""

from .figures import (
    FLOWS,
    Flows,
    Period,
    Row,
    StockReport,
    Support,
    fiscal_years_of,
    report_locations,
    stock_report,
    stock_value,
    yen,
)
from .tables import Cell, Table, tables, workbook

__all__ = [
    "FLOWS", "Cell", "Flows", "Period", "Row", "StockReport", "Support", "Table",
    "fiscal_years_of", "report_locations", "stock_report", "stock_value", "tables", "workbook",
    "yen",
]  # fmt: skip
