"""Regions hold no personal data: the center's address and telephone are its office's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def declare() -> None:
    for model in ("regions.Prefecture", "regions.Municipality"):
        p.not_personal(model, "name", "kana", reason=_("the name of a local government"))
    p.not_personal(
        "regions.Center",
        "name",
        "short_name",
        "address",
        "phone",
        "email",
        reason=_("the center's office, not a person"),
    )
