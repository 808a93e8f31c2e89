"""Referrals (依頼) and the support limits: council and corporation staff refer a household to
a location, its keeper approves (the goods are picked first-expiring-first-out), hands over or
declines; those handling the case may cancel. The center's staff set the support limits."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts.access import center_staff
from sasaeai.accounts.scope import scope_of, shown_prefecture
from sasaeai.core.access import authenticated
from sasaeai.core.audit import record_access
from sasaeai.regions.models import Municipality

from .. import actions, queries, stock
from ..actions import StockError
from ..forms_referrals import (
    ReasonForm,
    ReferralFilterForm,
    ReferralForm,
    SupportRuleForm,
    line_formset,
    referrer_label,
    referrer_options,
)
from ..models import ReferralStatus, Urgency

PER_PAGE = 50
# Within a day, the most urgent first.
URGENCY_RANK = Case(
    When(urgency=Urgency.TODAY, then=Value(0)),
    When(urgency=Urgency.SOON, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
OPEN = (ReferralStatus.REQUESTED, ReferralStatus.APPROVED, ReferralStatus.HANDED_OVER)


# The list -------------------------------------------------------------------------------------


@authenticated
def referral_list(request):
    """The referrals the user handles, newest first."""
    locations = queries.locations_for(request.user).order_by("name")
    form = ReferralFilterForm(request.GET or None, locations=locations)
    referrals = (
        queries.referrals_for(request.user)
        .select_related("household", "location", "referring_corporation", "referring_municipality")
        .annotate(urgency_rank=URGENCY_RANK)
        .order_by("-requested_on", "urgency_rank", "-id")
    )
    if form.is_valid():
        if form.cleaned_data["status"]:
            referrals = referrals.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["location"]:
            referrals = referrals.filter(location=form.cleaned_data["location"])
    page = Paginator(referrals, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stockyard/referrals/referral_list.html",
        {
            "form": form,
            "page": page,
            "referrals": page.object_list,
            "query": query.urlencode(),
            "can_refer": bool(_referrers(request.user)),
        },
    )


# A new referral -------------------------------------------------------------------------------


def _referrers(user) -> dict:
    """Staff refer for their corporations and councils; the center's staff for any council
    (municipality) of their prefecture."""
    found = queries.referrers_of(user)
    municipalities = found["municipalities"]
    if scope_of(user).is_center_staff:
        municipalities = (
            Municipality.objects.of_prefecture(shown_prefecture(user))
            .without_wards()
            .active()
            .order_by("code")
        )
    return referrer_options(corporations=found["corporations"], municipalities=municipalities)


def _stock_table(locations, items) -> dict:
    """What each location can give today, item by item (expired lots left out)."""
    rows = [row for row in stock.stock_on(locations) if not row.expired]
    have = {(t["location_id"], t["item_id"]): t["quantity"] for t in stock.totals_by_item(rows)}
    return {
        "locations": locations,
        "rows": [
            {"item": item, "cells": [have.get((place.pk, item.pk)) for place in locations]}
            for item in items
        ],
    }


@authenticated
@require_http_methods(["GET", "POST"])
def referral_new(request):
    referrers = _referrers(request.user)
    if not referrers:
        raise Http404
    prefecture = shown_prefecture(request.user)
    locations = queries.locations_for(request.user).filter(active=True, prefecture_id=prefecture)
    items = queries.items_for(request.user).filter(active=True, prefecture_id=prefecture)
    post = request.POST if request.method == "POST" else None
    form = ReferralForm(
        post,
        referrers=referrers,
        locations=locations,
        municipalities=Municipality.objects.of_prefecture(prefecture).without_wards().active(),
    )
    formset = line_formset(items=items, data=post)
    if post is not None and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            referral = actions.refer(
                location=data["location"],
                household=form.household(),
                lines=formset.lines(),
                urgency=data["urgency"],
                needs=data["needs"],
                by=request.user,
                **form.referrer_kwargs(),
            )
        except StockError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The referral was sent to the location's keeper."))
            return redirect("stockyard:referral", referral.pk)
    only = next(iter(referrers.values())) if len(referrers) == 1 else None
    return render(
        request,
        "stockyard/referrals/referral_form.html",
        {
            "form": form,
            "formset": formset,
            "referrer": referrer_label(*only) if only else "",
            "rules": queries.support_rules_for(request.user).filter(
                active=True, prefecture_id=prefecture
            ),
            "stock": _stock_table(list(locations.order_by("municipality_id", "name")), items),
        },
    )


# One referral and its steps -------------------------------------------------------------------


def _detail(request, referral, *, errors=(), decline_form=None, cancel_form=None):
    """The referral's page; a refused step is shown on it, with the form that was sent."""
    user = request.user
    keeper = actions.keeps(user, referral.location)
    may_cancel = referral.status in OPEN and actions.may_cancel(user, referral)
    requested = referral.status == ReferralStatus.REQUESTED
    return render(
        request,
        "stockyard/referrals/referral_detail.html",
        {
            "referral": referral,
            "household": referral.household,
            "lines": referral.lines.select_related("item"),
            "movements": _movements(referral),
            "errors": errors,
            "may_approve": keeper and requested,
            "may_hand_over": keeper and referral.status == ReferralStatus.APPROVED,
            "decline_form": (decline_form or ReasonForm(auto_id="decline_%s"))
            if keeper and requested
            else None,
            "cancel_form": (cancel_form or ReasonForm(auto_id="cancel_%s")) if may_cancel else None,
        },
    )


def _movements(referral) -> list:
    """The ledger rows of the referral: the lots picked (and put back), as positive amounts."""
    rows = list(referral.movements.select_related("lot__item").order_by("occurred_on", "id"))
    for row in rows:
        row.shown_quantity = abs(row.quantity)
    return rows


@authenticated
def referral_detail(request, pk: int):
    referral = queries.get_referral_or_404(request.user, pk)
    record_access(referral.household, actor=request.user, what=f"referral {referral.pk}")
    return _detail(request, referral)


def _step(request, pk: int, step, done: str):
    """Run one step of the workflow through its action: done, back to the page; refused, the
    page with the reason."""
    referral = queries.get_referral_or_404(request.user, pk)
    try:
        step(referral)
    except StockError as error:
        return _detail(request, referral, errors=error.messages)
    messages.success(request, done)
    return redirect("stockyard:referral", referral.pk)


@authenticated
@require_POST
def referral_approve(request, pk: int):
    return _step(
        request,
        pk,
        lambda referral: actions.approve(referral=referral, by=request.user),
        _("Approved: the goods were picked, earliest dates first."),
    )


@authenticated
@require_POST
def referral_hand_over(request, pk: int):
    return _step(
        request,
        pk,
        lambda referral: actions.hand_over(referral=referral, by=request.user),
        _("The goods were handed over."),
    )


def _with_reason(request, pk: int, prefix: str, step, done: str):
    referral = queries.get_referral_or_404(request.user, pk)
    form = ReasonForm(request.POST, auto_id=f"{prefix}_%s")
    if form.is_valid():
        try:
            step(referral, form.cleaned_data["reason"])
        except StockError as error:
            if error.code == "reason":
                form.add_error("reason", error)
            else:
                return _detail(request, referral, errors=error.messages)
        else:
            messages.success(request, done)
            return redirect("stockyard:referral", referral.pk)
    return _detail(request, referral, **{f"{prefix}_form": form})


@authenticated
@require_POST
def referral_decline(request, pk: int):
    return _with_reason(
        request,
        pk,
        "decline",
        lambda referral, reason: actions.decline(referral=referral, reason=reason, by=request.user),
        _("The referral was declined."),
    )


@authenticated
@require_POST
def referral_cancel(request, pk: int):
    return _with_reason(
        request,
        pk,
        "cancel",
        lambda referral, reason: actions.cancel(referral=referral, reason=reason, by=request.user),
        _("The referral was cancelled; goods already picked are back in stock."),
    )


# Support limits -------------------------------------------------------------------------------


@authenticated
def rule_list(request):
    return render(
        request,
        "stockyard/referrals/rule_list.html",
        {
            "rules": queries.support_rules_for(request.user).select_related("prefecture"),
            "may_edit": scope_of(request.user).is_center_staff,
        },
    )


def _save_rule(request, form, rule=None):
    data = form.cleaned_data
    try:
        actions.save_support_rule(
            prefecture_id=shown_prefecture(request.user),
            rule=rule,
            by=request.user,
            name=data["name"],
            period_days=data["period_days"],
            max_value=data["max_value"],
            max_referrals=data["max_referrals"],
            active=data["active"],
        )
    except StockError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("The support limit was saved."))
    return redirect("stockyard:rules")


def _rule_page(request, form, title: str):
    return render(request, "stockyard/referrals/rule_form.html", {"form": form, "title": title})


@center_staff
@require_http_methods(["GET", "POST"])
def rule_new(request):
    form = SupportRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save_rule(request, form)
        if done:
            return done
    return _rule_page(request, form, _("New support limit"))


@center_staff
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int):
    rule = queries.get_managed_rule_or_404(request.user, pk)
    form = SupportRuleForm(request.POST or None, initial=SupportRuleForm.initial_of(rule))
    if request.method == "POST" and form.is_valid():
        done = _save_rule(request, form, rule)
        if done:
            return done
    return _rule_page(request, form, _("Change %(rule)s") % {"rule": rule.name})
