"""Every write of Pillar II, one function per use case, each in its own transaction.

Rules refuse with a ``ValidationError`` whose message names what is wrong; nothing is written
then. A model project's status history is only ever added to: an entry may be dated before
the latest one (a late-entered step), and ``ModelProject.status`` is then recomputed from the
whole history, so it always equals the latest entry by date.
"""

from .committees import (
    add_committee_member,
    add_finding,
    end_committee_member,
    record_meeting,
    save_committee,
)
from .leading import add_partner, record_leading_year, save_leading_project
from .model_projects import (
    add_document,
    add_progress_report,
    create_model_project,
    designate_site,
    end_site,
    set_document_published,
    set_status,
    update_model_project,
)
from .themes import DATA, STARTING_THEMES, load_starting_themes, save_theme

__all__ = [
    "DATA",
    "STARTING_THEMES",
    "add_committee_member",
    "add_document",
    "add_finding",
    "add_partner",
    "add_progress_report",
    "create_model_project",
    "designate_site",
    "end_committee_member",
    "end_site",
    "load_starting_themes",
    "record_leading_year",
    "record_meeting",
    "save_committee",
    "save_leading_project",
    "save_theme",
    "set_document_published",
    "set_status",
    "update_model_project",
]
