"""The grants report for the center's staff: the page with its tables, and the workbook."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of
from sasaeai.regions.models import Center

from .. import reports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _prefecture(user) -> str:
    prefecture = scope_of(user).home_prefecture
    if prefecture is None:  # a superuser without a center: the deployment's
        center = Center.objects.for_display()
        prefecture = center.prefecture_id if center else None
    if prefecture is None:
        raise Http404
    return prefecture


def _fiscal_year(request: HttpRequest) -> int | None:
    """``?fy=2019``; anything else (or nothing) is every fiscal year."""
    text = (request.GET.get("fy") or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


@center_staff
def reports_page(request: HttpRequest) -> HttpResponse:
    prefecture = _prefecture(request.user)
    fiscal_year = _fiscal_year(request)
    figures = reports.grant_figures(prefecture=prefecture, fiscal_year=fiscal_year)
    return render(
        request,
        "grants/reports.html",
        {
            "figures": figures,
            "fiscal_year": fiscal_year,
            "fiscal_years": reports.fiscal_years(prefecture),
        },
    )


@center_staff
def reports_xlsx(request: HttpRequest) -> HttpResponse:
    prefecture = _prefecture(request.user)
    fiscal_year = _fiscal_year(request)
    figures = reports.grant_figures(prefecture=prefecture, fiscal_year=fiscal_year)
    response = HttpResponse(reports.report_workbook(figures), content_type=XLSX)
    suffix = f"-{fiscal_year}" if fiscal_year else ""
    response["Content-Disposition"] = (
        f"attachment; filename=grants-report-{prefecture}{suffix}.xlsx"
    )
    return response
