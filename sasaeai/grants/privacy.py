"""Personal data held by grants: the applicant's contact person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p


def declare() -> None:
    p.register(
        p.Holding(
            model="grants.Application",
            whose=_("contact persons of grant applicants"),
            purpose=_("questions about the application, the decision and the reports"),
            retention=_("while the grant's records are kept (the term of the award and audit)"),
            fields=(
                p.PersonalField("contact_name", _("contact person"), p.REPLACE),
                p.PersonalField("contact_email", _("contact email")),
            ),
            identified_by={p.EMAIL: ("contact_email",), p.NAME: ("contact_name",)},
            prefecture_paths=("call__program__prefecture_id",),
            stored_at="created_at",
            context=("title", "call__title"),
        ),
    )
    p.not_personal("grants.GrantProgram", "name", reason=_("the name of a grant program"))
    for model, name in (
        ("grants.Review", "comment"),
        ("grants.Payment", "note"),
        ("grants.GrantReport", "text"),
        ("grants.Amendment", "decision_note"),
    ):
        p.not_personal(model, name, reason=_("a work record about an application"))
