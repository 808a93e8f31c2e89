"""Personal data held by publishing: the newsletter's subscribers."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def declare() -> None:
    p.register(
        p.Holding(
            model="publishing.Subscriber",
            whose=_("newsletter subscribers"),
            purpose=_("sending the newsletter to confirmed addresses"),
            retention=_(
                "until unsubscribed; unconfirmed requests are deleted by purge_subscribers"
            ),
            fields=(
                p.PersonalField(
                    "email", _("email"), p.MARK, p.marker("erased-", "@invalid.invalid")
                ),
            ),
            identified_by={p.EMAIL: ("email",)},
            prefecture_paths=("prefecture_id",),
            stored_at="created_at",
            # The count of deliveries of each issue is kept; nothing is sent any more.
            also_on_erasure={"unsubscribed_at": timezone.now},
        ),
    )
    p.not_personal(
        "publishing.Delivery",
        "claimed_by",
        reason=_("the name of the task run that sends the mail, not of a person"),
    )
