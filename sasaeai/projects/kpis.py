"""The plan's Pillar II figure: model projects developed and shared, as of any date.

Read from the dated history (``ProjectStatusEntry``) with one subquery-annotated query, so a
late-entered step dated in the past changes the figures of the past, honestly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count

from .models import PROJECT_STATUS_ORDER, ModelProject, ProjectStatus


def model_projects_shared(prefecture: str, as_of: datetime.date) -> int:
    """How many of the prefecture's model projects were at ``shared`` on ``as_of``."""
    return ModelProject.objects.in_prefecture(prefecture).shared_on(as_of).count()


@dataclass(frozen=True)
class ProjectFigures:
    as_of: datetime.date
    total: int  # projects with a step on or before the date
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def shared(self) -> int:
        return self.by_status.get(ProjectStatus.SHARED, 0)

    def rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the order of the steps, for tables."""
        return [(s.value, s.label, self.by_status.get(s.value, 0)) for s in PROJECT_STATUS_ORDER]


def project_figures(prefecture: str, as_of: datetime.date) -> ProjectFigures:
    counts = dict(
        ModelProject.objects.in_prefecture(prefecture)
        .with_status_on(as_of)
        .filter(status_on__isnull=False)
        .order_by()
        .values_list("status_on")
        .annotate(n=Count("pk"))
    )
    by_status = {s.value: counts.get(s.value, 0) for s in PROJECT_STATUS_ORDER}
    return ProjectFigures(as_of=as_of, total=sum(by_status.values()), by_status=by_status)


@dataclass(frozen=True)
class Target:
    value: int
    deadline: datetime.date


def model_project_target(center) -> Target | None:
    """The center's target (Okayama: ≥ 5 shared by the end of FY2022): the plan's, else the
    center's setting."""
    from sasaeai.core.kpis import target_of

    planned = target_of(center.prefecture_id if center else None, "model_projects_shared")
    if planned is not None:
        return Target(int(planned.value), planned.deadline)
    data = (center.settings or {}).get("model_project_target") if center else None
    if not data:
        return None
    return Target(int(data["value"]), datetime.date.fromisoformat(data["deadline"]))


def shared_series(prefecture: str, dates: list[datetime.date]) -> dict:
    """``model_projects_shared`` on each of ``dates`` from one read of the status history."""
    import bisect
    from collections import defaultdict

    from .models import ProjectStatusEntry

    history: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    rows = (
        ProjectStatusEntry.objects.filter(project__prefecture_id=prefecture)
        .order_by("effective_on", "pk")
        .values_list("project_id", "effective_on", "status")
    )
    for project_id, effective, status in rows:
        history[project_id][0].append(effective)
        history[project_id][1].append(status)
    result = {}
    for day in dates:
        count = 0
        for days, statuses in history.values():
            index = bisect.bisect_right(days, day)
            count += index > 0 and statuses[index - 1] == ProjectStatus.SHARED
        result[day] = count
    return result


def _projects_url(prefecture: str, as_of: datetime.date) -> str:
    from django.urls import reverse

    return reverse("projects:project-list")


def plan_kpis():
    from django.utils.translation import gettext_lazy as _

    from sasaeai.core import kpis

    return (
        kpis.Kpi(
            code="model_projects_shared",
            label=_("Model projects developed and shared"),
            pillar="models",
            unit=kpis.COUNT,
            period=kpis.LEVEL,
            measure=model_projects_shared,
            measure_series=shared_series,
            depends_on=("projects",),
            source=_("Model projects (dated status: shared)"),
            records_url=_projects_url,
        ),
    )
