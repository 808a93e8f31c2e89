"""The plan's grant figures as of any date: what was awarded (交付決定) and what was paid.

An award counts from its ``decided_on``; a payment from its ``paid_on``. An approved amendment
(変更承認) replaces the awarded amounts but keeps the amounts before it (``previous``), so the
amounts in force on a date before the amendment are those it replaced: the figures of the
past do not change when an award is amended later. A few queries, whatever the number of
awards.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Sum

from .models import Amendment, AwardYear, Decision, Payment

__all__ = ["Total", "awarded_on", "paid_on"]


@dataclass(frozen=True)
class Total:
    """How many (awards or payments) and how much (yen)."""

    count: int = 0
    amount: int = 0


def _awards(prefecture: str, as_of: datetime.date):
    return Decision.objects.filter(
        outcome=Decision.Outcome.AWARDED,
        decided_on__lte=as_of,
        application__call__program__prefecture_id=prefecture,
    )


def awarded_on(prefecture: str, as_of: datetime.date, *, fiscal_year: int | None = None) -> Total:
    """Awards decided on or before ``as_of`` in the prefecture's programs (for the amounts of
    one fiscal year, when given): their number and the yen awarded, as they stood that day."""
    decisions = _awards(prefecture, as_of)
    years = AwardYear.objects.filter(decision__in=decisions)
    if fiscal_year is not None:
        years = years.filter(fiscal_year=fiscal_year)
    now = years.aggregate(count=Count("decision", distinct=True), amount=Sum("amount"))
    count, amount = now["count"], now["amount"] or 0

    # Awards amended after the date: the amounts then in force are the ``previous`` of the
    # first amendment approved after it.
    later = (
        Amendment.objects.filter(
            decision__in=decisions, status=Amendment.Status.APPROVED, decided_on__gt=as_of
        )
        .order_by("decision_id", "decided_on", "pk")
        .values_list("decision_id", "previous")
    )
    then: dict[int, dict[int, int]] = {}
    for decision_id, previous in later:
        if decision_id not in then:
            then[decision_id] = {int(year): int(yen) for year, yen in (previous or {}).items()}
    if not then:
        return Total(count=count, amount=amount)
    current = dict(
        years.filter(decision_id__in=list(then))
        .values("decision_id")
        .annotate(total=Sum("amount"))
        .values_list("decision_id", "total")
    )
    for decision_id, previous in then.items():
        if fiscal_year is not None:
            previous = {fiscal_year: previous[fiscal_year]} if fiscal_year in previous else {}
        count += bool(previous) - (decision_id in current)
        amount += sum(previous.values()) - current.get(decision_id, 0)
    return Total(count=count, amount=amount)


def paid_on(prefecture: str, as_of: datetime.date, *, fiscal_year: int | None = None) -> Total:
    """Payments (概算払・精算払) made on or before ``as_of`` in the prefecture's programs (for
    one fiscal year's award, when given): their number and the yen paid."""
    payments = Payment.objects.filter(
        paid_on__lte=as_of, decision__application__call__program__prefecture_id=prefecture
    )
    if fiscal_year is not None:
        payments = payments.filter(fiscal_year=fiscal_year)
    row = payments.aggregate(count=Count("pk"), amount=Sum("amount"))
    return Total(count=row["count"], amount=row["amount"] or 0)


def plan_kpis():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from sasaeai.core import kpis

    return (
        kpis.Kpi(
            code="grants_awarded",
            label=_("Grants awarded (model sites and network formation)"),
            pillar="models",
            unit=kpis.COUNT,
            period=kpis.LEVEL,
            measure=lambda prefecture, as_of: awarded_on(prefecture, as_of).count,
            depends_on=("grants",),
            source=_("Grant decisions (awarded, as amended on the date)"),
            records_url=lambda prefecture, as_of: reverse("grants:home"),
        ),
    )
