"""The plan as others see it: the public dashboard (published targets), a council's (its
municipality's figures and its network), and the national view of a deployment hosting
several centers (superusers)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts.scope import scope_of, shown_prefecture
from sasaeai.core import kpis
from sasaeai.core.access import authenticated, public
from sasaeai.core.publiccache import cached_public_page
from sasaeai.core.versions import tokens
from sasaeai.regions.models import Center, Municipality

from ..measuring import AsOfError, read_plan
from ..queries import plan_for
from .common import as_of_from, today
from .dashboard import plan_context


def public_version(request) -> tuple:
    """The records every KPI reads, the plan's own edits, and the day (forecasts move)."""
    names = sorted({name for kpi in kpis.registered() for name in kpi.depends_on} | {"plan"})
    return (tokens(*names), today().isoformat())


@require_GET
@public
@cached_public_page(public_version)
def public_dashboard(request):
    context = plan_context(request, shown_prefecture(request.user), public_only=True)
    return render(request, "plan/public.html", context)


@require_GET
@authenticated
def area_dashboard(request):
    """A council's dashboard: the figures of its municipality that can be measured there."""
    scope = scope_of(request.user)
    codes = sorted(scope.municipality_codes)
    if not codes:
        raise Http404
    chosen = request.GET.get("municipality") or codes[0]
    if chosen not in codes:
        raise Http404
    municipality = Municipality.objects.select_related("prefecture").get(code=chosen)
    context = plan_context(request, municipality.prefecture_id, municipality=chosen)
    context.update(
        municipality=municipality,
        municipalities=Municipality.objects.filter(code__in=codes).order_by("code"),
    )
    return render(request, "plan/area.html", context)


@require_GET
@authenticated
def national(request):
    """Every prefecture's plan side by side on one date (the same as-of rule); superusers."""
    if not request.user.is_superuser:
        raise Http404
    centers = list(Center.objects.active().select_related("prefecture").order_by("prefecture_id"))
    as_of, form = as_of_from(request, None)
    rows, codes = [], []
    for center in centers:
        plan = plan_for(center.prefecture_id, as_of)
        reading, error = None, ""
        if plan is not None:
            try:
                reading = read_plan(plan, as_of, today=today(), series=False)
            except AsOfError as exc:
                error = str(exc)
        by_code = {r.code: r for r in reading.readings} if reading else {}
        for code in by_code:
            if code not in codes:
                codes.append(code)
        rows.append({"center": center, "plan": plan, "by_code": by_code, "error": error})
    columns = [(code, kpis.get(code).label) for code in codes]
    for row in rows:
        row["cells"] = [row["by_code"].get(code) for code, _ in columns]
    return render(
        request,
        "plan/national.html",
        {"rows": rows, "columns": columns, "as_of": as_of, "form": form},
    )
