"""The plan's pages: the center's dashboard and each target (``dashboard``), the council's
and the public dashboards and the national view (``areas``), the gaps between systems
(``gaps``), the board report and the yearly business report (``reports``)."""

from .areas import area_dashboard, national, public_dashboard
from .dashboard import dashboard, target_detail, target_edit
from .gaps import gaps, gaps_xlsx
from .reports import (
    business_report,
    business_report_pdf,
    business_report_xlsx,
    report_pdf,
    report_xlsx,
)

__all__ = [
    "area_dashboard",
    "business_report",
    "business_report_pdf",
    "business_report_xlsx",
    "dashboard",
    "gaps",
    "gaps_xlsx",
    "national",
    "public_dashboard",
    "report_pdf",
    "report_xlsx",
    "target_detail",
    "target_edit",
]
