"""The survey's 「している」 checked against the registry (issue 8: the registry feeds the
survey's KPI cross-checks).

For a fiscal year, each corporation that submitted a response to one of the prefecture's KPI
rounds either answered 「している」 or not, and either has a published activity (public or
internal) running at the end of that fiscal year or has none. The four counts show how far the
survey and the registry agree; the two lists of disagreements are the center's follow-up:
corporations that say they do public-interest work but have registered nothing (invite them to
register it), and corporations with registered activities that answered otherwise (check the
answer or the activity). Three queries, whatever the number of corporations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from sasaeai.members.models import Corporation
from sasaeai.surveys.models import Round
from sasaeai.surveys.results import respondents_doing

from .models import Activity, ReviewState


@dataclass
class CrossCheck:
    fiscal_year: int
    on: datetime.date  # the fiscal year's last day: activities running then count
    doing_with: int = 0
    doing_without: int = 0
    not_doing_with: int = 0
    not_doing_without: int = 0
    # The follow-up: (corporation id, name), by name.
    doing_but_unregistered: list[tuple[int, str]] = field(default_factory=list)
    registered_but_not_doing: list[tuple[int, str]] = field(default_factory=list)

    @property
    def respondents(self) -> int:
        return self.doing_with + self.doing_without + self.not_doing_with + self.not_doing_without


def fiscal_year_end(fiscal_year: int) -> datetime.date:
    return datetime.date(fiscal_year + 1, 3, 31)


def kpi_years(prefecture: str) -> list[int]:
    """The fiscal years with a KPI round in the prefecture, newest first."""
    years = (
        Round.objects.filter(survey__prefecture_id=prefecture, kpi_question__isnull=False)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    return list(years)


def cross_check(prefecture: str, fiscal_year: int) -> CrossCheck:
    on = fiscal_year_end(fiscal_year)
    result = CrossCheck(fiscal_year=fiscal_year, on=on)
    answered = respondents_doing(prefecture, fiscal_year)
    if not answered:
        return result
    registered = set(
        Activity.objects.filter(state=ReviewState.PUBLISHED, corporation_id__in=list(answered))
        .running_on(on)
        .values_list("corporation_id", flat=True)
    )
    follow_up = []
    for corporation_id, doing in answered.items():
        has = corporation_id in registered
        if doing and has:
            result.doing_with += 1
        elif doing:
            result.doing_without += 1
            follow_up.append(corporation_id)
        elif has:
            result.not_doing_with += 1
            follow_up.append(corporation_id)
        else:
            result.not_doing_without += 1
    names = dict(Corporation.objects.filter(pk__in=follow_up).order_by().values_list("pk", "name"))
    for corporation_id in follow_up:
        entry = (corporation_id, names.get(corporation_id, ""))
        if answered[corporation_id]:
            result.doing_but_unregistered.append(entry)
        else:
            result.registered_but_not_doing.append(entry)
    result.doing_but_unregistered.sort(key=lambda entry: entry[1])
    result.registered_but_not_doing.sort(key=lambda entry: entry[1])
    return result
