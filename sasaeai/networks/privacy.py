"""Personal data held by networks: the secretariat's contact and the people met on visits."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def declare() -> None:
    p.register(
        p.Holding(
            model="networks.MunicipalNetwork",
            whose=_("contacts of municipal networks' secretariats"),
            purpose=_("reaching the network's secretariat"),
            retention=_("while the network exists; erased on request"),
            fields=(p.PersonalField("contact", _("contact")),),
            identified_by={p.MENTIONS: ("contact",)},
            prefecture_paths=("prefecture_id",),
            stored_at="created_at",
            context=("name",),
            only=~Q(contact=""),
        ),
        p.Holding(
            model="networks.OutreachVisit",
            whose=_("staff of councils and corporations met on outreach visits"),
            purpose=_("following up the center's outreach to municipalities"),
            retention=_("while the record is needed for the network's support"),
            fields=(p.PersonalField("people_met", _("people met")),),
            identified_by={p.MENTIONS: ("people_met",)},
            prefecture_paths=("prefecture_id",),
            stored_at="recorded_at",
            context=("visited_on", "municipality__name"),
            only=~Q(people_met=""),
        ),
    )
    p.not_personal("networks.MunicipalNetwork", "name", reason=_("the name of a network"))
    for model, name in (
        ("networks.MunicipalNetwork", "established_note"),
        ("networks.MunicipalNetwork", "note"),
        ("networks.NetworkMeeting", "note"),
    ):
        p.not_personal(model, name, reason=_("a work note about a network or its meetings"))
