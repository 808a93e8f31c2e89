"""The center's dashboard: every target of the plan on a chosen date, with its chart, table,
forecast and status, and the way to the records behind each figure."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts.access import center_staff
from sasaeai.core.dates import fiscal_year

from .. import actions
from ..charts import line_chart
from ..forms import TargetForm
from ..measuring import AsOfError, read_plan
from ..models import Target
from ..queries import plan_for
from .common import as_of_from, home_prefecture, today


def pillar_groups(readings):
    return [
        (key, list(items))
        for key, items in groupby(readings, key=lambda r: (r.pillar_numeral, r.pillar_title))
    ]


def plan_context(request, prefecture: str, *, public_only: bool = False, municipality=None):
    plan = plan_for(prefecture)
    context = {"plan": plan, "prefecture": prefecture, "today": today()}
    if plan is None:
        return context
    as_of, form = as_of_from(request, plan)
    plan = plan_for(prefecture, as_of)
    context.update(plan=plan, as_of=as_of, form=form)
    try:
        reading = read_plan(
            plan, as_of, today=today(), public_only=public_only, municipality=municipality
        )
    except AsOfError as error:
        form.add_error("as_of", str(error))
        return context
    context.update(
        reading=reading,
        groups=pillar_groups(reading.readings),
        charts={r.code: line_chart(r, width=360, height=160) for r in reading.readings},
    )
    return context


@require_GET
@center_staff
def dashboard(request):
    context = plan_context(request, home_prefecture(request))
    plan = context.get("plan")
    if plan is not None and "as_of" in context:
        # The business report of the date's fiscal year, within the plan and begun.
        day = min(context["as_of"], context["today"], plan.ends_on)
        context["report_year"] = max(fiscal_year(day), plan.first_fiscal_year)
    return render(request, "plan/dashboard.html", context)


@require_GET
@center_staff
def target_detail(request, pk: int):
    prefecture = home_prefecture(request)
    target = get_object_or_404(
        Target.objects.select_related("plan", "pillar"), pk=pk, plan__prefecture_id=prefecture
    )
    as_of, form = as_of_from(request, target.plan)
    context = {"target": target, "plan": target.plan, "as_of": as_of, "form": form}
    try:
        reading = read_plan(target.plan, as_of, today=today(), codes={target.kpi_code})
    except AsOfError as error:
        form.add_error("as_of", str(error))
    else:
        if not reading.readings:
            raise Http404
        context.update(
            reading=reading.readings[0],
            chart=line_chart(reading.readings[0], width=720, height=280),
        )
    return render(request, "plan/target_detail.html", context)


@require_http_methods(["GET", "POST"])
@center_staff
def target_edit(request, pk: int | None = None):
    prefecture = home_prefecture(request)
    plan = plan_for(prefecture)
    if plan is None:
        raise Http404
    target = None
    if pk is not None:
        target = get_object_or_404(Target, pk=pk, plan__prefecture_id=prefecture)
        plan = target.plan
    form = TargetForm(request.POST or None, instance=target, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_target(form.save(commit=False), by=request.user)
        messages.success(request, _("The target “%(label)s” was saved.") % {"label": saved.title})
        return redirect("plan:target", pk=saved.pk)
    return render(request, "plan/target_form.html", {"form": form, "plan": plan, "target": target})
