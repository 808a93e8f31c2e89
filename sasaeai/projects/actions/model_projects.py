"""Model projects: the project, its status history, sites, progress reports and documents."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sasaeai.core.dates import fiscal_year_label, fiscal_year_range

from ..models import (
    DocumentKind,
    ModelProject,
    ModelSite,
    ProgressReport,
    ProjectDocument,
    ProjectStatus,
    ProjectStatusEntry,
    Theme,
)
from .common import _check_years, _day, _same_prefecture


@transaction.atomic
def create_model_project(
    *,
    prefecture: str,
    theme: Theme,
    title: str,
    first_fiscal_year: int,
    last_fiscal_year: int,
    planned_on: datetime.date | None = None,
    goals: str = "",
    outcomes: str = "",
    max_sites: int = 3,
    by=None,
) -> ModelProject:
    """A new model project, planned from ``planned_on`` (default: the first day of its first
    fiscal year); its history starts with that step."""
    _same_prefecture(theme, prefecture, _("The theme belongs to another prefecture."))
    _check_years(first_fiscal_year, last_fiscal_year)
    project = ModelProject.objects.create(
        prefecture_id=prefecture,
        theme=theme,
        title=title,
        first_fiscal_year=first_fiscal_year,
        last_fiscal_year=last_fiscal_year,
        goals=goals,
        outcomes=outcomes,
        max_sites=max_sites,
        status=ProjectStatus.PLANNED,
    )
    ProjectStatusEntry.objects.create(
        project=project,
        status=ProjectStatus.PLANNED,
        effective_on=planned_on or fiscal_year_range(first_fiscal_year)[0],
        recorded_by=by,
    )
    return project


@transaction.atomic
def update_model_project(
    *,
    project: ModelProject,
    theme: Theme,
    title: str,
    first_fiscal_year: int,
    last_fiscal_year: int,
    goals: str = "",
    outcomes: str = "",
    max_sites: int = 3,
    by=None,
) -> ModelProject:
    """Change what a project is; its status changes only through ``set_status``. The cap of
    sites cannot go below the sites designated now."""
    project = ModelProject.objects.select_for_update().get(pk=project.pk)
    _same_prefecture(theme, project.prefecture_id, _("The theme belongs to another prefecture."))
    _check_years(first_fiscal_year, last_fiscal_year)
    current = project.sites.filter(ended_on__isnull=True).count()
    if max_sites < current:
        raise ValidationError(
            _("The project has %(count)s sites designated now; the cap cannot be lower."),
            code="max_sites",
            params={"count": current},
        )
    outside = project.reports.exclude(
        fiscal_year__gte=first_fiscal_year, fiscal_year__lte=last_fiscal_year
    )
    if outside.exists():
        raise ValidationError(
            _("Progress reports exist for fiscal years outside the new years."), code="years"
        )
    project.theme, project.title = theme, title
    project.first_fiscal_year, project.last_fiscal_year = first_fiscal_year, last_fiscal_year
    project.goals, project.outcomes, project.max_sites = goals, outcomes, max_sites
    project.save()
    return project


def _latest_status(project: ModelProject) -> str:
    return (
        ProjectStatusEntry.objects.filter(project=project)
        .order_by("-effective_on", "-pk")
        .values_list("status", flat=True)
        .first()
        or ProjectStatus.PLANNED
    )


@transaction.atomic
def set_status(
    *,
    project: ModelProject,
    status: str,
    effective_on: datetime.date,
    note: str = "",
    by=None,
) -> ProjectStatusEntry:
    """Add a dated step to the project's history. A step dated before the latest one is a
    late entry and is kept where its date puts it; ``project.status`` is recomputed from the
    history and so always equals the latest step by date."""
    project = ModelProject.objects.select_for_update().get(pk=project.pk)
    if status not in ProjectStatus.values:
        raise ValidationError(
            _("Unknown status %(status)s."), code="status", params={"status": status}
        )
    if project.history.filter(status=status, effective_on=effective_on).exists():
        raise ValidationError(
            _("The project is already recorded as %(status)s on %(date)s."),
            code="duplicate",
            params={"status": ProjectStatus(status).label, "date": _day(effective_on)},
        )
    entry = ProjectStatusEntry.objects.create(
        project=project, status=status, effective_on=effective_on, note=note, recorded_by=by
    )
    latest = _latest_status(project)
    if project.status != latest:
        project.status = latest
        project.save(update_fields=["status", "updated_at"])
    return entry


def _site_municipality(*, corporation=None, network=None):
    if corporation is not None:
        return corporation.municipality
    if network.secretariat_id and network.secretariat.municipality_id:
        return network.secretariat.municipality
    first = network.area.order_by("code").first()
    if first is None:
        raise ValidationError(
            _("%(network)s covers no municipality."),
            code="no_area",
            params={"network": network},
        )
    return first


@transaction.atomic
def designate_site(
    *,
    project: ModelProject,
    designated_on: datetime.date,
    corporation=None,
    network=None,
    note: str = "",
    by=None,
) -> ModelSite:
    """指定: a member corporation of the center, or a municipal network, of the project's
    prefecture becomes a site; at most ``project.max_sites`` sites at once."""
    from sasaeai.members.models import Corporation

    if (corporation is None) == (network is None):
        raise ValidationError(
            _("Designate either a corporation or a municipal network."), code="holder"
        )
    # The project's row is the lock: two designations at once cannot both take the last place.
    project = ModelProject.objects.select_for_update().get(pk=project.pk)
    prefecture = project.prefecture_id
    if corporation is not None:
        if corporation.municipality.prefecture_id != prefecture:
            raise ValidationError(
                _("%(corporation)s is in another prefecture."),
                code="outside_prefecture",
                params={"corporation": corporation},
            )
        if not Corporation.objects.members_on(designated_on).filter(pk=corporation.pk).exists():
            raise ValidationError(
                _("%(corporation)s is not a member of the center on %(date)s."),
                code="not_member",
                params={"corporation": corporation, "date": _day(designated_on)},
            )
    else:
        if network.prefecture_id != prefecture:
            raise ValidationError(
                _("%(network)s is in another prefecture."),
                code="outside_prefecture",
                params={"network": network},
            )
    current = project.sites.filter(ended_on__isnull=True)
    holder = {"corporation": corporation} if corporation is not None else {"network": network}
    if current.filter(**holder).exists():
        raise ValidationError(
            _("%(holder)s is already a site of this project."),
            code="duplicate",
            params={"holder": corporation or network},
        )
    if current.count() >= project.max_sites:
        raise ValidationError(
            _(
                "The project already has %(count)s sites: at most %(max)s sites are "
                "designated for a project at once."
            ),
            code="max_sites",
            params={"count": current.count(), "max": project.max_sites},
        )
    return ModelSite.objects.create(
        project=project,
        corporation=corporation,
        network=network,
        municipality=_site_municipality(corporation=corporation, network=network),
        designated_on=designated_on,
        note=note,
    )


@transaction.atomic
def end_site(*, site: ModelSite, ended_on: datetime.date, by=None) -> ModelSite:
    site = ModelSite.objects.select_for_update().get(pk=site.pk)
    if site.ended_on is not None:
        raise ValidationError(_("The site has already ended."), code="ended")
    if ended_on < site.designated_on:
        raise ValidationError(
            _("A site cannot end before it was designated (%(date)s)."),
            code="dates",
            params={"date": _day(site.designated_on)},
        )
    site.ended_on = ended_on
    site.save(update_fields=["ended_on"])
    return site


@transaction.atomic
def add_progress_report(
    *,
    project: ModelProject,
    fiscal_year: int,
    reported_on: datetime.date,
    text: str,
    site: ModelSite | None = None,
    by=None,
) -> ProgressReport:
    """A progress report for one of the project's fiscal years (of one of its sites)."""
    if fiscal_year not in project.fiscal_years:
        raise ValidationError(
            _("The project runs from %(first)s to %(last)s; no report for %(year)s."),
            code="fiscal_year",
            params={
                "first": fiscal_year_label(project.first_fiscal_year),
                "last": fiscal_year_label(project.last_fiscal_year),
                "year": fiscal_year_label(fiscal_year),
            },
        )
    if site is not None and site.project_id != project.pk:
        raise ValidationError(_("The site belongs to another project."), code="site")
    if not text.strip():
        raise ValidationError(_("Write the report."), code="empty")
    return ProgressReport.objects.create(
        project=project,
        site=site,
        fiscal_year=fiscal_year,
        reported_on=reported_on,
        text=text,
        created_by=by,
    )


@transaction.atomic
def add_document(
    *,
    project: ModelProject,
    kind: str,
    title: str,
    file,
    published: bool = False,
    by=None,
) -> ProjectDocument:
    if kind not in DocumentKind.values:
        raise ValidationError(_("Unknown kind of document."), code="kind")
    return ProjectDocument.objects.create(
        project=project, kind=kind, title=title, file=file, published=published, uploaded_by=by
    )


@transaction.atomic
def set_document_published(*, document: ProjectDocument, published: bool, by=None):
    document.published = published
    document.save(update_fields=["published"])
    return document
