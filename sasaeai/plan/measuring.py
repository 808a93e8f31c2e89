"""Every target of a plan measured on a date: the value from the records (through the KPI its
app registered), the progress, the pace needed to meet the deadline, a forecast (the trend of
the last 12 months projected to the deadline) and a status.

Figures are cached per (KPI, area, date) under the version tokens of the records they read
(``core.versions``): a write replaces its app's token after the commit, so a figure is never
served after a change, and a late-entered record changes the past honestly. A dashboard reads
the tokens in one query and the cached figures in one cache read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from sasaeai.core import kpis
from sasaeai.core.dates import fiscal_year, fiscal_year_range, month_end
from sasaeai.core.errors import UserInputError

from .figures import Figures
from .models import Plan, Target

DAYS_PER_MONTH = 365.25 / 12
TREND_MONTHS = 12


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("achieved")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    MISSED = "missed", _("missed")
    NOT_MEASURED = "not_measured", _("not measured yet")
    INDICATOR = "indicator", _("indicator (no target)")


class AsOfError(UserInputError):
    """A date the plan cannot be read on."""


@dataclass(frozen=True)
class Point:
    on: datetime.date
    value: float | None
    forecast: bool = False


@dataclass(frozen=True)
class Reading:
    """One target on one date."""

    target_id: int
    code: str
    label: str
    pillar_slug: str
    pillar_title: str
    pillar_numeral: str
    unit: str
    period: str
    target: float | None
    deadline: datetime.date | None
    evaluated_on: datetime.date | None  # the deadline, or the end of the date's fiscal year
    as_of: datetime.date
    measured_on: datetime.date  # as_of, or today for a date in the future
    value: float | None
    is_forecast: bool
    baseline: float | None
    baseline_on: datetime.date | None
    value_at_deadline: float | None
    forecast: float | None  # projected to evaluated_on
    trend_per_month: float | None
    pace_per_month: float | None  # needed from now to reach the target
    status: str
    source: str
    records_url: str | None
    is_public: bool
    series: tuple[Point, ...] = field(default=())

    @property
    def is_rate(self) -> bool:
        return self.unit == kpis.RATE

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_yearly(self) -> bool:
        return self.period == kpis.YEARLY

    @property
    def progress(self) -> float | None:
        """The value as a share of the target, for a bar (at most 1)."""
        if self.value is None or not self.target:
            return None
        return max(0.0, min(1.0, self.value / self.target))


@dataclass(frozen=True)
class PlanReading:
    plan_id: int
    plan_name: str
    prefecture: str
    municipality: str | None
    as_of: datetime.date
    today: datetime.date
    readings: tuple[Reading, ...]
    unknown: tuple[str, ...] = ()  # KPI codes of targets no app measures (any more)

    @property
    def is_forecast(self) -> bool:
        return self.as_of > self.today

    def by_status(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for reading in self.readings:
            counts[reading.status] = counts.get(reading.status, 0) + 1
        return counts


# Dates -----------------------------------------------------------------------------------------


def months_back(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier (the month's last day when it has fewer days)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, month_end(year, month + 1).day))


def month_ends_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The last day of every month from ``first``'s to ``last``'s (the last one: ``last``)."""
    days = []
    year, month = first.year, first.month
    while (year, month) < (last.year, last.month):
        days.append(month_end(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    days.append(last)
    return days


# Reading a plan --------------------------------------------------------------------------------


def check_as_of(plan: Plan, as_of: datetime.date) -> None:
    if as_of < plan.starts_on:
        raise AsOfError(
            _(
                "%(day)s is before the plan “%(plan)s” starts (%(start)s). "
                "Choose a date from %(start)s."
            ),
            code="before_plan",
            params={
                "day": as_of.isoformat(),
                "plan": plan.name,
                "start": plan.starts_on.isoformat(),
            },
        )


def _evaluated_on(kpi: kpis.Kpi, target: Target, as_of: datetime.date) -> datetime.date | None:
    if target.deadline is None:
        return None
    if kpi.period == kpis.YEARLY:
        return min(fiscal_year_range(fiscal_year(min(as_of, target.deadline)))[1], target.deadline)
    return target.deadline


def _slope_per_day(points: list[tuple[datetime.date, float]]) -> float | None:
    """Least-squares slope of the values over the days."""
    if len(points) < 2:
        return None
    origin = points[-1][0]
    xs = [(day - origin).days for day, _ in points]
    ys = [value for _, value in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if not spread:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def _clamp(kpi: kpis.Kpi, value: float) -> float:
    value = max(0.0, value)
    return min(1.0, value) if kpi.unit == kpis.RATE else value


class _Plan:
    """The dates each target needs, then the readings from the values."""

    def __init__(
        self,
        plan: Plan,
        targets: list[Target],
        as_of: datetime.date,
        today: datetime.date,
        series: bool,
    ):
        self.plan, self.targets, self.as_of, self.today = plan, targets, as_of, today
        self.measured_on = min(as_of, today)
        self.series = series

    def trend_days(self) -> list[datetime.date]:
        return [months_back(self.measured_on, k) for k in range(TREND_MONTHS, -1, -1)]

    def series_days(self) -> list[datetime.date]:
        if not self.series:
            return []
        start = self.plan.starts_on
        if self.measured_on < start:
            return []
        return month_ends_between(start, self.measured_on)

    def days_for(self, kpi: kpis.Kpi, target: Target) -> set[datetime.date]:
        days = {self.measured_on, *self.series_days()}
        if kpi.period == kpis.YEARLY:
            year_ago = months_back(self.measured_on, 12)
            days |= {year_ago, fiscal_year_range(fiscal_year(year_ago))[1]}
        else:
            days |= set(self.trend_days())
        if target.baseline_on:
            days.add(target.baseline_on)
        if target.deadline and target.deadline <= self.measured_on:
            days.add(target.deadline)
        evaluated = _evaluated_on(kpi, target, self.as_of)
        if evaluated and evaluated <= self.measured_on:
            days.add(evaluated)
        return days

    def reading(self, kpi: kpis.Kpi, target: Target, values: dict, records_url) -> Reading:
        def v(day):
            return values.get((kpi.code, day))

        now = v(self.measured_on)
        evaluated = _evaluated_on(kpi, target, self.as_of)
        slope = None
        if kpi.period == kpis.YEARLY:
            year_ago = months_back(self.measured_on, 12)
            last_year_end = fiscal_year_range(fiscal_year(year_ago))[1]
            if now is not None and v(year_ago) is not None and v(last_year_end) is not None:
                rest_of_last_year = v(last_year_end) - v(year_ago)
                remaining = (last_year_end - year_ago).days
                slope = rest_of_last_year / remaining if remaining > 0 else 0.0

            def project(day: datetime.date) -> float | None:
                if now is None or slope is None:
                    return None
                if fiscal_year(day) != fiscal_year(self.measured_on):
                    return _clamp(kpi, v(last_year_end) or 0.0)  # a later year: like the last one
                return _clamp(kpi, now + slope * (day - self.measured_on).days)
        else:
            points = [(d, v(d)) for d in self.trend_days() if v(d) is not None]
            slope = _slope_per_day(points)

            def project(day: datetime.date) -> float | None:
                if now is None or slope is None:
                    return None
                return _clamp(kpi, now + slope * (day - self.measured_on).days)

        is_forecast = self.as_of > self.today
        value = project(self.as_of) if is_forecast else now
        forecast = None
        if evaluated is not None:
            forecast = v(evaluated) if evaluated <= self.measured_on else project(evaluated)
        value_at_deadline = None
        if target.deadline and target.deadline <= self.measured_on:
            value_at_deadline = v(target.deadline)

        goal = target.target
        status, pace = self._status(goal, value, evaluated, forecast, kpi)
        if status in (Status.ON_TRACK, Status.AT_RISK) and evaluated and value is not None:
            months_left = (evaluated - self.as_of).days / DAYS_PER_MONTH
            pace = (goal - value) / months_left if months_left > 0 else None

        points = [Point(day, v(day)) for day in self.series_days()]
        if evaluated and evaluated > self.measured_on and forecast is not None and now is not None:
            points.append(Point(self.measured_on, now, forecast=True))
            if is_forecast and self.as_of < evaluated:
                points.append(Point(self.as_of, value, forecast=True))
            points.append(Point(evaluated, forecast, forecast=True))
        elif is_forecast and value is not None and now is not None:
            points += [
                Point(self.measured_on, now, forecast=True),
                Point(self.as_of, value, forecast=True),
            ]

        pillar = target.pillar
        return Reading(
            target_id=target.pk,
            code=kpi.code,
            label=target.title,
            pillar_slug=pillar.slug,
            pillar_title=pillar.title,
            pillar_numeral=pillar.numeral,
            unit=kpi.unit,
            period=kpi.period,
            target=goal,
            deadline=target.deadline,
            evaluated_on=evaluated,
            as_of=self.as_of,
            measured_on=self.measured_on,
            value=value,
            is_forecast=is_forecast,
            baseline=v(target.baseline_on) if target.baseline_on else None,
            baseline_on=target.baseline_on,
            value_at_deadline=value_at_deadline,
            forecast=forecast,
            trend_per_month=None if slope is None else slope * DAYS_PER_MONTH,
            pace_per_month=pace,
            status=status,
            source=target.source or str(kpi.source),
            records_url=records_url,
            is_public=target.is_public,
            series=tuple(points),
        )

    def _status(self, goal, value, evaluated, forecast, kpi) -> tuple[str, float | None]:
        if goal is None:
            return Status.INDICATOR, None
        if value is None:
            return Status.NOT_MEASURED, None
        if evaluated is not None and self.as_of >= evaluated:
            final = forecast if forecast is not None else value
            return (Status.ACHIEVED if final >= goal else Status.MISSED), None
        if value >= goal:
            return Status.ACHIEVED, None
        if forecast is not None and forecast >= goal:
            return Status.ON_TRACK, None
        return Status.AT_RISK, None


def read_plan(
    plan: Plan,
    as_of: datetime.date,
    *,
    today: datetime.date,
    public_only: bool = False,
    municipality: str | None = None,
    series: bool = True,
    codes: set[str] | None = None,
) -> PlanReading:
    """Every target of ``plan`` on ``as_of`` (a date after ``today``: forecast, marked so).

    Queries: the targets with their pillars (1), the version tokens (1), then the cache; only
    figures not yet cached are measured."""
    check_as_of(plan, as_of)
    targets = list(
        Target.objects.filter(plan=plan)
        .select_related("pillar")
        .order_by("pillar__order", "order", "pk")
    )
    if public_only:
        targets = [t for t in targets if t.is_public]
    if codes is not None:
        targets = [t for t in targets if t.kpi_code in codes]
    known = [(t, kpis.get(t.kpi_code)) for t in targets if _known(t.kpi_code)]
    if municipality is not None:
        known = [(t, k) for t, k in known if k.measure_municipality is not None]
    reader = _Plan(plan, [t for t, _ in known], as_of, today, series)
    wanted: dict[kpis.Kpi, set[datetime.date]] = {}
    for target, kpi in known:
        wanted.setdefault(kpi, set()).update(reader.days_for(kpi, target))
    figures = Figures(plan.prefecture_id, municipality)
    figures.load_tokens(wanted)
    values = figures.values(wanted)
    readings = []
    for target, kpi in known:
        url = kpi.records_url(plan.prefecture_id, reader.measured_on) if kpi.records_url else None
        readings.append(reader.reading(kpi, target, values, url))
    return PlanReading(
        plan_id=plan.pk,
        plan_name=plan.name,
        prefecture=plan.prefecture_id,
        municipality=municipality,
        as_of=as_of,
        today=today,
        readings=tuple(readings),
        unknown=tuple(t.kpi_code for t in targets if not _known(t.kpi_code)),
    )


def _known(code: str) -> bool:
    try:
        kpis.get(code)
    except kpis.UnknownKpi:
        return False
    return True
