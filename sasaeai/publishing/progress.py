"""The plan's progress on the home page: each KPI as of today with its target, read through
the KPI functions of the apps that own the records (a constant number of queries)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import fiscal_year
from sasaeai.core.kpis import target_of


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    value: float | int | None  # None: not measured yet
    target: float | int | None
    deadline: datetime.date | None
    is_rate: bool = False
    note: str = ""

    @property
    def reached(self) -> bool:
        return self.value is not None and self.target is not None and self.value >= self.target

    @property
    def percent(self) -> int | None:
        """For a bar: the value as a share of the target, at most 100."""
        if self.value is None or not self.target:
            return None
        return min(100, round(self.value / self.target * 100))


PLAN_CODES = {
    "membership_target": "membership_rate",
    "network_target": "networks_established",
    "model_project_target": "model_projects_shared",
    "survey_target": "survey_doing_share",
}


def _target(center, key: str, field: str) -> tuple[float | None, datetime.date | None]:
    """The plan's target (``core.kpis.target_of``), else the center's setting."""
    planned = target_of(center.prefecture_id if center else None, PLAN_CODES[key])
    if planned is not None:
        return planned.value, planned.deadline
    data = (center.settings or {}).get(key) if center else None
    if not data:
        return None, None
    return float(data[field]), datetime.date.fromisoformat(data["deadline"])


def _survey_year(prefecture: str, today: datetime.date) -> int | None:
    """The latest fiscal year up to today's with a KPI round (the survey is yearly)."""
    from sasaeai.surveys.models import Round

    return (
        Round.objects.filter(
            survey__prefecture_id=prefecture,
            kpi_question__isnull=False,
            fiscal_year__lte=fiscal_year(today),
        )
        .aggregate(year=Max("fiscal_year"))
        .get("year")
    )


def plan_progress(center, *, today: datetime.date) -> list[Figure]:
    """The four figures of the plan (membership rate, networks, model projects shared, the
    survey's 「している」 share) on ``today``."""
    from sasaeai.members.kpis import membership_rate
    from sasaeai.networks.models import MunicipalNetwork
    from sasaeai.projects.kpis import model_projects_shared
    from sasaeai.surveys.results import kpi

    prefecture = center.prefecture_id
    rate = membership_rate(prefecture=prefecture, as_of=today)
    networks = MunicipalNetwork.objects.in_prefecture(prefecture).established_on(today).count()
    shared = model_projects_shared(prefecture, today)
    year = _survey_year(prefecture, today)
    survey = kpi(prefecture, year) if year else None
    figures = [
        Figure(
            "membership",
            _("Membership rate"),
            rate.rate,
            *_target(center, "membership_target", "rate"),
            is_rate=True,
        ),
        Figure(
            "networks",
            _("Municipal areas with a network"),
            networks,
            *_target(center, "network_target", "value"),
        ),
        Figure(
            "models",
            _("Model projects developed and shared"),
            shared,
            *_target(center, "model_project_target", "value"),
        ),
        Figure(
            "survey",
            _("Corporations carrying out public-interest activities"),
            survey.doing_share if survey else None,
            *_target(center, "survey_target", "share"),
            is_rate=True,
            note=str(year or ""),
        ),
    ]
    return figures


def progress_version(prefecture: str) -> tuple:
    """What the figures depend on, cheaply: the registry's token (bumped by every membership
    write), and the count and latest row of each dated history."""
    from sasaeai.members.kpis import registry_version
    from sasaeai.networks.models import MunicipalNetwork, StatusEntry
    from sasaeai.projects.models import ProjectStatusEntry
    from sasaeai.surveys.models import Response

    def stamp(queryset, *fields):
        return tuple(
            queryset.aggregate(
                n=Count("pk"), last=Max("pk"), **{f: Max(f) for f in fields}
            ).values()
        )

    from sasaeai.core.versions import tokens

    return (
        registry_version(),
        tokens("plan"),  # the targets shown beside the figures
        stamp(MunicipalNetwork.objects.in_prefecture(prefecture), "established_on", "dissolved_on"),
        stamp(StatusEntry.objects.in_prefecture(prefecture)),
        stamp(ProjectStatusEntry.objects.filter(project__prefecture_id=prefecture), "effective_on"),
        stamp(
            Response.objects.filter(
                round__survey__prefecture_id=prefecture, submitted_at__isnull=False
            ),
            "updated_at",
        ),
    )
