"""The plan's pages: the center's dashboard and each target (``dashboard``), the council's
and the public dashboards and the national view (``areas``)."""

from .areas import area_dashboard, national, public_dashboard
from .dashboard import dashboard, target_detail, target_edit

__all__ = [
    "area_dashboard",
    "dashboard",
    "national",
    "public_dashboard",
    "target_detail",
    "target_edit",
]
