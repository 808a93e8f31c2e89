"""Pages of Pillar I: the registry, membership and the membership rate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of
from sasaeai.accounts.scope import shown_prefecture as _home_prefecture
from sasaeai.core.access import authenticated
from sasaeai.core.audit import history_of
from sasaeai.regions.models import Center

from . import actions, kpis, queries
from .filters import filter_corporations, filter_councils, filter_facilities, today_in_japan
from .forms import (
    ApplicationForm,
    AsOfForm,
    CloseForm,
    CorporationForm,
    CouncilForm,
    DecisionForm,
    DuesPaymentForm,
    FacilityForm,
    MembershipEventForm,
)
from .models import SectorGroup

PAGE_SIZE = 50


def _filtered(request, queryset, filter_function):
    try:
        return filter_function(queryset, request.GET), {}
    except ValidationError as error:
        return queryset.none(), error.message_dict


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _list_context(request, queryset, filter_function, **extra):
    filtered, errors = _filtered(request, queryset, filter_function)
    return {
        "page": _page(request, filtered),
        "errors": errors,
        "params": request.GET,
        "query": request.GET.urlencode(),
        "sectors": SectorGroup.objects.filter(is_active=True),
        **extra,
    }


def _save(request, form_valid, write, success_message: str, redirect_to):
    """Run a write action for a valid form; its refusals are shown on the form."""
    if not form_valid:
        return None
    try:
        result = write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, success_message)
    target = redirect_to(result) if callable(redirect_to) else redirect_to
    return redirect(*target) if isinstance(target, tuple) else redirect(target)


def _form_page(request, form, *, title: str, back: str, submit: str | None = None):
    return render(
        request,
        "members/form.html",
        {"form": form, "title": title, "back": back, "submit": submit or _("Save")},
    )


# The membership rate -------------------------------------------------------------------------


@authenticated
def home(request):
    """The membership rate on a chosen date, against the target, with its trend."""
    prefecture = _home_prefecture(request.user)
    form = AsOfForm(request.GET or None)
    as_of = (form.is_valid() and form.cleaned_data["as_of"]) or today_in_japan()
    center = Center.objects.filter(prefecture_id=prefecture).first()
    figures = kpis.Figures()
    context = {
        "form": form,
        "as_of": as_of,
        "rate": figures.rate(prefecture=prefecture, as_of=as_of),
        "target": kpis.membership_target(center),
        "by_year": figures.trend(prefecture=prefecture, dates=kpis.fiscal_year_ends(2016, as_of)),
        "by_month": figures.trend(prefecture=prefecture, dates=kpis.month_ends(as_of, months=12)),
        "by_municipality": queries.rates_by_municipality(
            figures, prefecture=prefecture, as_of=as_of
        ),
        "pending_count": queries.pending_applications(request.user).count(),
    }
    return render(request, "members/home.html", context)


# Corporations -------------------------------------------------------------------------------


@authenticated
def corporation_list(request):
    corporations = queries.visible_corporations(request.user).with_member_state(today_in_japan())
    context = _list_context(request, corporations, filter_corporations)
    return render(request, "members/corporation_list.html", context)


@authenticated
def corporation_detail(request, pk: int):
    corporation = queries.get_corporation_for_user_or_404(request.user, pk)
    scope = scope_of(request.user)
    context = {
        "corporation": corporation,
        "facilities": corporation.facilities.select_related("kind", "municipality__parent"),
        "events": queries.membership_events_of(corporation),
        "applications": corporation.membership_applications.select_related("member_type"),
        "is_member": queries.is_member_today(corporation),
        "can_edit": queries.can_edit_corporation(request.user, corporation),
        "is_center_staff": scope.is_center_staff,
        "history": history_of(corporation)[:50] if scope.is_center_staff else None,
    }
    return render(request, "members/corporation_detail.html", context)


@center_staff
@require_http_methods(["GET", "POST"])
def corporation_create(request):
    prefecture = _home_prefecture(request.user)
    form = CorporationForm(request.POST or None, prefecture=prefecture)
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.register_corporation(
            by=request.user,
            municipality_code=form.cleaned_data.pop("municipality").pk,
            sector_group_id=getattr(form.cleaned_data.pop("sector_group"), "pk", None),
            **form.cleaned_data,
        ),
        _("The corporation has been added."),
        lambda corporation: ("members:corporation-detail", corporation.pk),
    )
    return done or _form_page(
        request, form, title=_("Add a corporation"), back="members:corporation-list"
    )


@authenticated
@require_http_methods(["GET", "POST"])
def corporation_edit(request, pk: int):
    corporation = queries.get_editable_corporation_or_404(request.user, pk)
    form = CorporationForm(
        request.POST or None,
        instance=corporation,
        prefecture=corporation.municipality.prefecture_id,
    )
    # ModelForm validation already applied the values to the instance: the action saves them.
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.update_corporation(corporation=corporation, by=request.user),
        _("The corporation has been updated."),
        ("members:corporation-detail", corporation.pk),
    )
    return done or _form_page(
        request, form, title=corporation.name, back="members:corporation-list"
    )


@center_staff
@require_http_methods(["GET", "POST"])
def corporation_close(request, pk: int):
    corporation = queries.get_editable_corporation_or_404(request.user, pk)
    form = CloseForm(request.POST or None)
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.close_corporation(
            corporation=corporation,
            by=request.user,
            closed=form.cleaned_data["closed"],
            reason=form.cleaned_data["reason"],
        ),
        _("The corporation has been closed. Its record and history are kept."),
        ("members:corporation-detail", corporation.pk),
    )
    return done or _form_page(
        request,
        form,
        title=_("Close %(name)s") % {"name": corporation},
        back="members:corporation-list",
    )


@center_staff
@require_http_methods(["GET", "POST"])
def corporation_membership(request, pk: int):
    """Enter a join, change or withdrawal directly (center staff)."""
    corporation = queries.get_corporation_for_user_or_404(request.user, pk)
    form = MembershipEventForm(
        request.POST or None, member_kind="corporation", facilities=corporation.facilities.all()
    )
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.record_membership_event(
            member=corporation, by=request.user, **form.cleaned_data
        ),
        _("The membership event has been recorded."),
        ("members:corporation-detail", corporation.pk),
    )
    return done or _form_page(
        request,
        form,
        title=_("Membership of %(name)s") % {"name": corporation},
        back="members:corporation-list",
    )


@center_staff
@require_http_methods(["POST"])
def membership_void(request, pk: int):
    """Take back an event entered by mistake: it stays in the history, marked void."""
    event = queries.get_membership_event_for_user_or_404(request.user, pk)
    _save(
        request,
        True,
        lambda: actions.void_membership_event(
            event=event, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("The membership event has been voided. It stays in the history."),
        "members:home",
    )
    if event.corporation_id:
        return redirect("members:corporation-detail", event.corporation_id)
    return redirect("members:council-list")


@authenticated
@require_http_methods(["GET", "POST"])
def corporation_apply(request, pk: int):
    """Corporation staff apply online to join the center."""
    corporation = queries.get_editable_corporation_or_404(request.user, pk)
    form = ApplicationForm(request.POST or None, facilities=corporation.facilities.all())
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.apply_for_membership(
            corporation=corporation, by=request.user, **form.cleaned_data
        ),
        _("Your application has been sent. The center will decide on it."),
        ("members:corporation-detail", corporation.pk),
    )
    return done or _form_page(
        request,
        form,
        title=_("Apply to join: %(name)s") % {"name": corporation},
        back="members:corporation-list",
        submit=_("Apply"),
    )


# Facilities and councils --------------------------------------------------------------------


@authenticated
def facility_list(request):
    facilities = queries.visible_facilities(request.user)
    context = _list_context(request, facilities, filter_facilities, kinds=queries.facility_kinds())
    return render(request, "members/facility_list.html", context)


@authenticated
@require_http_methods(["GET", "POST"])
def facility_create(request, pk: int):
    corporation = queries.get_editable_corporation_or_404(request.user, pk)
    form = FacilityForm(request.POST or None, prefecture=corporation.municipality.prefecture_id)
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.register_facility(
            corporation=corporation,
            by=request.user,
            municipality_id=form.cleaned_data.pop("municipality").pk,
            kind_id=getattr(form.cleaned_data.pop("kind"), "pk", None),
            **form.cleaned_data,
        ),
        _("The facility has been added."),
        ("members:corporation-detail", corporation.pk),
    )
    return done or _form_page(
        request,
        form,
        title=_("Add a facility to %(name)s") % {"name": corporation},
        back="members:facility-list",
    )


@authenticated
@require_http_methods(["GET", "POST"])
def facility_edit(request, pk: int):
    facility = queries.get_editable_facility_or_404(request.user, pk)
    form = FacilityForm(
        request.POST or None, instance=facility, prefecture=facility.municipality.prefecture_id
    )
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.update_facility(facility=facility, by=request.user),
        _("The facility has been updated."),
        ("members:corporation-detail", facility.corporation_id),
    )
    return done or _form_page(request, form, title=facility.name, back="members:facility-list")


@authenticated
@require_http_methods(["GET", "POST"])
def facility_close(request, pk: int):
    facility = queries.get_editable_facility_or_404(request.user, pk)
    form = CloseForm(request.POST or None)
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.close_facility(
            facility=facility, by=request.user, closed=form.cleaned_data["closed"]
        ),
        _("The facility has been closed. Its record is kept."),
        ("members:corporation-detail", facility.corporation_id),
    )
    return done or _form_page(
        request, form, title=_("Close %(name)s") % {"name": facility}, back="members:facility-list"
    )


@authenticated
def council_list(request):
    councils = queries.visible_councils(request.user).with_member_state(today_in_japan())
    context = _list_context(request, councils, filter_councils)
    return render(request, "members/council_list.html", context)


@authenticated
def facility_detail(request, pk: int):
    facility = queries.get_facility_for_user_or_404(request.user, pk)
    context = {
        "facility": facility,
        "can_edit": queries.can_edit_facility(request.user, facility),
        "history": history_of(facility)[:50] if scope_of(request.user).is_center_staff else None,
    }
    return render(request, "members/facility_detail.html", context)


@center_staff
@require_http_methods(["GET", "POST"])
def council_create(request):
    form = CouncilForm(request.POST or None, prefecture=_home_prefecture(request.user))
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.save_council(council=form.instance, by=request.user),
        _("The council has been saved."),
        "members:council-list",
    )
    return done or _form_page(request, form, title=_("Add a council"), back="members:council-list")


@center_staff
@require_http_methods(["GET", "POST"])
def council_edit(request, pk: int):
    council = queries.get_council_for_user_or_404(request.user, pk)
    form = CouncilForm(request.POST or None, instance=council, prefecture=council.prefecture_id)
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.save_council(council=council, by=request.user),
        _("The council has been saved."),
        "members:council-list",
    )
    return done or _form_page(request, form, title=council.name, back="members:council-list")


@center_staff
@require_http_methods(["GET", "POST"])
def council_membership(request, pk: int):
    council = queries.get_council_for_user_or_404(request.user, pk)
    form = MembershipEventForm(request.POST or None, member_kind="council")
    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        lambda: actions.record_membership_event(
            member=council, by=request.user, **form.cleaned_data
        ),
        _("The membership event has been recorded."),
        "members:council-list",
    )
    return done or _form_page(
        request,
        form,
        title=_("Membership of %(name)s") % {"name": council},
        back="members:council-list",
    )


# Dues ---------------------------------------------------------------------------------------


@center_staff
@require_http_methods(["GET", "POST"])
def dues_list(request):
    """A fiscal year's dues: bill them, record payments, send reminders."""
    prefecture = _home_prefecture(request.user)
    year = queries.chosen_fiscal_year(request.GET.get("fiscal_year"))
    if request.method == "POST":
        _dues_action(request, prefecture=prefecture, year=year)
        return redirect(f"{request.path}?fiscal_year={year}")
    dues = queries.dues_of_year(request.user, prefecture=prefecture, fiscal_year=year)
    context = {"dues": dues, "fiscal_year": year, "totals": queries.dues_totals(dues)}
    return render(request, "members/dues_list.html", context)


def _dues_action(request, *, prefecture: str, year: int) -> None:
    from . import dues as dues_actions
    from .tasks import remind_unpaid_dues_task

    action = request.POST.get("action")
    try:
        if action == "bill":
            count = dues_actions.bill_dues(prefecture=prefecture, fiscal_year=year, by=request.user)
            messages.success(request, _("%(count)s dues billed.") % {"count": count})
        elif action == "remind":
            transaction.on_commit(lambda: remind_unpaid_dues_task.enqueue(prefecture, year))
            messages.success(request, _("Reminders are being sent to members who have not paid."))
        elif action in ("paid", "unpaid"):
            form = DuesPaymentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.get("paid_on") or _("Enter the payment date."))
            dues = queries.get_dues_for_user_or_404(request.user, form.cleaned_data["dues"])
            paid_on = form.cleaned_data["paid_on"] if action == "paid" else None
            dues_actions.record_dues_payment(dues=dues, by=request.user, paid_on=paid_on)
            messages.success(request, _("The payment has been recorded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


# Applications -------------------------------------------------------------------------------


@center_staff
def application_list(request):
    applications = queries.pending_applications(request.user)
    return render(request, "members/application_list.html", {"applications": applications})


@center_staff
@require_http_methods(["GET", "POST"])
def application_decide(request, pk: int):
    application = queries.get_application_for_user_or_404(request.user, pk)
    form = DecisionForm(request.POST or None)

    def decide():
        if form.cleaned_data["decision"] == "approve":
            return actions.approve_application(application=application, by=request.user)
        return actions.decline_application(
            application=application, by=request.user, reason=form.cleaned_data["reason"]
        )

    done = _save(
        request,
        request.method == "POST" and form.is_valid(),
        decide,
        _("The application has been decided."),
        "members:application-list",
    )
    if done:
        return done
    return render(
        request, "members/application_decide.html", {"application": application, "form": form}
    )
