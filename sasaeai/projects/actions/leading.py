"""Leading projects: the project, its partners and what it did each fiscal year."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sasaeai.core.dates import fiscal_year_label

from ..models import LeadingPartner, LeadingProject, LeadingYear, PartnerKind, Theme
from .common import _check_years, _same_prefecture


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
