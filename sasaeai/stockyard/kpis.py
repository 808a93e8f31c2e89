"""The stockyard's figures for the plan (Pillar II, the leading project 緊急一時支援): households
supported and the value of the goods handed over to them, in the fiscal year of a date, up to
the end of that date.

A household is supported on the day a referral for it is handed over (``handed_over_on``); a
referral cancelled since no longer counts (its goods came back). The value is that of the lots
picked for the referrals handed over (quantity × the lot's value per unit), in yen. Both are
counted as ``reports.figures`` counts them, so the plan's figure is the report's.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.core import kpis
from sasaeai.core.dates import fiscal_year, fiscal_year_range

from .models import Movement, Referral, ReferralStatus
from .reports import yen

VALUE = DecimalField(max_digits=24, decimal_places=2)


def _handed_over(prefecture: str, first: datetime.date, last: datetime.date, municipality=None):
    referrals = Referral.objects.filter(
        location__prefecture_id=prefecture,
        status=ReferralStatus.HANDED_OVER,
        handed_over_on__gte=first,
        handed_over_on__lte=last,
    )
    if municipality:
        referrals = referrals.filter(
            Q(location__municipality_id=municipality)
            | Q(location__municipality__parent_id=municipality)
        )
    return referrals


def _year_so_far(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    return fiscal_year_range(fiscal_year(day))[0], day


def households_supported_on(prefecture: str, as_of: datetime.date, municipality=None) -> int:
    """Distinct households with a referral handed over in the fiscal year up to ``as_of``."""
    referrals = _handed_over(prefecture, *_year_so_far(as_of), municipality=municipality)
    return referrals.values("household_id").distinct().count()


def goods_value_on(prefecture: str, as_of: datetime.date, municipality=None) -> int:
    """The value in yen of the goods handed over in the fiscal year up to ``as_of``."""
    referrals = _handed_over(prefecture, *_year_so_far(as_of), municipality=municipality)
    total = Movement.objects.filter(referral__in=referrals).aggregate(
        total=Sum(F("quantity") * F("lot__unit_value"), output_field=VALUE)
    )["total"]
    return yen(-(total or Decimal(0)))


def _households_in(prefecture: str, municipality: str, as_of: datetime.date) -> int:
    """Households supported at the locations in one municipality (its wards included)."""
    return households_supported_on(prefecture, as_of, municipality)


def _goods_value_in(prefecture: str, municipality: str, as_of: datetime.date) -> int:
    return goods_value_on(prefecture, as_of, municipality)


# Many dates at once (the plan's charts): one query each, whatever the number of dates.


def _span(days: list[datetime.date]) -> tuple[datetime.date, datetime.date]:
    return fiscal_year_range(fiscal_year(min(days)))[0], max(days)


def _running(firsts: dict[tuple[int, datetime.date], Decimal], days) -> dict:
    """``firsts``: (fiscal year, day) → amount; each of ``days``: the sum of its fiscal year's
    amounts up to and including it."""
    keys = sorted(firsts)
    running, total, year = [], Decimal(0), None
    for key in keys:
        total = (total if key[0] == year else Decimal(0)) + firsts[key]
        year = key[0]
        running.append(total)
    result = {}
    for day in days:
        last = bisect.bisect_right(keys, (fiscal_year(day), day)) - 1
        result[day] = running[last] if last >= 0 and keys[last][0] == fiscal_year(day) else 0
    return result


def households_supported_series(prefecture: str, days: list[datetime.date]) -> dict:
    """``households_supported_on`` on each of ``days`` from one read of the hand-overs: a
    household counts in a fiscal year from its first hand-over in it."""
    if not days:
        return {}
    rows = _handed_over(prefecture, *_span(days)).values_list("household_id", "handed_over_on")
    first: dict[tuple[int, int], datetime.date] = {}
    for household, day in rows:
        key = (fiscal_year(day), household)
        if key not in first or day < first[key]:
            first[key] = day
    counted: dict[tuple[int, datetime.date], Decimal] = defaultdict(Decimal)
    for (year, _household), day in first.items():
        counted[(year, day)] += 1
    return {day: int(n) for day, n in _running(counted, days).items()}


def goods_value_series(prefecture: str, days: list[datetime.date]) -> dict:
    """``goods_value_on`` on each of ``days`` from one query, summed by day of hand-over."""
    if not days:
        return {}
    rows = (
        Movement.objects.filter(referral__in=_handed_over(prefecture, *_span(days)))
        .values("referral__handed_over_on")
        .annotate(total=Sum(F("quantity") * F("lot__unit_value"), output_field=VALUE))
        .order_by()
    )
    counted: dict[tuple[int, datetime.date], Decimal] = defaultdict(Decimal)
    for row in rows:
        day = row["referral__handed_over_on"]
        counted[(fiscal_year(day), day)] -= row["total"]
    return {day: yen(value) for day, value in _running(counted, days).items()}


def _reports_url(prefecture: str, as_of: datetime.date) -> str:
    return f"{reverse('stockyard:reports')}?fy={fiscal_year(as_of)}"


def plan_kpis() -> tuple[kpis.Kpi, ...]:
    source = _("Stockyard referrals handed over in the fiscal year")
    return (
        kpis.Kpi(
            code="stockyard_households_supported",
            label=_("Households supported by the stockyard"),
            pillar="models",
            unit=kpis.COUNT,
            period=kpis.YEARLY,
            measure=households_supported_on,
            measure_series=households_supported_series,
            measure_municipality=_households_in,
            depends_on=("stockyard",),
            source=source,
            records_url=_reports_url,
        ),
        kpis.Kpi(
            code="stockyard_goods_value_distributed",
            label=_("Value of the goods handed over by the stockyard (yen)"),
            pillar="models",
            unit=kpis.COUNT,
            period=kpis.YEARLY,
            measure=goods_value_on,
            measure_series=goods_value_series,
            measure_municipality=_goods_value_in,
            depends_on=("stockyard",),
            source=source,
            records_url=_reports_url,
        ),
    )
