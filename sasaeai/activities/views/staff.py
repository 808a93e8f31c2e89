"""The staff's pages of the registry: list, Excel, form, review steps and the cross-check of
the survey's 「している」 against the registry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.core.access import authenticated
from sasaeai.core.dates import fiscal_year_label

from .. import actions, crosscheck, queries
from .. import schedule as schedules
from ..forms import ActivityForm, ManageFilterForm, initial_of


@authenticated
def manage_list(request):
    prefecture = queries.home_prefecture(request.user)
    form = ManageFilterForm(request.GET or None, prefecture=prefecture)
    activities = queries.filtered(queries.managed_activities(request.user), form)
    corporations, networks = queries.owners_for(request.user, prefecture)
    return render(
        request,
        "activities/manage_list.html",
        {
            "form": form,
            "activities": activities,
            "query": request.GET.urlencode(),
            "can_create": corporations.exists() or networks.exists(),
        },
    )


@authenticated
def manage_export(request):
    """The list as filtered on the page, as an Excel workbook."""
    from ..exports import xlsx_response

    prefecture = queries.home_prefecture(request.user)
    form = ManageFilterForm(request.GET or None, prefecture=prefecture)
    return xlsx_response(queries.filtered(queries.managed_activities(request.user), form))


def _form(request, *, prefecture, activity=None):
    corporations, networks = queries.owners_for(request.user, prefecture)
    if activity is not None:
        # The owner stays the owner: an edit never moves an activity to another corporation.
        corporations = corporations.model.objects.filter(pk=activity.corporation_id)
        networks = networks.model.objects.filter(pk=activity.network_id)
    elif not corporations.exists() and not networks.exists():
        raise Http404
    initial = initial_of(activity) if activity else {"kind": schedules.WEEKLY, "interval": 1}
    return ActivityForm(
        request.POST or None,
        initial=initial,
        prefecture=prefecture,
        corporations=corporations,
        networks=networks,
    )


@authenticated
@require_http_methods(["GET", "POST"])
def activity_create(request):
    prefecture = queries.home_prefecture(request.user)
    form = _form(request, prefecture=prefecture)
    if request.method == "POST" and form.is_valid():
        owner = form.owner_object()
        key = "corporation" if form.cleaned_data["owner"].startswith("corporation:") else "network"
        try:
            activity = actions.create_activity(
                data=form.fields_data(), by=request.user, **{key: owner}
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The activity was saved as a draft."))
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "title": _("New activity"), "back": reverse("activities:manage")},
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@authenticated
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = queries.get_managed_activity_or_404(request.user, pk)
    if not queries.can_edit(request.user, activity):
        messages.error(
            request, _("This activity is under review or published: it cannot be edited now.")
        )
        return redirect("activities:detail", activity.pk)
    form = _form(request, prefecture=activity.prefecture_id, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_activity(activity=activity, data=form.fields_data(), by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "title": _("Edit %(activity)s") % {"activity": activity.title},
            "back": reverse("activities:detail", args=[activity.pk]),
        },
    )


def _step(request, activity, write, success):
    try:
        write(activity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("activities:detail", activity.pk)


@authenticated
@require_POST
def activity_submit(request, pk: int):
    activity = queries.get_managed_activity_or_404(request.user, pk)
    return _step(
        request,
        activity,
        lambda a: actions.submit_activity(activity=a, by=request.user),
        _("The activity was submitted for review."),
    )


@authenticated
@require_POST
def activity_publish(request, pk: int):
    activity = queries.get_reviewable_activity_or_404(request.user, pk)
    return _step(
        request,
        activity,
        lambda a: actions.publish_activity(activity=a, by=request.user),
        _("The activity was published."),
    )


@authenticated
@require_POST
def activity_send_back(request, pk: int):
    activity = queries.get_reviewable_activity_or_404(request.user, pk)
    reason = request.POST.get("reason", "")
    return _step(
        request,
        activity,
        lambda a: actions.send_back_activity(activity=a, reason=reason, by=request.user),
        _("The activity was sent back to its corporation."),
    )


@authenticated
@require_POST
def activity_withdraw(request, pk: int):
    activity = queries.get_managed_activity_or_404(request.user, pk)
    return _step(
        request,
        activity,
        lambda a: actions.withdraw_activity(activity=a, by=request.user),
        _("The activity was withdrawn from the directory."),
    )


@center_staff
def survey_cross_check(request):
    """The survey's 「している」 against the registry, for a fiscal year of KPI rounds."""
    prefecture = queries.home_prefecture(request.user)
    years = crosscheck.kpi_years(prefecture)
    chosen = request.GET.get("fiscal_year", "")
    fiscal_year = int(chosen) if chosen.isdigit() and int(chosen) in years else None
    if fiscal_year is None and years:
        fiscal_year = years[0]
    check = crosscheck.cross_check(prefecture, fiscal_year) if fiscal_year else None
    return render(
        request,
        "activities/cross_check.html",
        {
            "check": check,
            "years": [
                (year, f"{fiscal_year_label(year)}（{fiscal_year_label(year, style='wareki')}）")
                for year in years
            ],
            "fiscal_year": fiscal_year,
        },
    )
