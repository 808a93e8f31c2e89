"""Applying (corporation staff, council staff for their network, the center for a paper
application): drafts with their budget lines, submitting and withdrawing, attachments, the
decision letter, reports and amendments of an award."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.core.access import authenticated

from .. import actions, documents, queries
from ..forms import (
    AmendmentForm,
    ApplicationForm,
    AttachmentForm,
    DateForm,
    NoteForm,
    PaymentForm,
    ReportDueForm,
    ReportForm,
    budget_formset,
)
from ..models import (
    Amendment,
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Decision,
    GrantReport,
)
from .common import _form_refused, _page, _pdf, _refused, _today, _years


@authenticated
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    """A new draft application to a call, with its budget lines."""
    call = queries.get_call_or_404(request.user, pk)
    applicants = queries.applicants_for(request.user, call)
    if not applicants:
        raise Http404
    post = request.POST if request.method == "POST" else None
    user = request.user
    form = ApplicationForm(
        post,
        call=call,
        applicants=applicants,
        initial={"contact_name": user.display_name, "contact_email": user.email},
    )
    formset = budget_formset(program=call.program, years=_years(call), data=post)
    if post is not None and form.is_valid() and formset.is_valid():
        applicant = queries.applicant_of(form.cleaned_data["applicant"], applicants)
        try:
            application = actions.create_application(
                call=call,
                lines=formset.lines(),
                by=request.user,
                **applicant,
                **form.application_fields(),
            )
        except ValidationError as error:
            _form_refused(form, error)
        else:
            messages.success(
                request, _("The application was saved as a draft. Submit it when it is ready.")
            )
            return redirect("grants:application-detail", application.pk)
    return _page(
        request,
        "grants/application_form.html",
        {
            "call": call,
            "program": call.program,
            "form": form,
            "formset": formset,
            "title": _("Apply to %(call)s") % {"call": call.title},
            "is_open": call.is_open_on(_today()),
        },
    )


@authenticated
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    application = queries.get_application_for_user_or_404(request.user, pk)
    if application.status != ApplicationStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("grants:application-detail", application.pk)
    call = application.call
    post = request.POST if request.method == "POST" else None
    form = ApplicationForm(
        post,
        call=call,
        initial={
            "title": application.title,
            "theme": application.theme_id,
            "plan": application.plan,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
        },
    )
    saved = [
        {
            "fiscal_year": str(line.fiscal_year),
            "category": line.category,
            "description": line.description,
            "amount": f"{line.amount:,}",
        }
        for line in application.budget_lines.all()
    ]
    formset = budget_formset(
        program=call.program, years=_years(call), data=post, initial=saved, blank_lines=2
    )
    if post is not None and form.is_valid() and formset.is_valid():
        try:
            actions.update_application(
                application=application, lines=formset.lines(), **form.application_fields()
            )
        except ValidationError as error:
            _form_refused(form, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("grants:application-detail", application.pk)
    return _page(
        request,
        "grants/application_form.html",
        {
            "call": call,
            "program": call.program,
            "application": application,
            "form": form,
            "formset": formset,
            "title": _("Edit %(title)s") % {"title": application.title},
            "is_open": call.is_open_on(_today()),
        },
    )


@authenticated
def application_detail(request, pk: int):
    application = queries.get_application_for_user_or_404(request.user, pk)
    staff = queries.manages(request.user, application)
    decision = queries.decision_of(application)
    context = {
        "application": application,
        "call": application.call,
        "program": application.call.program,
        "lines": application.budget_lines.all(),
        "requested": queries.requested_by_year(application),
        "attachments": application.attachments.all(),
        "attachment_form": AttachmentForm(),
        "decision": decision,
        "staff": staff,
        "is_open": application.call.is_open_on(_today()),
    }
    context["requested_total"] = sum(context["requested"].values())
    if staff:
        reviews = application.reviews.select_related("reviewer").order_by("pk")
        context["reviews"] = reviews
        context["average"] = reviews.aggregate(average=Avg("score"))["average"]
        context["conflicts"] = application.conflicts.select_related("user")
    if decision is not None and decision.outcome == Decision.Outcome.AWARDED:
        years = [y.fiscal_year for y in decision.years.all()]
        paid = actions.paid_by_year(decision)
        context.update(
            {
                "award_years": [
                    (y, paid.get(y.fiscal_year, 0), y.amount - paid.get(y.fiscal_year, 0))
                    for y in decision.years.all()
                ],
                "paid_total": sum(paid.values()),
                "payments": decision.payments.all(),
                "reports": sorted(decision.reports.all(), key=lambda r: (r.due_on, r.pk)),
                "refunds": decision.refunds.all(),
                "amendments": decision.amendments.all(),
                "open_amendment": any(
                    a.status == Amendment.Status.REQUESTED for a in decision.amendments.all()
                ),
            }
        )
        if staff:
            context.update(
                {
                    # Two forms with the same fields on one page: ids of their own.
                    "payment_form": PaymentForm(
                        years=years,
                        initial={"paid_on": _today(), "kind": "advance"},
                        auto_id="payment_%s",
                    ),
                    "report_due_form": ReportDueForm(
                        years=years, initial={"kind": "progress"}, auto_id="report_%s"
                    ),
                    "close_form": DateForm(initial={"on": _today()}),
                    "refund_form": DateForm(initial={"on": _today()}),
                    "note_form": NoteForm(),
                }
            )
    return _page(request, "grants/application_detail.html", context)


@authenticated
@require_POST
def application_submit(request, pk: int):
    application = queries.get_application_for_user_or_404(request.user, pk)
    try:
        actions.submit_application(application=application, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The application was submitted."))
    return redirect("grants:application-detail", application.pk)


@authenticated
@require_POST
def application_withdraw(request, pk: int):
    application = queries.get_application_for_user_or_404(request.user, pk)
    try:
        actions.withdraw_application(application=application, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect("grants:application-detail", application.pk)


@authenticated
@require_POST
def attachment_add(request, pk: int):
    application = queries.get_application_for_user_or_404(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachment(
                application=application,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The file was attached."))
    else:
        messages.error(request, _("Give the file a title and choose the file."))
    return redirect("grants:application-detail", application.pk)


@authenticated
def attachment_download(request, pk: int):
    """For whoever sees the application, and for its call's reviewers without a conflict."""
    attachment = get_object_or_404(
        ApplicationAttachment.objects.select_related("application"), pk=pk
    )
    application = attachment.application
    visible = Application.objects.visible_to(request.user).filter(pk=application.pk)
    if not visible.exists():
        screening = queries.screened_by(request.user).filter(pk=application.pk).exists()
        if not screening or actions.has_conflict(application, request.user):
            raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = attachment.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@authenticated
def my_applications(request):
    """The applications of the user's corporations and networks (the center: all of its
    prefecture's), with their decisions, awarded amounts and the next report due."""
    applications = queries.applications_visible_to(request.user).order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return _page(
        request,
        "grants/my_applications.html",
        {
            "applications": applications[:500],
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


@authenticated
@require_http_methods(["GET", "POST"])
def report_submit(request, pk: int, report_pk: int):
    """A progress or final report (実績報告) of an award."""
    application = queries.get_application_for_user_or_404(request.user, pk)
    report = get_object_or_404(
        GrantReport.objects.select_related("decision"),
        pk=report_pk,
        decision__application=application,
    )
    form = ReportForm(
        request.POST or None,
        initial={
            "text": report.text,
            "spent": f"{report.spent:,}" if report.spent is not None else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_report(
                report=report,
                text=form.cleaned_data["text"],
                spent=form.cleaned_data["spent"].strip(),
                by=request.user,
            )
        except ValidationError as error:
            _form_refused(form, error)
        else:
            messages.success(request, _("The report was submitted."))
            return redirect("grants:application-detail", application.pk)
    return _page(
        request,
        "grants/report_form.html",
        {"application": application, "report": report, "form": form},
    )


@authenticated
@require_http_methods(["GET", "POST"])
def amendment_request(request, pk: int):
    """変更申請: new amounts per fiscal year, with the reason."""
    application = queries.get_application_for_user_or_404(request.user, pk)
    decision = queries.decision_of(application)
    if decision is None or decision.outcome != Decision.Outcome.AWARDED:
        raise Http404
    awarded = {y.fiscal_year: y.amount for y in decision.years.all()}
    form = AmendmentForm(
        request.POST or None,
        years=_years(application.call),
        initial={f"amount_{y}": f"{a:,}" for y, a in awarded.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_amendment(
                decision=decision,
                amounts=form.amounts(),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            _form_refused(form, error)
        else:
            messages.success(request, _("The amendment was requested."))
            return redirect("grants:application-detail", application.pk)
    return _page(
        request,
        "grants/amendment_form.html",
        {"application": application, "decision": decision, "awarded": awarded, "form": form},
    )


@authenticated
def decision_letter(request, pk: int):
    """交付決定通知書 / 不交付決定通知書 (PDF), for the center and the applicant."""
    application = queries.get_application_for_user_or_404(request.user, pk)
    decision = get_object_or_404(Decision, application=application)
    kind = "award" if decision.outcome == Decision.Outcome.AWARDED else "refusal"
    return _pdf(documents.decision_letter_pdf(decision), f"{kind}-letter-{application.pk}.pdf")
