"""Proposals hold no personal data: declared so that the register says so."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def declare() -> None:
    p.not_personal("proposals.Proposal", "text", reason=_("the text of a policy proposal"))
    p.not_personal("proposals.Evidence", "note", reason=_("a note on a proposal's evidence"))
