"""The plan's Pillar IV measures: events held and their participants in the fiscal year of a
date, counted up to the end of that date (``reports.held_events``: published, a session
started). A fiscal year starts afresh on April 1."""

from __future__ import annotations

import bisect
import datetime
from collections import Counter

from django.db.models import Exists, Min, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.core import kpis
from sasaeai.core.dates import end_of_day, fiscal_year

from .models import Attendance, Event, EventStatus, Registration, RegistrationStatus
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


# Many dates at once (the plan's charts): one query each, whatever the number of dates. An event
# is held by the end of a day when its first session started by then; a registration takes
# part when, besides, its first attended session did. Counted by local day, then summed.


def _by_day(counted: Counter, days: list[datetime.date]) -> dict[datetime.date, int]:
    """``counted``: (fiscal year, local day) → n; each day's figure: its fiscal year's n up
    to and including the day."""
    keys = sorted(counted)
    running, total = [], 0
    for key in keys:
        total = (
            total + counted[key]
            if running and keys[len(running) - 1][0] == key[0]
            else (counted[key])
        )
        running.append(total)
    result = {}
    for day in days:
        year = fiscal_year(day)
        last = bisect.bisect_right(keys, (year, day)) - 1
        result[day] = running[last] if last >= 0 and keys[last][0] == year else 0
    return result


def _local_day(instant: datetime.datetime) -> datetime.date:
    from django.utils import timezone

    return timezone.localtime(instant).date()


def _held(prefecture: str, days: list[datetime.date]):
    return Event.objects.filter(
        prefecture_id=prefecture,
        status=EventStatus.PUBLISHED,
        fiscal_year__in={fiscal_year(day) for day in days},
    )


def trainings_held_series(prefecture: str, days: list[datetime.date]) -> dict:
    firsts = (
        _held(prefecture, days)
        .order_by()
        .annotate(first=Min("sessions__starts_at"))
        .filter(first__isnull=False)
        .values_list("fiscal_year", "first")
    )
    return _by_day(Counter((year, _local_day(first)) for year, first in firsts), days)


def participants_series(prefecture: str, days: list[datetime.date]) -> dict:
    events = _held(prefecture, days)
    held = dict(
        events.order_by()
        .annotate(first=Min("sessions__starts_at"))
        .filter(first__isnull=False)
        .values_list("pk", "first")
    )
    years = dict(events.values_list("pk", "fiscal_year"))
    rows = (
        # The events' ids, not a subquery: PostgreSQL then walks the registrations of these
        # events by index instead of hashing every attendance of the country.
        Attendance.objects.filter(
            registration__event_id__in=list(held),
            session__event_id__in=list(held),  # attendance is at its own event's sessions
            registration__status=RegistrationStatus.CONFIRMED,
        )
        .order_by()
        .values("registration_id")
        .annotate(first=Min("session__starts_at"))
        .values_list("registration__event_id", "first")
    )
    instants = Counter((event, max(first, held[event])) for event, first in rows if event in held)
    counted: Counter = Counter()
    for (event, instant), n in instants.items():  # a few sessions' start times: cheap to convert
        counted[(years[event], _local_day(instant))] += n
    return _by_day(counted, days)


def _year_versions(day: datetime.date) -> tuple[str, ...]:
    """A figure of a day reads its fiscal year's events only (``versions.year_version``)."""
    from .versions import year_version

    return (year_version(fiscal_year(day)),)


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
            measure_series=trainings_held_series,
            depends_on=("events",),
            versions_on=_year_versions,
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
            measure_series=participants_series,
            depends_on=("events",),
            versions_on=_year_versions,
            source=_("Attendance records of the fiscal year's events"),
            records_url=_reports_url,
        ),
    )
