"""The plan holds no personal data: declared so that the register says so."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def declare() -> None:
    p.not_personal("plan.Plan", "name", "note", reason=_("the name of a plan and a note on it"))
