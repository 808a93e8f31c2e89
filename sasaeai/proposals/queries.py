"""Reads that depend on who is asking.

Published proposals (submitted or answered, with a publication date) are public with their
evidence; center staff of the prefecture see their drafts and write. Pages show one
prefecture: another prefecture's proposals are the same 404 as missing ones.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from sasaeai.projects.queries import home_prefecture, manages, visible_projects

from .models import Evidence, Proposal

__all__ = [
    "evidence_of",
    "get_managed_proposal_or_404",
    "get_proposal_for_user_or_404",
    "home_prefecture",
    "manages",
    "proposals_for",
]


def proposals_for(user, prefecture: str):
    return (
        Proposal.objects.visible_to(user)
        .in_prefecture(prefecture)
        .select_related("municipality")
        .prefetch_related("themes")
    )


def get_proposal_for_user_or_404(user, pk: int) -> Proposal:
    return get_object_or_404(
        proposals_for(user, home_prefecture(user)).select_related("created_by"), pk=pk
    )


def get_managed_proposal_or_404(user, pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.managed_by(user), pk=pk)


def evidence_of(user, proposal: Proposal) -> list[Evidence]:
    """The evidence, each marked ``linkable`` when the reader may open its source."""
    evidence = list(
        proposal.evidence.select_related(
            "finding__committee", "model_project__theme", "survey_round__survey"
        )
    )
    projects = set(
        visible_projects(user)
        .filter(pk__in=[e.model_project_id for e in evidence if e.model_project_id])
        .values_list("pk", flat=True)
    )
    staff = manages(user, proposal.prefecture_id)
    for item in evidence:
        if item.model_project_id:
            item.linkable = item.model_project_id in projects
        elif item.survey_round_id:
            item.linkable = staff  # a round's results are for center staff
        else:
            item.linkable = True  # findings are public
    return evidence


def published_with_evidence():
    return Proposal.objects.published().prefetch_related(
        "themes",
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("finding", "model_project", "survey_round"),
        ),
    )
