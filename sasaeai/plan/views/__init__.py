"""The plan's pages: the center's dashboard and each target (``dashboard``), the council's
and the public dashboards and the national view (``areas``), the gaps between systems
(``gaps``)."""

from .areas import area_dashboard, national, public_dashboard
from .dashboard import dashboard, target_detail, target_edit
from .gaps import gaps, gaps_xlsx

__all__ = [
    "area_dashboard",
    "dashboard",
    "gaps",
    "gaps_xlsx",
    "national",
    "public_dashboard",
    "target_detail",
    "target_edit",
]
