"""Personal data held by events: participants' names and addresses, their comments."""

from __future__ import annotations

import datetime
import secrets

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p
from sasaeai.core.dates import fiscal_year


def _fiscal_year_ended(prefix: str):
    def started_before(cutoff: datetime.date) -> Q:
        # The event's fiscal year ended (on March 31) before the cutoff.
        return Q(**{f"{prefix}fiscal_year__lt": fiscal_year(cutoff)})

    return started_before


# The published privacy policy: 実施年度の終了後5年間 (certificates can be issued again).
PARTICIPANTS = p.Retention(
    key="event_participants",
    default_years=5,
    started_before=_fiscal_year_ended("event__"),
    label=_("%(years)s years after the end of the event's fiscal year"),
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
                started_before=_fiscal_year_ended("registration__event__"),
                label=PARTICIPANTS.label,
            ),
            only=~Q(comment=""),
        ),
    )
