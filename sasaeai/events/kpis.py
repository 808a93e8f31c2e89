"""The plan's Pillar IV measures: events held and their participants in the fiscal year of a
date, counted up to the end of that date (``reports.held_events``: published, a session
started). A fiscal year starts afresh on April 1."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.core import kpis
from sasaeai.core.dates import end_of_day, fiscal_year

from .models import Attendance, Registration, RegistrationStatus
from .reports import held_events


def trainings_held_on(prefecture: str, as_of: datetime.date) -> int:
    return held_events(
        prefecture=prefecture, fiscal_year=fiscal_year(as_of), now=end_of_day(as_of)
    ).count()


def participants_on(prefecture: str, as_of: datetime.date) -> int:
    """Confirmed registrations that attended a session held by the end of the date."""
    now = end_of_day(as_of)
    events = held_events(prefecture=prefecture, fiscal_year=fiscal_year(as_of), now=now)
    attended = Attendance.objects.filter(registration=OuterRef("pk"), session__starts_at__lt=now)
    return Registration.objects.filter(
        Exists(attended), event__in=events, status=RegistrationStatus.CONFIRMED
    ).count()


def _reports_url(prefecture: str, as_of: datetime.date) -> str:
    return f"{reverse('events:reports')}?fiscal_year={fiscal_year(as_of)}"


def plan_kpis() -> tuple[kpis.Kpi, ...]:
    return (
        kpis.Kpi(
            code="trainings_held",
            label=_("Courses and trainings held"),
            pillar="people",
            unit=kpis.COUNT,
            period=kpis.YEARLY,
            measure=trainings_held_on,
            depends_on=("events",),
            source=_("Events held (published, a session started) in the fiscal year"),
            records_url=_reports_url,
        ),
        kpis.Kpi(
            code="training_participants",
            label=_("Participants in courses and trainings"),
            pillar="people",
            unit=kpis.COUNT,
            period=kpis.YEARLY,
            measure=participants_on,
            depends_on=("events",),
            source=_("Attendance records of the fiscal year's events"),
            records_url=_reports_url,
        ),
    )
