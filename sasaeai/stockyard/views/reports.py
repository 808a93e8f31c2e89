"""Reports (the page and its workbook) and the two papers: a donation's receipt and a
referral's delivery note."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sasaeai.accounts.scope import scope_of, shown_prefecture
from sasaeai.core.access import authenticated

from .. import actions, documents, queries, reports
from ..models import Location, ReferralStatus
from ..reports.filters import ReportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


def _report(request):
    """The form of the report's parameters and, when they are valid, the report: of the
    locations the reader keeps (center staff: the prefecture's; council staff: their
    municipality's; corporation staff: their corporation's)."""
    scope = scope_of(request.user)
    if not scope.sees_everything() and scope.home_prefecture is None:
        raise Http404
    prefecture = shown_prefecture(request.user)
    today = timezone.localdate()
    locations = Location.objects.kept_by(request.user).filter(prefecture_id=prefecture)
    places = list(locations.select_related("municipality__parent").order_by("name"))
    form = ReportForm(
        request.GET,
        places=places,
        years=reports.fiscal_years_of(locations, today),
        today=today,
    )
    if not form.is_valid():
        return form, None
    chosen = reports.report_locations(
        locations,
        location=form.cleaned_data.get("location"),
        municipality=form.cleaned_data.get("municipality"),
    )
    report = reports.stock_report(
        prefecture=prefecture, locations=chosen, period=form.period(), today=today
    )
    return form, report


def _page(request, form, report, *, status=200):
    return render(
        request,
        "stockyard/reports/reports.html",
        {
            "form": form,
            "report": report,
            "tables": reports.tables(report) if report else [],
        },
        status=status,
    )


@authenticated
def reports_page(request):
    form, report = _report(request)
    return _page(request, form, report)


@authenticated
def reports_xlsx(request):
    form, report = _report(request)
    if report is None:
        return _page(request, form, None, status=400)
    period = report.period
    name = f"stockyard-{report.prefecture}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response = HttpResponse(reports.workbook(report), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename={name}"
    return response


@authenticated
def donation_receipt(request, pk: int):
    """The receipt (受領書) of a donation, for the keepers of its location; the donation gets
    its number the first time (``actions.issue_receipt``; the same number ever after)."""
    donation = actions.issue_receipt(queries.get_donation_or_404(request.user, pk))
    return _pdf(documents.receipt_pdf(donation), f"受領書-{donation.receipt_number}.pdf")


@authenticated
def referral_note(request, pk: int):
    """The delivery note (お渡し票) of a referral once its goods are picked."""
    referral = queries.get_referral_or_404(request.user, pk)
    if referral.status not in (ReferralStatus.APPROVED, ReferralStatus.HANDED_OVER):
        raise Http404
    return _pdf(documents.delivery_note_pdf(referral), f"お渡し票-{referral.pk}.pdf")
