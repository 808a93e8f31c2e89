"""Personal data held by projects: the names of committee members."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sasaeai.core import privacy as p

WORK_RECORD = _("a work record about a project or committee, not about a person")


def declare() -> None:
    p.register(
        p.Holding(
            model="projects.CommitteeMember",
            whose=_("members of the center's committees (課題別部会)"),
            purpose=_("the committee's membership, meetings and attendance"),
            retention=_("while the committee's records are needed"),
            fields=(p.PersonalField("name", _("name"), p.REPLACE),),
            identified_by={p.NAME: ("name",)},
            prefecture_paths=("committee__prefecture_id",),
            stored_at="joined_on",
            context=("committee__name", "organisation", "role"),
        ),
    )
    for model, name in (
        ("projects.Theme", "name"),
        ("projects.Committee", "name"),
        ("projects.LeadingPartner", "name"),
    ):
        p.not_personal(model, name, reason=_("the name of a theme, committee or organisation"))
    for model, name in (
        ("projects.ProjectStatusEntry", "note"),
        ("projects.ModelSite", "note"),
        ("projects.ProgressReport", "text"),
        ("projects.CommitteeMeeting", "minutes"),
        ("projects.Finding", "text"),
    ):
        p.not_personal(model, name, reason=WORK_RECORD)
