"""The plan's 「している」 share on a date: the latest fiscal year's KPI rounds, counting the
responses submitted by the end of the date (the survey is yearly, so the figure holds until the
next year's answers come in)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.core import kpis
from sasaeai.core.dates import end_of_day

from .results import kpi, latest_kpi_year


def doing_share_on(prefecture: str, as_of: datetime.date) -> float | None:
    before = end_of_day(as_of)
    year = latest_kpi_year(prefecture, before)
    if year is None:
        return None
    return kpi(prefecture, year, submitted_before=before).doing_share


def _surveys_url(prefecture: str, as_of: datetime.date) -> str:
    return reverse("surveys:survey-list")


def plan_kpis() -> tuple[kpis.Kpi, ...]:
    return (
        kpis.Kpi(
            code="survey_doing_share",
            label=_("Survey respondents answering 「している」"),
            pillar="visibility",
            unit=kpis.RATE,
            period=kpis.LEVEL,
            measure=doing_share_on,
            measure_series=doing_share_series,
            depends_on=("surveys",),
            source=_("Yearly survey of corporations (latest fiscal year answered)"),
            records_url=_surveys_url,
        ),
    )


def doing_share_series(prefecture: str, dates: list[datetime.date]) -> dict:
    """``doing_share_on`` on each of ``dates`` from one read of the KPI rounds' submitted
    responses (each with its fiscal year, submission time and whether it says 「している」)."""
    import bisect
    from collections import defaultdict
    from itertools import accumulate

    from django.db.models import Q

    from .models import Answer, Response, Round

    rounds = list(
        Round.objects.filter(survey__prefecture_id=prefecture, kpi_question__isnull=False).values(
            "id", "fiscal_year", "kpi_question_id", "kpi_choices"
        )
    )
    if not rounds:
        return dict.fromkeys(dates)
    doing_q = Q(pk__in=[])
    for r in rounds:
        doing_q |= Q(
            response__round_id=r["id"],
            question_id=r["kpi_question_id"],
            choice__code__in=list(r["kpi_choices"] or []),
        )
    ids = [r["id"] for r in rounds]
    saying = set(
        Answer.objects.filter(doing_q, response__submitted_at__isnull=False)
        .values_list("response_id", flat=True)
        .distinct()
    )
    rows = (
        Response.objects.filter(round_id__in=ids, submitted_at__isnull=False)
        .order_by("submitted_at")
        .values_list("pk", "round__fiscal_year", "submitted_at")
    )
    times: dict[int, list] = defaultdict(list)
    doing: dict[int, list] = defaultdict(list)
    for pk, year, submitted in rows:
        times[year].append(submitted)
        doing[year].append(int(pk in saying))
    sums = {year: list(accumulate(values)) for year, values in doing.items()}
    result = {}
    for day in dates:
        before = end_of_day(day)
        counts = {year: bisect.bisect_left(times[year], before) for year in times}
        answered = [year for year, n in counts.items() if n]
        if not answered:
            result[day] = None
            continue
        year = max(answered)
        result[day] = sums[year][counts[year] - 1] / counts[year]
    return result
