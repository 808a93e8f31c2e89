"""Every write of Pillar II, one function per use case, each in its own transaction.

Rules refuse with a ``ValidationError`` whose message names what is wrong; nothing is written
then. A model project's status history is only ever added to: an entry may be dated before
the latest one (a late-entered step), and ``ModelProject.status`` is then recomputed from the
whole history, so it always equals the latest entry by date.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sasaeai.core.dates import fiscal_year_label, fiscal_year_range

from .models import (
    Committee,
    CommitteeMeeting,
    CommitteeMember,
    DocumentKind,
    Finding,
    LeadingPartner,
    LeadingProject,
    LeadingYear,
    ModelProject,
    ModelSite,
    PartnerKind,
    ProgressReport,
    ProjectDocument,
    ProjectStatus,
    ProjectStatusEntry,
    Theme,
)

DATA = Path(__file__).resolve().parent / "data"
STARTING_THEMES = {"33": DATA / "themes-okayama.csv"}


def _day(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def _same_prefecture(record, prefecture: str, message: str, code: str = "outside_prefecture"):
    if record is not None and record.prefecture_id != prefecture:
        raise ValidationError(message, code=code)


# Themes ---------------------------------------------------------------------------------------


@transaction.atomic
def load_starting_themes(prefecture_code: str) -> int:
    """The seed's 12 themes (T01–T12) for a prefecture that has a starting list; adds the
    missing ones only, so loading twice changes nothing. Returns how many were added."""
    path = STARTING_THEMES.get(prefecture_code)
    if path is None:
        raise ValidationError(
            _("There is no starting list of themes for this prefecture."), code="no_list"
        )
    having = set(Theme.objects.in_prefecture(prefecture_code).values_list("code", flat=True))
    created = 0
    with path.open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            if row["code"] in having:
                continue
            Theme.objects.create(
                prefecture_id=prefecture_code,
                code=row["code"],
                name=row["name"],
                description=row["description"],
                order=order,
            )
            created += 1
    return created


@transaction.atomic
def save_theme(
    *,
    prefecture: str,
    code: str,
    name: str,
    theme: Theme | None = None,
    description: str = "",
    order: int = 0,
    active: bool = True,
) -> Theme:
    """Create or update a theme; its code is unique in the prefecture."""
    code = code.strip()
    duplicate = Theme.objects.in_prefecture(prefecture).filter(code=code)
    if theme is not None:
        duplicate = duplicate.exclude(pk=theme.pk)
    if duplicate.exists():
        raise ValidationError(
            _("A theme with the code %(code)s already exists in this prefecture."),
            code="duplicate",
            params={"code": code},
        )
    theme = theme or Theme(prefecture_id=prefecture)
    theme.code, theme.name, theme.description = code, name, description
    theme.order, theme.active = order, active
    theme.save()
    return theme


# Model projects -------------------------------------------------------------------------------


def _check_years(first: int, last: int | None) -> None:
    if last is not None and last < first:
        raise ValidationError(_("The last fiscal year comes before the first."), code="years")


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


# Leading projects -----------------------------------------------------------------------------


@transaction.atomic
def save_leading_project(
    *,
    prefecture: str,
    theme: Theme,
    title: str,
    first_fiscal_year: int,
    last_fiscal_year: int | None = None,
    description: str = "",
    project: LeadingProject | None = None,
    by=None,
) -> LeadingProject:
    _same_prefecture(theme, prefecture, _("The theme belongs to another prefecture."))
    _check_years(first_fiscal_year, last_fiscal_year)
    if project is not None:
        outside = project.years.filter(fiscal_year__lt=first_fiscal_year)
        if last_fiscal_year is not None:
            outside = outside | project.years.filter(fiscal_year__gt=last_fiscal_year)
        if outside.exists():
            raise ValidationError(
                _("Results are recorded for fiscal years outside the new years."), code="years"
            )
    project = project or LeadingProject(prefecture_id=prefecture)
    project.theme, project.title, project.description = theme, title, description
    project.first_fiscal_year, project.last_fiscal_year = first_fiscal_year, last_fiscal_year
    project.save()
    return project


@transaction.atomic
def add_partner(
    *,
    project: LeadingProject,
    kind: str,
    name: str = "",
    corporation=None,
    council=None,
    role: str = "",
    joined_on: datetime.date | None = None,
    by=None,
) -> LeadingPartner:
    if kind not in PartnerKind.values:
        raise ValidationError(_("Unknown kind of partner."), code="kind")
    if corporation is not None and corporation.municipality.prefecture_id != project.prefecture_id:
        raise ValidationError(
            _("%(corporation)s is in another prefecture."),
            code="outside_prefecture",
            params={"corporation": corporation},
        )
    if council is not None and council.prefecture_id != project.prefecture_id:
        raise ValidationError(
            _("%(council)s is in another prefecture."),
            code="outside_prefecture",
            params={"council": council},
        )
    name = name.strip() or str(corporation or council or "")
    if not name:
        raise ValidationError(_("Name the partner."), code="name")
    return LeadingPartner.objects.create(
        project=project,
        kind=kind,
        name=name,
        corporation=corporation,
        council=council,
        role=role,
        joined_on=joined_on,
    )


@transaction.atomic
def record_leading_year(
    *,
    project: LeadingProject,
    fiscal_year: int,
    activities: str,
    results: str = "",
    times_held: int | None = None,
    people_reached: int | None = None,
    year: LeadingYear | None = None,
    by=None,
) -> LeadingYear:
    """What the project did in a fiscal year: one record per year (``year`` to correct it)."""
    project = LeadingProject.objects.select_for_update().get(pk=project.pk)
    if fiscal_year < project.first_fiscal_year or (
        project.last_fiscal_year is not None and fiscal_year > project.last_fiscal_year
    ):
        raise ValidationError(
            _("%(year)s is outside the years of the project."),
            code="fiscal_year",
            params={"year": fiscal_year_label(fiscal_year)},
        )
    duplicate = project.years.filter(fiscal_year=fiscal_year)
    if year is not None:
        duplicate = duplicate.exclude(pk=year.pk)
    if duplicate.exists():
        raise ValidationError(
            _("%(year)s is already recorded for this project; correct that record instead."),
            code="duplicate",
            params={"year": fiscal_year_label(fiscal_year)},
        )
    year = year or LeadingYear(project=project)
    year.fiscal_year, year.activities, year.results = fiscal_year, activities, results
    year.times_held, year.people_reached = times_held, people_reached
    year.save()
    return year


# Committees -----------------------------------------------------------------------------------


@transaction.atomic
def save_committee(
    *,
    prefecture: str,
    name: str,
    formed_on: datetime.date,
    theme: Theme | None = None,
    purpose: str = "",
    dissolved_on: datetime.date | None = None,
    committee: Committee | None = None,
    by=None,
) -> Committee:
    _same_prefecture(theme, prefecture, _("The theme belongs to another prefecture."))
    if dissolved_on is not None and dissolved_on < formed_on:
        raise ValidationError(
            _("A committee cannot be dissolved before it was formed."), code="dates"
        )
    committee = committee or Committee(prefecture_id=prefecture)
    committee.name, committee.theme, committee.purpose = name, theme, purpose
    committee.formed_on, committee.dissolved_on = formed_on, dissolved_on
    committee.save()
    return committee


@transaction.atomic
def add_committee_member(
    *,
    committee: Committee,
    name: str,
    organisation: str = "",
    corporation=None,
    role: str = CommitteeMember.Role.MEMBER,
    joined_on: datetime.date | None = None,
    by=None,
) -> CommitteeMember:
    if role not in CommitteeMember.Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    if (
        corporation is not None
        and corporation.municipality.prefecture_id != committee.prefecture_id
    ):
        raise ValidationError(
            _("%(corporation)s is in another prefecture."),
            code="outside_prefecture",
            params={"corporation": corporation},
        )
    return CommitteeMember.objects.create(
        committee=committee,
        name=name,
        organisation=organisation or (corporation.name if corporation else ""),
        corporation=corporation,
        role=role,
        joined_on=joined_on,
    )


@transaction.atomic
def end_committee_member(*, member: CommitteeMember, left_on: datetime.date, by=None):
    if member.joined_on and left_on < member.joined_on:
        raise ValidationError(
            _("The date of leaving is before the date of joining (%(joined)s)."),
            code="dates",
            params={"joined": _day(member.joined_on)},
        )
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    return member


@transaction.atomic
def record_meeting(
    *,
    committee: Committee,
    held_on: datetime.date,
    venue: str = "",
    agenda: str = "",
    minutes: str = "",
    attendees: Iterable[CommitteeMember] = (),
    meeting: CommitteeMeeting | None = None,
    by=None,
) -> CommitteeMeeting:
    """A meeting of the committee; attendance is taken from the committee's own members."""
    attendees = list(attendees)
    strangers = [m for m in attendees if m.committee_id != committee.pk]
    if strangers:
        raise ValidationError(
            _("%(person)s is not a member of this committee."),
            code="not_member",
            params={"person": strangers[0]},
        )
    gone = [m for m in attendees if m.left_on is not None and m.left_on < held_on]
    if gone:
        raise ValidationError(
            _("%(person)s left the committee before %(date)s."),
            code="left",
            params={"person": gone[0], "date": _day(held_on)},
        )
    meeting = meeting or CommitteeMeeting(committee=committee)
    meeting.held_on, meeting.venue = held_on, venue
    meeting.agenda, meeting.minutes = agenda, minutes
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def add_finding(
    *,
    committee: Committee,
    title: str,
    text: str,
    found_on: datetime.date,
    meeting: CommitteeMeeting | None = None,
    by=None,
) -> Finding:
    if meeting is not None and meeting.committee_id != committee.pk:
        raise ValidationError(_("The meeting belongs to another committee."), code="meeting")
    return Finding.objects.create(
        committee=committee, meeting=meeting, title=title, text=text, found_on=found_on
    )
