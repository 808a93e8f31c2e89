"""Which plan a prefecture reads on a date, and who may read it."""

from __future__ import annotations

import datetime

from django.http import Http404

from sasaeai.accounts.scope import scope_of
from sasaeai.core.dates import fiscal_year

from .models import Plan


def plan_for(prefecture: str, as_of: datetime.date | None = None) -> Plan | None:
    """The plan covering ``as_of``; after the last plan ended, the last one; before the first,
    the first (reading it on that date is refused with a message). Without a date: the plan of
    the latest start."""
    plans = Plan.objects.in_prefecture(prefecture)
    if as_of is None:
        return plans.order_by("-first_fiscal_year").first()
    year = fiscal_year(as_of)
    return (
        plans.filter(first_fiscal_year__lte=year).order_by("-first_fiscal_year").first()
        or plans.order_by("first_fiscal_year").first()
    )


def plan_for_user_or_404(user, prefecture: str | None = None) -> Plan:
    scope = scope_of(user)
    prefecture = prefecture or scope.home_prefecture
    if prefecture is None:
        raise Http404
    plan = plan_for(prefecture)
    if plan is None:
        raise Http404
    return plan


def target_value(prefecture: str, code: str):
    """The current plan's target for a KPI (``core.kpis.target_of`` asks here): one query."""
    from django.utils import timezone

    from sasaeai.core.kpis import TargetValue

    from .models import Target

    today = timezone.localdate()
    row = (
        Target.objects.filter(
            plan__prefecture_id=prefecture,
            plan__first_fiscal_year__lte=fiscal_year(today),
            kpi_code=code,
            value__isnull=False,
        )
        .order_by("-plan__first_fiscal_year")
        .values_list("value", "deadline")
        .first()
    )
    return TargetValue(float(row[0]), row[1]) if row else None
