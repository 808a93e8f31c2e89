"""The registry's figure for the plan: published public activities running on a date.

Computed from the dated fields only: an activity counts on ``date`` when it was started on or
before it (an undated start counts) and has not ended before it. An activity that is published
now counts for the dates it ran, so the figure for a past date can grow as records are entered
late, as the plan's other figures do.
"""

from __future__ import annotations

import datetime

from django.db.models import Count

from .models import Activity


def running_count(*, prefecture: str, on: datetime.date) -> int:
    return Activity.objects.public().in_prefecture(prefecture).running_on(on).count()


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
