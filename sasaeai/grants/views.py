"""Pages of the grant cycle: the programs and their calls (public), applying (corporation
staff, council staff for their network, the center for a paper application), screening
(reviewers), decisions with their letters, payments, reports, refunds and amendments (the
center). Every write goes through ``actions``; a rule that refuses shows its sentence and
nothing is written."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of
from sasaeai.core.access import authenticated, public
from sasaeai.core.dates import fiscal_year as fiscal_year_of
from sasaeai.projects.models import Theme

from . import actions, documents, queries
from .forms import (
    AmendmentForm,
    ApplicationForm,
    AttachmentForm,
    BudgetForm,
    CallForm,
    ConflictForm,
    DateForm,
    DecisionForm,
    DeclineForm,
    NoteForm,
    PaymentForm,
    ProgramForm,
    ReportDueForm,
    ReportForm,
    ReviewerForm,
    ReviewForm,
    budget_formset,
)
from .models import (
    Amendment,
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Decision,
    GrantReport,
    Refund,
)
from .rules import RuleBroken


def _page(request, template: str, context: dict):
    """Render with what the grants' navigation needs."""
    context.setdefault("is_reviewer", queries.is_reviewer(request.user))
    return render(request, template, context)


def _refused(request, error: ValidationError) -> None:
    if isinstance(error, RuleBroken):
        messages.error(request, error.sentence())
    else:
        messages.error(request, " ".join(error.messages))


def _form_refused(form, error: ValidationError) -> None:
    form.add_error(None, error.sentence() if isinstance(error, RuleBroken) else error)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


def _today():
    return timezone.localdate()


# Public: programs and calls -------------------------------------------------------------------


@public
def home(request):
    """The programs of the prefecture with their rules, and the calls open or coming."""
    prefecture = queries.home_prefecture(request.user)
    today = _today()
    calls = list(queries.open_and_coming_calls(prefecture))
    past = queries.public_calls(prefecture).filter(closes_on__lt=today).order_by("-closes_on")[:10]
    return _page(
        request,
        "grants/home.html",
        {
            "programs": queries.labelled(queries.programs_of(prefecture)),
            "open_calls": [c for c in calls if c.opens_on <= today],
            "coming_calls": [c for c in calls if c.opens_on > today],
            "past_calls": past,
            "is_staff": scope_of(request.user).is_center_staff,
        },
    )


@public
def call_detail(request, pk: int):
    call = queries.get_call_or_404(request.user, pk)
    applicants = queries.applicants_for(request.user, call) if request.user.is_authenticated else []
    own = []
    if applicants and not scope_of(request.user).is_center_staff:
        own = list(queries.applications_visible_to(request.user).filter(call=call))
    return _page(
        request,
        "grants/call_detail.html",
        {
            "call": call,
            "program": queries.labelled([call.program])[0],
            "themes": call.themes.all(),
            "is_open": call.is_open_on(_today()),
            "can_apply": bool(applicants),
            "own": own,
            "can_manage": queries.manages_call(request.user, call),
        },
    )


# Applying -------------------------------------------------------------------------------------


def _years(call) -> range:
    return range(call.fiscal_year, call.fiscal_year + call.program.max_years)


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
                    "payment_form": PaymentForm(
                        years=years, initial={"paid_on": _today(), "kind": "advance"}
                    ),
                    "report_due_form": ReportDueForm(years=years, initial={"kind": "progress"}),
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


# Screening ------------------------------------------------------------------------------------


@authenticated
def my_reviews(request):
    """The submitted applications of the calls the user screens, except those with a conflict
    of interest (shown apart)."""
    applications = list(queries.applications_to_screen(request.user))
    conflicted = queries.conflicted_ids(request.user, applications)
    return _page(
        request,
        "grants/my_reviews.html",
        {
            "applications": [a for a in applications if a.pk not in conflicted],
            "conflicted": [a for a in applications if a.pk in conflicted],
        },
    )


@authenticated
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """Screen one application: a score from 1 to 5 and a comment, or declare a conflict."""
    application = queries.get_application_to_screen_or_404(request.user, pk)
    conflict = actions.has_conflict(application, request.user)
    own = application.reviews.filter(reviewer=request.user).first()
    action = request.POST.get("action")
    review_form = ReviewForm(
        request.POST if action == "score" else None,
        initial={"score": own.score, "comment": own.comment} if own else None,
    )
    conflict_form = ConflictForm(request.POST if action == "conflict" else None)
    if request.method == "POST":
        if action == "score" and review_form.is_valid():
            try:
                actions.submit_review(
                    application=application,
                    reviewer=request.user,
                    score=review_form.cleaned_data["score"],
                    comment=review_form.cleaned_data["comment"],
                )
            except ValidationError as error:
                _form_refused(review_form, error)
            else:
                messages.success(request, _("Your review was saved."))
                return redirect("grants:my-reviews")
        elif action == "conflict" and conflict_form.is_valid():
            actions.declare_conflict(
                application=application,
                user=request.user,
                reason=conflict_form.cleaned_data["reason"],
            )
            messages.success(
                request, _("The conflict of interest was recorded: you do not screen it.")
            )
            return redirect("grants:my-reviews")
    return _page(
        request,
        "grants/review.html",
        {
            "application": application,
            "call": application.call,
            "lines": application.budget_lines.all(),
            "requested": queries.requested_by_year(application),
            "attachments": application.attachments.all(),
            "conflict": conflict,
            "own": own,
            "review_form": review_form,
            "conflict_form": conflict_form,
            "screenable": application.status == ApplicationStatus.SUBMITTED,
        },
    )


# The center: programs and calls ---------------------------------------------------------------


@center_staff
def programs(request):
    return _page(
        request,
        "grants/programs.html",
        {
            "programs": queries.labelled(queries.managed_programs(request.user)),
            "budget_form": BudgetForm(initial={"fiscal_year": fiscal_year_of(_today())}),
        },
    )


@center_staff
@require_POST
def programs_load(request):
    """Create the seed's two programs where missing (never overwriting edits)."""
    from .starting import load_starting_programs

    load_starting_programs(queries.managed_prefecture(request.user))
    messages.success(request, _("The starting programs were loaded."))
    return redirect("grants:programs")


@center_staff
@require_http_methods(["GET", "POST"])
def program_edit(request, pk: int):
    program = queries.get_managed_program_or_404(request.user, pk)
    form = ProgramForm(request.POST or None, initial=ProgramForm.initial_of(program))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_program(program=program, **form.program_fields())
        except ValidationError as error:
            _form_refused(form, error)
        else:
            messages.success(request, _("The rules of the program were saved."))
            return redirect("grants:programs")
    return _page(
        request,
        "grants/form.html",
        {
            "form": form,
            "title": _("Rules of %(program)s") % {"program": program.name},
            "back": "grants:programs",
        },
    )


@center_staff
@require_POST
def program_budget(request, pk: int):
    program = queries.get_managed_program_or_404(request.user, pk)
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            actions.set_budget(
                program=program,
                fiscal_year=form.cleaned_data["fiscal_year"],
                amount=form.cleaned_data["amount"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("The budget was saved."))
    else:
        messages.error(request, _("Give the fiscal year and the budget in yen."))
    return redirect("grants:programs")


@center_staff
@require_http_methods(["GET", "POST"])
def call_create(request):
    prefecture = queries.managed_prefecture(request.user)
    programs = queries.managed_programs(request.user).filter(active=True)
    initial = {"fiscal_year": fiscal_year_of(_today())}
    if request.GET.get("program", "").isdigit():
        initial["program"] = int(request.GET["program"])
    form = CallForm(
        request.POST or None,
        programs=programs,
        themes=Theme.objects.filter(prefecture_id=prefecture, active=True),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = actions.open_call(
                program=data["program"],
                fiscal_year=data["fiscal_year"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                themes=data["themes"],
                description=data["description"],
            )
        except ValidationError as error:
            _form_refused(form, error)
        else:
            messages.success(request, _("The call was opened."))
            return redirect("grants:call-manage", call.pk)
    return _page(
        request,
        "grants/form.html",
        {"form": form, "title": _("Open a call"), "back": "grants:programs"},
    )


@center_staff
def call_manage(request, pk: int):
    """The call's applications (applicant, municipality, theme, requested, score, status) and
    its reviewers."""
    call = queries.get_managed_call_or_404(request.user, pk)
    applications = list(queries.applications_of_call(call))
    return _page(
        request,
        "grants/call_manage.html",
        {
            "call": call,
            "program": call.program,
            "applications": applications,
            "reviewers": queries.reviewers_of(call),
            "reviewer_form": ReviewerForm(),
            "requested_total": sum(a.requested for a in applications),
            "awarded_total": sum(a.awarded or 0 for a in applications),
        },
    )


@center_staff
@require_POST
def reviewer_add(request, pk: int):
    call = queries.get_managed_call_or_404(request.user, pk)
    form = ReviewerForm(request.POST)
    if form.is_valid():
        user = form.cleaned_data["login"]
        actions.add_reviewer(call=call, user=user)
        messages.success(request, _("%(name)s reviews this call.") % {"name": user.display_name})
    else:
        messages.error(request, " ".join(form.errors.get("login", [])))
    return redirect("grants:call-manage", call.pk)


# The center: decisions and what follows -------------------------------------------------------


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
