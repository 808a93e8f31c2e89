"""Reads that depend on who is asking, shared by pages, exports and the API.

Public: the themes, model projects out of planning with their designated sites and published
documents, leading projects with their partners and yearly results, committees (name, theme,
purpose, meeting dates) and their findings. Center staff of the prefecture: everything of
their prefecture, and they alone write — except that the staff of a corporation designated as
a site add progress reports for their site. Members, agendas, minutes and attendance of a
committee are for center staff. Pages show one prefecture (the user's, else the deployment's
center): another prefecture's records are the same 404 as missing ones.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from sasaeai.accounts.scope import scope_of
from sasaeai.accounts.scope import shown_prefecture as home_prefecture
from sasaeai.core.dates import fiscal_year

from .models import (
    Committee,
    Finding,
    LeadingProject,
    ModelProject,
    ModelSite,
    ProjectDocument,
    ProjectStatusEntry,
    Theme,
)


def manages(user, prefecture: str) -> bool:
    """Center staff of the prefecture (or a superuser): they see and write everything."""
    scope = scope_of(user)
    return scope.sees_everything() or prefecture in scope.prefecture_codes


# Themes ---------------------------------------------------------------------------------------


def themes_of(user, prefecture: str):
    themes = Theme.objects.in_prefecture(prefecture)
    if not manages(user, prefecture):
        themes = themes.filter(active=True)
    return themes


def themes_with_counts(user, prefecture: str):
    projects = visible_projects(user).in_prefecture(prefecture).values("pk")
    return themes_of(user, prefecture).annotate(
        model_count=Count("model_projects", filter=Q(model_projects__in=projects), distinct=True),
        leading_count=Count("leading_projects", distinct=True),
    )


def get_managed_theme_or_404(user, pk: int) -> Theme:
    return get_object_or_404(Theme.objects.managed_by(user), pk=pk)


# Model projects -------------------------------------------------------------------------------


def visible_projects(user):
    """Public once out of planning; all of their prefecture for center staff; the projects
    where their corporation is a site for corporation staff."""
    projects = ModelProject.objects.visible_to(user)
    scope = scope_of(user)
    if scope.corporation_ids and not scope.sees_everything():
        site_of = ModelSite.objects.filter(corporation_id__in=scope.corporation_ids)
        projects = ModelProject.objects.filter(
            Q(pk__in=projects.values("pk")) | Q(pk__in=site_of.values("project_id"))
        )
    return projects


def projects_of(user, prefecture: str):
    return (
        visible_projects(user)
        .in_prefecture(prefecture)
        .select_related("theme")
        .annotate(site_count=Count("sites", filter=Q(sites__ended_on__isnull=True)))
        .order_by("-first_fiscal_year", "title")
    )


def get_project_for_user_or_404(user, pk: int) -> ModelProject:
    return get_object_or_404(
        visible_projects(user).in_prefecture(home_prefecture(user)).select_related("theme"),
        pk=pk,
    )


def get_managed_project_or_404(user, pk: int) -> ModelProject:
    return get_object_or_404(
        ModelProject.objects.managed_by(user).select_related("theme", "prefecture"), pk=pk
    )


def history_of(project: ModelProject) -> list[ProjectStatusEntry]:
    """The project's steps by date, each with its fiscal year (for the 年度 label)."""
    entries = list(
        ProjectStatusEntry.objects.filter(project=project)
        .select_related("recorded_by")
        .order_by("effective_on", "pk")
    )
    for entry in entries:
        entry.fiscal_year = fiscal_year(entry.effective_on)
    return entries


def sites_of(project: ModelProject):
    return project.sites.select_related("corporation", "network", "municipality")


def documents_for(user, project: ModelProject):
    documents = project.documents.all()
    if not manages(user, project.prefecture_id):
        documents = documents.filter(published=True)
    return documents


def reports_for(user, project: ModelProject):
    """Center staff read all reports; the staff of a site read their site's."""
    reports = project.reports.select_related("site__corporation", "site__network")
    if manages(user, project.prefecture_id):
        return reports
    scope = scope_of(user)
    if scope.corporation_ids:
        return reports.filter(site__corporation_id__in=scope.corporation_ids)
    return reports.none()


def reporting_sites(user, project: ModelProject):
    """The sites whose progress the user may report: all (center staff) or their own."""
    sites = sites_of(project).filter(ended_on__isnull=True)
    if manages(user, project.prefecture_id):
        return sites
    scope = scope_of(user)
    if not scope.corporation_ids:
        return sites.none()
    return sites.filter(corporation_id__in=scope.corporation_ids)


def get_document_for_user_or_404(user, pk: int) -> ProjectDocument:
    document = get_object_or_404(
        ProjectDocument.objects.filter(
            project__in=visible_projects(user).in_prefecture(home_prefecture(user))
        ).select_related("project"),
        pk=pk,
    )
    if not document.published and not manages(user, document.project.prefecture_id):
        raise Http404
    return document


# Leading projects -----------------------------------------------------------------------------


def leading_projects_of(prefecture: str):
    return LeadingProject.objects.in_prefecture(prefecture).select_related("theme")


def get_leading_project_or_404(user, pk: int) -> LeadingProject:
    return get_object_or_404(
        LeadingProject.objects.in_prefecture(home_prefecture(user))
        .select_related("theme")
        .prefetch_related("partners", "years"),
        pk=pk,
    )


def get_managed_leading_project_or_404(user, pk: int) -> LeadingProject:
    return get_object_or_404(LeadingProject.objects.managed_by(user), pk=pk)


# Committees -----------------------------------------------------------------------------------


def committees_of(prefecture: str):
    return (
        Committee.objects.in_prefecture(prefecture)
        .select_related("theme")
        .annotate(finding_count=Count("findings", distinct=True))
    )


def get_committee_or_404(user, pk: int) -> Committee:
    return get_object_or_404(
        Committee.objects.in_prefecture(home_prefecture(user)).select_related("theme"), pk=pk
    )


def get_managed_committee_or_404(user, pk: int) -> Committee:
    return get_object_or_404(Committee.objects.managed_by(user), pk=pk)


def meetings_of(committee: Committee, *, staff: bool):
    meetings = committee.meetings.all()
    if staff:
        meetings = meetings.prefetch_related(
            Prefetch("attendees", to_attr="present"),
        )
    return meetings


def findings_of(prefecture: str):
    """Findings are public: proposals cite them."""
    return Finding.objects.filter(committee__prefecture_id=prefecture).select_related(
        "committee", "meeting"
    )
