"""The registry's figure for the plan: published public activities running on a date.

Computed from the dated fields only: an activity counts on ``date`` when it was started on or
before it (an undated start counts) and has not ended before it. An activity that is published
now counts for the dates it ran, so the figure for a past date can grow as records are entered
late, as the plan's other figures do.
"""

from __future__ import annotations

import bisect
import datetime
from itertools import accumulate

from django.db.models import Count

from .models import Activity


def running_count(*, prefecture: str, on: datetime.date) -> int:
    return Activity.objects.public().in_prefecture(prefecture).running_on(on).count()


def running_series(prefecture: str, days: list[datetime.date]) -> dict[datetime.date, int]:
    """``running_count`` on every day of ``days`` in two grouped queries: those started by a day
    (or undated) less those ended before it (an ended one started before its end, or undated)."""
    public = Activity.objects.public().in_prefecture(prefecture).order_by()
    started = dict(public.values_list("started_on").annotate(n=Count("pk")))
    ended = dict(
        public.filter(ended_on__isnull=False).values_list("ended_on").annotate(n=Count("pk"))
    )
    undated = started.pop(None, 0)
    starts, ends = sorted(started), sorted(ended)
    started_by = list(accumulate(started[d] for d in starts))
    ended_by = list(accumulate(ended[d] for d in ends))

    def upto(keys, sums, index):
        return sums[index - 1] if index > 0 else 0

    return {
        day: undated
        + upto(starts, started_by, bisect.bisect_right(starts, day))
        - upto(ends, ended_by, bisect.bisect_left(ends, day))
        for day in days
    }


def running_by_municipality(*, prefecture: str, on: datetime.date) -> dict[str, int]:
    """Municipality code → count; municipalities without any are absent (one query)."""
    rows = (
        Activity.objects.public()
        .in_prefecture(prefecture)
        .running_on(on)
        .order_by()
        .values("municipality_id")
        .annotate(n=Count("pk"))
    )
    return {row["municipality_id"]: row["n"] for row in rows}


def _running_in(prefecture: str, municipality: str, on: datetime.date) -> int:
    return running_by_municipality(prefecture=prefecture, on=on).get(municipality, 0)


def _manage_url(prefecture: str, on: datetime.date) -> str:
    from django.urls import reverse

    return f"{reverse('activities:manage')}?status=published"


def plan_kpis():
    from django.utils.translation import gettext_lazy as _

    from sasaeai.core import kpis

    return (
        kpis.Kpi(
            code="activities_registered",
            label=_("Public-interest activities running (published)"),
            pillar="visibility",
            unit=kpis.COUNT,
            period=kpis.LEVEL,
            measure=lambda prefecture, on: running_count(prefecture=prefecture, on=on),
            measure_municipality=_running_in,
            measure_series=running_series,
            depends_on=("activities",),
            source=_("Activity registry (published, started and not ended on the date)"),
            records_url=_manage_url,
        ),
    )
