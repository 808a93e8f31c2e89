"""Reports and a person's history of events."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import shown_prefecture as _home_prefecture
from sasaeai.core.access import authenticated

from ..models import (
    Registration,
)

# Reports and history -------------------------------------------------------------------------


@center_staff
def reports(request):
    from .. import reports as figures

    prefecture = _home_prefecture(request.user)
    fy = request.GET.get("fy")
    fiscal_year = int(fy) if fy and fy.isdigit() else None
    report = figures.training_report(prefecture=prefecture, fiscal_year=fiscal_year)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            figures.report_workbook(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename=training-report-{prefecture}.xlsx"
        return response
    return render(request, "events/reports.html", {"report": report, "fy": fy or ""})


@authenticated
def history(request):
    """Training history: of the user's organisations (corporation or council staff), or of
    anyone in the prefecture searched by name or organisation (center staff)."""
    registrations = (
        Registration.objects.visible_to(request.user)
        .active()
        .select_related("event", "corporation", "council", "certificate")
        .annotate(attended=Count("attendances"))
        .order_by("-created_at")
    )
    q = request.GET.get("q", "").strip()
    if q:
        registrations = registrations.filter(
            Q(name__icontains=q)
            | Q(affiliation__icontains=q)
            | Q(corporation__name__icontains=q)
            | Q(council__name__icontains=q)
        )
    return render(
        request,
        "events/history.html",
        {"registrations": registrations[:500], "q": q, "reverse": reverse},
    )
