"""Personal data held by the casebook: who gave the consent to publish."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def declare() -> None:
    p.register(
        p.Holding(
            model="casebook.Consent",
            whose=_("people who gave a consent to publish a case"),
            purpose=_("proving the consent to publish a case and its photos"),
            retention=_("while the case is published and for as long as the consent is proof"),
            fields=(p.PersonalField("consented_by", _("consented by"), p.REPLACE),),
            identified_by={p.NAME: ("consented_by",)},
            prefecture_paths=("case__prefecture_id",),
            stored_at="recorded_at",
            context=("case__title", "given_on"),
        ),
    )
    p.not_personal("casebook.Consent", "note", reason=_("a note on the consent's form"))
    p.not_personal("casebook.Case", "search_text", reason=_("a case's search text"))
    p.not_personal("casebook.CasePhoto", "alt_text", reason=_("a description of a photo"))
