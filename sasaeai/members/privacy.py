"""Personal data held by the members' registry: the representative's name only; the rest
describes legal persons (corporations, facilities, councils)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p

ORGANISATION = _("an organisation's name, address or telephone, not a person's")


def declare() -> None:
    p.register(
        p.Holding(
            model="members.Corporation",
            whose=_("representatives of corporations (理事長)"),
            purpose=_("the registry of social welfare corporations and their membership"),
            retention=_("while the corporation is in the registry"),
            fields=(p.PersonalField("representative", _("representative")),),
            identified_by={p.NAME: ("representative",)},
            prefecture_paths=("municipality__prefecture_id",),
            stored_at="created_at",
            context=("name",),
            only=~Q(representative=""),
        ),
    )
    p.not_personal(
        "members.Corporation", "name", "name_kana", "address", "phone", reason=ORGANISATION
    )
    p.not_personal("members.Facility", "name", "name_kana", "address", reason=ORGANISATION)
    p.not_personal("members.Council", "name", "address", "phone", reason=ORGANISATION)
    for model in ("members.MemberType", "members.SectorGroup", "members.FacilityKind"):
        p.not_personal(model, "name", reason=_("the name of a category"))
    p.not_personal("members.ImportJob", "original_name", reason=_("the name of an uploaded file"))
    p.not_personal(
        "members.MembershipEvent",
        "note",
        reason=_("the center's note on a corporation's membership"),
    )
    p.not_personal(
        "members.MembershipApplication",
        "message",
        reason=_("a corporation's message about its application"),
    )
