"""Personal data held by activities: the contact given for an activity."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def declare() -> None:
    p.register(
        p.Holding(
            model="activities.Activity",
            whose=_("contacts of community activities (often a staff member)"),
            purpose=_("the public directory: how to reach the activity"),
            retention=_("while the activity is listed; erased on request"),
            fields=(
                p.PersonalField("contact_phone", _("contact telephone")),
                p.PersonalField("contact_email", _("contact email")),
            ),
            identified_by={p.EMAIL: ("contact_email",)},
            prefecture_paths=("prefecture_id",),
            stored_at="created_at",
            context=("title",),
            only=~Q(contact_email="") | ~Q(contact_phone=""),
        ),
    )
    p.not_personal(
        "activities.Activity",
        "address",
        "schedule_note",
        "schedule_text",
        "search_text",
        reason=_("where and when an activity takes place, and its search text"),
    )
