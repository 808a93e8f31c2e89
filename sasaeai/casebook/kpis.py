"""The casebook's figure for the plan: cases published by the end of a date (and still
published: a withdrawn consent unpublishes a case, and it no longer counts)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.core import kpis
from sasaeai.core.dates import end_of_day

from .models import Case


def published_on(prefecture: str, as_of: datetime.date) -> int:
    return (
        Case.objects.published()
        .in_prefecture(prefecture)
        .filter(published_at__lt=end_of_day(as_of))
        .count()
    )


def published_series(prefecture: str, dates: list[datetime.date]) -> dict:
    """``published_on`` on each of ``dates`` from one read of the publication times."""
    import bisect

    times = sorted(
        Case.objects.published()
        .in_prefecture(prefecture)
        .filter(published_at__isnull=False)
        .values_list("published_at", flat=True)
    )
    return {day: bisect.bisect_left(times, end_of_day(day)) for day in dates}


def _manage_url(prefecture: str, as_of: datetime.date) -> str:
    return f"{reverse('casebook:manage-list')}?status=published"


def plan_kpis() -> tuple[kpis.Kpi, ...]:
    return (
        kpis.Kpi(
            code="cases_published",
            label=_("Practice cases published in the casebook"),
            pillar="visibility",
            unit=kpis.COUNT,
            period=kpis.LEVEL,
            measure=published_on,
            measure_series=published_series,
            depends_on=("casebook",),
            source=_("Casebook (published with consent in force)"),
            records_url=_manage_url,
        ),
    )
