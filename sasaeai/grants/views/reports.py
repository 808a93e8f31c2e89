"""The grants report for the center's staff: the page with its tables, and the workbook."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import shown_prefecture as _prefecture

from .. import reports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
