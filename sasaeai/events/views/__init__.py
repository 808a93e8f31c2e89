"""Pages of Pillar IV: the programme, registration (staff and the public), the organiser's
page (registrations, capacity, attendance, certificates, documents), reports and history."""

from .history import history, reports
from .organiser import (
    attendance_import,
    attendance_list,
    certificates,
    checkin,
    event_cancel,
    event_capacity,
    event_create,
    event_edit,
    event_manage,
    name_cards_pdf,
    participants_pdf,
)
from .public import (
    event_detail,
    event_ics,
    event_list,
    own_certificate,
    public_feed,
    registration_cancel,
    registration_manage,
)

__all__ = [
    "attendance_import",
    "attendance_list",
    "certificates",
    "checkin",
    "event_cancel",
    "event_capacity",
    "event_create",
    "event_detail",
    "event_edit",
    "event_ics",
    "event_list",
    "event_manage",
    "history",
    "name_cards_pdf",
    "own_certificate",
    "participants_pdf",
    "public_feed",
    "registration_cancel",
    "registration_manage",
    "reports",
]
