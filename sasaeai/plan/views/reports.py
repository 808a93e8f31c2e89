"""The reports the center hands on: the board and prefecture report on a date or at a fiscal
year's end (PDF with the KPI table and a chart per target; the same as an .xlsx workbook), and
the yearly business report's skeleton (事業報告: HTML, PDF, .xlsx). Center staff only."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts.access import center_staff
from sasaeai.core.dates import fiscal_year_range, parse_fiscal_year
from sasaeai.core.errors import UserInputError
from sasaeai.core.pdf import render_pdf
from sasaeai.regions.models import Center

from .. import business, report
from ..charts import line_chart
from ..forms import AsOfForm
from ..measuring import read_plan
from ..models import Plan
from ..queries import plan_for
from .common import home_prefecture, today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_SIZE = {"width": 520, "height": 160}


def _plan(prefecture: str, day: datetime.date | None = None) -> Plan:
    plan = plan_for(prefecture, day)
    if plan is None:
        raise Http404
    return plan


def _report_date(request, prefecture: str) -> tuple[Plan, datetime.date]:
    """The plan and the date asked for: ``?fiscal_year=`` (its end, or today while it runs),
    ``?as_of=``, or by default today (the plan's last day once it has ended)."""
    asked_year = request.GET.get("fiscal_year", "").strip()
    if asked_year:
        year = parse_fiscal_year(asked_year)
        plan = _plan(prefecture, fiscal_year_range(year)[1])
        return plan, report.as_of_for_fiscal_year(plan, year, today=today())
    form = AsOfForm(request.GET)
    if not form.is_valid():
        message = form.errors["as_of"][0]
        raise UserInputError("%(message)s", code="as_of", params={"message": message})
    as_of = form.cleaned_data.get("as_of")
    if as_of is None:
        plan = _plan(prefecture)
        as_of = min(today(), plan.ends_on)
    return _plan(prefecture, as_of), as_of


def _refused(request, error: UserInputError) -> HttpResponse:
    """The page that says why no report was made (400), with the way back."""
    return render(request, "plan/report_error.html", {"message": str(error)}, status=400)


def _download(content: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


def _center_name(prefecture: str) -> str:
    center = Center.objects.filter(prefecture_id=prefecture).first()
    return center.name if center else ""


@require_GET
@center_staff
def report_pdf(request):
    """The board and prefecture report: the KPI table, then each target's chart and figures."""
    prefecture = home_prefecture(request)
    try:
        plan, as_of = _report_date(request, prefecture)
        reading = read_plan(plan, as_of, today=today())
    except UserInputError as error:
        return _refused(request, error)
    targets = [
        {
            "reading": r,
            "chart": line_chart(r, **CHART_SIZE, dom_id=f"pdf-{r.code}"),
            "figures": report.year_end_figures(r),
        }
        for r in reading.readings
    ]
    context = {
        "center_name": _center_name(prefecture),
        "plan": plan,
        "reading": reading,
        "as_of": as_of,
        "rows": report.kpi_rows(reading),
        "headers": report.KPI_HEADERS,
        "targets": targets,
        "today": today(),
    }
    pdf = render_pdf("plan/report_pdf.html", context, request=request)
    return _download(pdf, "application/pdf", f"plan-report-{as_of:%Y%m%d}.pdf", inline=True)


@require_GET
@center_staff
def report_xlsx(request):
    prefecture = home_prefecture(request)
    try:
        plan, as_of = _report_date(request, prefecture)
        reading = read_plan(plan, as_of, today=today())
    except UserInputError as error:
        return _refused(request, error)
    content = report.report_workbook(reading)
    return _download(content, XLSX, f"plan-report-{as_of:%Y%m%d}.xlsx", inline=False)


def _business_report(request, fiscal_year: int) -> business.BusinessReport:
    prefecture = home_prefecture(request)
    plan = _plan(prefecture, fiscal_year_range(fiscal_year)[1])
    return business.business_report(plan, fiscal_year, today=today())


@require_GET
@center_staff
def business_report(request, fiscal_year: int):
    try:
        made = _business_report(request, fiscal_year)
    except UserInputError as error:
        return _refused(request, error)
    return render(request, "plan/business_report.html", {"report": made})


@require_GET
@center_staff
def business_report_pdf(request, fiscal_year: int):
    try:
        made = _business_report(request, fiscal_year)
    except UserInputError as error:
        return _refused(request, error)
    pdf = render_pdf(
        "plan/business_report_pdf.html", {"report": made, "today": today()}, request=request
    )
    return _download(pdf, "application/pdf", f"business-report-{fiscal_year}.pdf", inline=True)


@require_GET
@center_staff
def business_report_xlsx(request, fiscal_year: int):
    try:
        made = _business_report(request, fiscal_year)
    except UserInputError as error:
        return _refused(request, error)
    content = report.business_workbook(made)
    return _download(content, XLSX, f"business-report-{fiscal_year}.xlsx", inline=False)


__all__ = [
    "business_report",
    "business_report_pdf",
    "business_report_xlsx",
    "report_pdf",
    "report_xlsx",
]
