"""Pages of Pillar II: themes, model projects with their sites, status history, reports and
documents; leading projects; committees with their meetings and findings; an Excel export."""

from .committees import (
    committee_detail,
    committee_edit,
    committee_member_add,
    finding_add,
    meeting_add,
)
from .export import project_export
from .home import home
from .leading import leading_detail, leading_edit, leading_list, leading_year, partner_add
from .model_projects import (
    document_add,
    document_download,
    project_create,
    project_detail,
    project_edit,
    project_list,
    project_status,
    report_add,
    site_designate,
    site_end,
)
from .themes import theme_edit, theme_list, theme_load

__all__ = [
    "committee_detail",
    "committee_edit",
    "committee_member_add",
    "document_add",
    "document_download",
    "finding_add",
    "home",
    "leading_detail",
    "leading_edit",
    "leading_list",
    "leading_year",
    "meeting_add",
    "partner_add",
    "project_create",
    "project_detail",
    "project_edit",
    "project_export",
    "project_list",
    "project_status",
    "report_add",
    "site_designate",
    "site_end",
    "theme_edit",
    "theme_list",
    "theme_load",
]
