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
            depends_on=("surveys",),
            source=_("Yearly survey of corporations (latest fiscal year answered)"),
            records_url=_surveys_url,
        ),
    )
