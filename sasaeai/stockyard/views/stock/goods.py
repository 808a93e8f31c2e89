"""Goods in, and moving stock out and around: transfers, write-offs and stocktakes (a
location's keepers only; others get a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sasaeai.core.access import authenticated

from ... import actions, queries, stock
from ...forms import (
    DonationForm,
    StocktakeForm,
    TransferForm,
    WriteOffExpiredForm,
    WriteOffForm,
    lot_formset,
)
from ...models import Location, Stocktake, StocktakeLine
from .common import GET_POST, form_page, refused

# Goods in -------------------------------------------------------------------------------------


@authenticated
@GET_POST
def donation_create(request, pk: int):
    location = queries.get_kept_location_or_404(request.user, pk)
    campaigns = queries.campaigns_for(request.user).filter(drop_offs=location)
    items = queries.items_for(request.user).filter(prefecture=location.prefecture_id, active=True)
    post = request.POST if request.method == "POST" else None
    form = DonationForm(post, campaigns=campaigns)
    formset = lot_formset(items=items, data=post)
    if post is not None and form.is_valid() and formset.is_valid():
        try:
            donation = actions.receive(
                location=location, lines=formset.lots(), by=request.user, **form.action_fields()
            )
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The goods were received."))
            return redirect("stockyard:donation", donation.pk)
    return form_page(
        request,
        "donation_form.html",
        form,
        title=_("Goods in at %(location)s") % {"location": location.name},
        back=reverse("stockyard:location", args=[location.pk]),
        formset=formset,
        location=location,
    )


@authenticated
def donation_detail(request, pk: int):
    donation = queries.get_donation_or_404(request.user, pk)
    return render(
        request,
        "stockyard/stock/donation_detail.html",
        {
            "donation": donation,
            "recorded_by": donation.recorded_by,
            "lots": donation.lots.select_related("item"),
        },
    )


# Moving stock (keepers only) ------------------------------------------------------------------


def _keeper_step(request, pk: int, form_class, template: str, title: str, run, **form_kwargs):
    """A form of a location's keeper: on a valid POST, ``run(location, data)`` (an action);
    its refusal is shown on the form."""
    location = queries.get_kept_location_or_404(request.user, pk)
    kwargs = {key: make(location) for key, make in form_kwargs.items()}
    form = form_class(request.POST or None, location=location, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            done = run(location, form.cleaned_data)
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, done)
            return redirect("stockyard:location", location.pk)
    return form_page(
        request,
        template,
        form,
        title=title % {"location": location.name},
        back=reverse("stockyard:location", args=[location.pk]),
        location=location,
    )


@authenticated
@GET_POST
def transfer(request, pk: int):
    def run(location, data):
        actions.transfer(
            source=location, destination=data["destination"], item=data["item"],
            lot=data["lot"], quantity=data["quantity"], on=data["on"], by=request.user,
        )  # fmt: skip
        return _("The goods were transferred to %(location)s.") % {
            "location": data["destination"].name
        }

    def destinations(location):
        return (
            queries.locations_for(request.user)
            .filter(prefecture=location.prefecture_id, active=True)
            .exclude(pk=location.pk)
        )

    return _keeper_step(
        request, pk, TransferForm, "form.html", _("Transfer from %(location)s"), run,
        destinations=destinations,
    )  # fmt: skip


@authenticated
@GET_POST
def write_off(request, pk: int):
    def run(location, data):
        actions.write_off(
            location=location, lot=data["lot"], quantity=data["quantity"], kind=data["kind"],
            reason=data["reason"], on=data["on"], by=request.user,
        )  # fmt: skip
        return _("The goods were moved out of stock.")

    return _keeper_step(
        request, pk, WriteOffForm, "form.html", _("Write off at %(location)s"), run,
        lot=lambda _location: request.GET.get("lot"),
    )  # fmt: skip


@authenticated
@GET_POST
def write_off_expired(request, pk: int):
    location = queries.get_kept_location_or_404(request.user, pk)
    expired = [row for row in stock.stock_on(Location.objects.filter(pk=pk)) if row.expired]
    form = WriteOffExpiredForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = actions.write_off_expired(
                location=location,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("%(n)s expired lots were moved out.") % {"n": len(moved)})
            return redirect("stockyard:location", location.pk)
    return form_page(
        request,
        "write_off_expired.html",
        form,
        title=_("Expired goods at %(location)s") % {"location": location.name},
        back=reverse("stockyard:location", args=[location.pk]),
        location=location,
        expired=expired,
    )


@authenticated
@GET_POST
def stocktake(request, pk: int):
    location = queries.get_kept_location_or_404(request.user, pk)
    form = StocktakeForm(request.POST or None, rows=stock.stock_on(Location.objects.filter(pk=pk)))
    if request.method == "POST" and form.is_valid():
        try:
            actions.stocktake(
                location=location,
                counts=form.counts(),
                counted_on=form.cleaned_data["counted_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The stocktake was recorded."))
            return redirect("stockyard:stocktake", location.pk)
    lines = StocktakeLine.objects.select_related("lot__item").order_by("lot__item__name", "lot")
    recorded = (
        Stocktake.objects.filter(location=location)
        .select_related("by")
        .prefetch_related(Prefetch("lines", lines))[:5]
    )
    return form_page(
        request,
        "stocktake.html",
        form,
        title=_("Stocktake at %(location)s") % {"location": location.name},
        back=reverse("stockyard:location", args=[location.pk]),
        location=location,
        stocktakes=list(recorded),
    )
