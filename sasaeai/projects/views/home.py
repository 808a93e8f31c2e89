"""The home of Pillar II: themes, model projects by status, leading projects, committees."""

from __future__ import annotations

from django.shortcuts import render

from sasaeai.core.access import public
from sasaeai.members.filters import today_in_japan

from .. import kpis, queries
from ..models import PROJECT_STATUS_ORDER


@public
def home(request):
    """Themes with their counts, model projects by status, leading projects, committees."""
    prefecture = queries.home_prefecture(request.user)
    projects = list(queries.projects_of(request.user, prefecture))
    by_status = [
        (status, [p for p in projects if p.status == status]) for status in PROJECT_STATUS_ORDER
    ]
    today = today_in_japan()
    return render(
        request,
        "projects/home.html",
        {
            "themes": queries.themes_with_counts(request.user, prefecture),
            "by_status": [(s, items) for s, items in by_status if items],
            "figures": kpis.project_figures(prefecture, today),
            "today": today,
            "leading_projects": queries.leading_projects_of(prefecture),
            "committees": queries.committees_of(prefecture),
            "can_manage": queries.manages(request.user, prefecture),
        },
    )
