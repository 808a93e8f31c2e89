"""The center: decisions and what follows (payments, reports due, closing, refunds returned,
amendments approved or refused)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff

from .. import actions, queries
from ..forms import DateForm, DecisionForm, DeclineForm, NoteForm, PaymentForm, ReportDueForm
from ..models import Amendment, Application, ApplicationStatus, Decision, Refund
from .common import _form_refused, _page, _refused, _today, _years


@center_staff
@require_http_methods(["GET", "POST"])
def decide(request, pk: int):
    """交付決定 (amounts per fiscal year, prefilled from the request) or 不交付 (a reason).
    A rule that refuses is shown on the form and nothing is written."""
    application = queries.get_managed_application_or_404(request.user, pk)
    if hasattr(application, "decision"):
        messages.info(request, _("This application is already decided."))
        return redirect("grants:application-detail", application.pk)
    years = list(_years(application.call))
    requested = queries.requested_by_year(application)
    action = request.POST.get("action")
    form = DecisionForm(
        request.POST if action == "award" else None,
        years=years,
        initial={
            "decided_on": _today(),
            **{f"amount_{y}": f"{requested[y]:,}" for y in years if y in requested},
        },
    )
    decline_form = DeclineForm(
        request.POST if action == "decline" else None, initial={"decided_on": _today()}
    )
    if action == "award" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.decide(
                application=application,
                amounts=form.amounts(),
                decided_on=data["decided_on"],
                number=data["number"],
                conditions=data["conditions"],
                by=request.user,
            )
        except ValidationError as error:
            _form_refused(form, error)
        else:
            messages.success(request, _("The grant was awarded."))
            return redirect("grants:application-detail", application.pk)
    elif action == "decline" and decline_form.is_valid():
        data = decline_form.cleaned_data
        try:
            actions.decline(
                application=application,
                reason=data["reason"],
                decided_on=data["decided_on"],
                by=request.user,
            )
        except ValidationError as error:
            _form_refused(decline_form, error)
        else:
            messages.success(request, _("The application was declined."))
            return redirect("grants:application-detail", application.pk)
    reviews = application.reviews.select_related("reviewer").order_by("pk")
    return _page(
        request,
        "grants/decide.html",
        {
            "application": application,
            "call": application.call,
            "program": application.call.program,
            "requested": requested,
            "requested_total": sum(requested.values()),
            "reviews": reviews,
            "average": reviews.aggregate(average=Avg("score"))["average"],
            "form": form,
            "decline_form": decline_form,
            "submitted": application.status == ApplicationStatus.SUBMITTED,
        },
    )


def _awarded_decision(user, pk: int) -> Decision:
    application = queries.get_managed_application_or_404(user, pk)
    return get_object_or_404(
        Decision.objects.select_related("application"),
        application=application,
        outcome=Decision.Outcome.AWARDED,
    )


@center_staff
@require_POST
def payment_add(request, pk: int):
    """概算払 or 精算払."""
    decision = _awarded_decision(request.user, pk)
    years = list(decision.years.values_list("fiscal_year", flat=True))
    form = PaymentForm(request.POST, years=years)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_payment(
                decision=decision,
                fiscal_year=data["fiscal_year"],
                kind=data["kind"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The payment was recorded."))
    else:
        _form_errors(request, form)
    return redirect("grants:application-detail", pk)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@center_staff
@require_POST
def report_add(request, pk: int):
    """A progress report due (the final reports are scheduled by the decision)."""
    decision = _awarded_decision(request.user, pk)
    years = list(decision.years.values_list("fiscal_year", flat=True))
    form = ReportDueForm(request.POST, years=years)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_report(
                decision=decision,
                kind=data["kind"],
                fiscal_year=data["fiscal_year"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The report is now due."))
    else:
        _form_errors(request, form)
    return redirect("grants:application-detail", pk)


@center_staff
@require_POST
def grant_close(request, pk: int):
    decision = _awarded_decision(request.user, pk)
    form = DateForm(request.POST)
    if form.is_valid():
        actions.close_grant(decision=decision, closed_on=form.cleaned_data["on"])
        messages.success(request, _("The grant was closed."))
    else:
        _form_errors(request, form)
    return redirect("grants:application-detail", pk)


@center_staff
@require_POST
def refund_returned(request, pk: int):
    refund = get_object_or_404(
        Refund.objects.filter(
            decision__application__in=Application.objects.managed_by(request.user)
        ).select_related("decision"),
        pk=pk,
    )
    form = DateForm(request.POST)
    if form.is_valid():
        actions.record_refund_returned(refund=refund, returned_on=form.cleaned_data["on"])
        messages.success(request, _("The refund was recorded as returned."))
    else:
        _form_errors(request, form)
    return redirect("grants:application-detail", refund.decision.application_id)


def _managed_amendment(user, pk: int) -> Amendment:
    return get_object_or_404(
        Amendment.objects.filter(
            decision__application__in=Application.objects.managed_by(user)
        ).select_related("decision__application"),
        pk=pk,
    )


@center_staff
@require_POST
def amendment_approve(request, pk: int):
    amendment = _managed_amendment(request.user, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.approve_amendment(amendment=amendment, note=note, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The amendment was approved: the new amounts apply."))
    return redirect("grants:application-detail", amendment.decision.application_id)


@center_staff
@require_POST
def amendment_refuse(request, pk: int):
    amendment = _managed_amendment(request.user, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.refuse_amendment(amendment=amendment, note=note)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The amendment was refused."))
    return redirect("grants:application-detail", amendment.decision.application_id)
