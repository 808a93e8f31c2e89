"""The center: programs with their rules and budgets, calls and their reviewers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.core.dates import fiscal_year as fiscal_year_of
from sasaeai.projects.models import Theme

from .. import actions, queries
from ..forms import BudgetForm, CallForm, ProgramForm, ReviewerForm
from .common import _form_refused, _page, _refused, _today


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
    from ..starting import load_starting_programs

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
