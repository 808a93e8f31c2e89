"""Personal data held by events: participants' names and addresses, their comments."""

from __future__ import annotations

import secrets

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def _last_session_before(prefix: str):
    def started_before(cutoff) -> Q:
        # The event's last session ended before the cutoff: no session ends on or after it.
        return Q(**{f"{prefix}sessions__isnull": False}) & ~Q(
            **{f"{prefix}sessions__ends_at__gte": cutoff}
        )

    return started_before


PARTICIPANTS = p.Retention(
    key="event_participants",
    default_years=3,
    started_before=_last_session_before("event__"),
    label=_("3 years after the event's last session (a center may set another period)"),
)


def declare() -> None:
    p.register(
        p.Holding(
            model="events.Registration",
            whose=_("event participants and registrants"),
            purpose=_(
                "registration, seats and waitlist, reception, certificates and the counts of "
                "participants for the plan"
            ),
            retention=PARTICIPANTS.label,
            fields=(
                p.PersonalField("name", _("name"), p.REPLACE),
                p.PersonalField("email", _("email")),
                p.PersonalField("affiliation", _("affiliation")),
                p.PersonalField(
                    "person_key",
                    _("key refusing a second registration"),
                    p.MARK,
                    p.marker("erased:"),
                ),
            ),
            identified_by={p.EMAIL: ("email",), p.NAME: ("name",)},
            prefecture_paths=("event__prefecture_id",),
            stored_at="created_at",
            context=("event__title", "status"),
            purged=PARTICIPANTS,
            # The secret link of the confirmation mail stops working.
            also_on_erasure={"token": lambda: p.marker("x", "-" + secrets.token_urlsafe(16))},
            audit_children=(
                ("events.Attendance", "registration_id"),
                ("events.Certificate", "registration_id"),
            ),
        ),
        p.Holding(
            model="events.Evaluation",
            whose=_("event participants and registrants"),
            purpose=_("the evaluation of an event; the ratings are kept as counts"),
            retention=PARTICIPANTS.label,
            fields=(p.PersonalField("comment", _("comments")),),
            identified_by={p.EMAIL: ("registration__email",), p.NAME: ("registration__name",)},
            prefecture_paths=("registration__event__prefecture_id",),
            stored_at="submitted_at",
            context=("registration__event__title",),
            purged=p.Retention(
                key=PARTICIPANTS.key,
                default_years=PARTICIPANTS.default_years,
                started_before=_last_session_before("registration__event__"),
                label=PARTICIPANTS.label,
            ),
            only=~Q(comment=""),
        ),
    )
