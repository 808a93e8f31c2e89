"""Pillar VI's figure for the plan: policy proposals made (submitted) by a date."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.core import kpis

from .models import Proposal, ProposalStatus


def made_on(prefecture: str, as_of: datetime.date) -> int:
    return (
        Proposal.objects.in_prefecture(prefecture)
        .filter(
            status__in=[ProposalStatus.SUBMITTED, ProposalStatus.ANSWERED],
            submitted_on__lte=as_of,
        )
        .count()
    )


def made_series(prefecture: str, dates: list[datetime.date]) -> dict:
    """``made_on`` on each of ``dates`` from one read of the submission dates."""
    import bisect

    days = sorted(
        Proposal.objects.in_prefecture(prefecture)
        .filter(
            status__in=[ProposalStatus.SUBMITTED, ProposalStatus.ANSWERED],
            submitted_on__isnull=False,
        )
        .values_list("submitted_on", flat=True)
    )
    return {day: bisect.bisect_right(days, day) for day in dates}


def _list_url(prefecture: str, as_of: datetime.date) -> str:
    return reverse("proposals:list")


def plan_kpis() -> tuple[kpis.Kpi, ...]:
    return (
        kpis.Kpi(
            code="proposals_made",
            label=_("Policy proposals made"),
            pillar="social-action",
            unit=kpis.COUNT,
            period=kpis.LEVEL,
            measure=made_on,
            measure_series=made_series,
            depends_on=("proposals",),
            source=_("Proposals (submitted on or before the date)"),
            records_url=_list_url,
        ),
    )
