"""The stock pages: locations and their stock on any date, the catalogue, goods in, moving
stock out and around, stocktakes and food drives. Every staff member of the prefecture reads
locations, stock and food drives; writes to a location are for its keepers (others: 404), its
details for the center and the council of its municipality, the catalogue for the center."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, F, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sasaeai.accounts.scope import shown_prefecture
from sasaeai.core.access import authenticated
from sasaeai.members.queries import visible_corporations

from .. import actions, queries, stock
from ..forms import (
    AsOfForm,
    CampaignForm,
    DonationForm,
    ItemForm,
    LocationForm,
    MinimumsForm,
    StocktakeForm,
    TransferForm,
    WriteOffExpiredForm,
    WriteOffForm,
    lot_formset,
)
from ..models import Location, Lot, Movement, Stocktake, StocktakeLine

LEDGER_PAGE = 25
GET_POST = require_http_methods(["GET", "POST"])
MARKS = {"near_expiry": gettext_lazy("near expiry"), "expired": gettext_lazy("expired")}


def _form_page(request, template: str, form, *, title: str, back: str, **context):
    return render(
        request,
        f"stockyard/stock/{template}",
        {"form": form, "title": title, "back": back, **context},
    )


def _refused(form, error: ValidationError) -> None:
    """The action's refusal, shown on the form (by field where it names one)."""
    form.add_error(None, error)


# Locations and their stock --------------------------------------------------------------------


@authenticated
def home(request):
    """The locations the user can see, by municipality, with their stock in three figures."""
    visible = queries.locations_for(request.user)
    locations = visible.select_related("municipality__parent").order_by("municipality_id", "name")
    items, flagged, short = defaultdict(set), defaultdict(int), defaultdict(int)
    for row in stock.stock_on(visible):
        items[row.location_id].add(row.item_id)
        flagged[row.location_id] += row.near_expiry or row.expired
    for row in stock.below_minimum(visible):
        short[row["location"].pk] += 1
    kept = set(Location.objects.kept_by(request.user).values_list("pk", flat=True))
    groups: dict = {}
    for location in locations:
        groups.setdefault(location.municipality, []).append(
            {
                "location": location,
                "items": len(items[location.pk]),
                "near_expiry": flagged[location.pk],
                "below_minimum": short[location.pk],
                "keeps": location.pk in kept,
            }
        )
    return render(
        request,
        "stockyard/stock/home.html",
        {
            "groups": list(groups.items()),
            "may_place": queries.placeable_municipalities(request.user).exists(),
            "may_start_food_drive": actions.may_start_food_drive(request.user),
        },
    )


def _as_of(request) -> tuple[AsOfForm, object]:
    form = AsOfForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("as_of"):
        day = form.cleaned_data["as_of"]
    return form, day


def _by_item(rows, minimums: dict) -> list[dict]:
    """The stock rows of one location, per item: its total, value, minimum and lots."""
    lots = defaultdict(list)
    for row in rows:
        lots[row.item_id].append(row)
    totals = stock.totals_by_item(rows)
    for entry in totals:
        entry["rows"] = lots[entry["item_id"]]
        entry["minimum"] = minimums.get(entry["item_id"])
    return totals


@authenticated
def location_detail(request, pk: int):
    location = get_object_or_404(
        queries.locations_for(request.user).select_related(
            "municipality__parent", "keeper_corporation"
        ),
        pk=pk,
    )
    as_of_form, as_of = _as_of(request)
    here = Location.objects.filter(pk=location.pk)
    minimums = dict(location.minimums.values_list("item_id", "quantity"))
    items = _by_item(stock.stock_on(here, as_of), minimums)
    ledger = (
        Movement.objects.filter(location=location)
        .select_related("lot__item", "by", "transfer_to")
        .order_by("-occurred_on", "-id")
    )
    query = f"as_of={as_of.isoformat()}" if as_of_form.is_bound else ""
    return render(
        request,
        "stockyard/stock/location_detail.html",
        {
            "location": location,
            "as_of_form": as_of_form,
            "as_of": as_of,
            "is_today": as_of == timezone.localdate(),
            "items": items,
            "total_value": sum((entry["value"] for entry in items), Decimal(0)),
            "below_minimum": stock.below_minimum(here),
            "page": Paginator(ledger, LEDGER_PAGE).get_page(request.GET.get("page")),
            "query": query,
            "keeps": actions.keeps(request.user, location),
            "manages": actions.manages(request.user, location),
            "marks": MARKS,
        },
    )


def _location_form(request, *, location=None):
    municipalities = queries.placeable_municipalities(request.user)
    corporations = visible_corporations(request.user).filter(closed__isnull=True)
    if location is not None and location.keeper_corporation_id:
        corporations = corporations | visible_corporations(request.user).filter(
            pk=location.keeper_corporation_id
        )
    return LocationForm(
        request.POST or None,
        municipalities=municipalities,
        corporations=corporations.order_by("name_kana", "name"),
        location=location,
    )


def _save_location(request, form, location=None):
    data = form.action_fields()
    try:
        return actions.save_location(
            location=location,
            municipality=data.pop("municipality"),
            keeper_corporation=data.pop("keeper_corporation"),
            by=request.user,
            **data,
        )
    except ValidationError as error:
        _refused(form, error)
        return None


@authenticated
@GET_POST
def location_create(request):
    if not queries.placeable_municipalities(request.user).exists():
        raise Http404
    form = _location_form(request)
    if request.method == "POST" and form.is_valid():
        location = _save_location(request, form)
        if location:
            messages.success(request, _("The location was saved."))
            return redirect("stockyard:location", location.pk)
    return _form_page(
        request, "form.html", form, title=_("New location"), back=reverse("stockyard:home")
    )


@authenticated
@GET_POST
def location_edit(request, pk: int):
    location = queries.get_managed_location_or_404(request.user, pk)
    form = _location_form(request, location=location)
    if request.method == "POST" and form.is_valid() and _save_location(request, form, location):
        messages.success(request, _("The location was saved."))
        return redirect("stockyard:location", location.pk)
    return _form_page(
        request,
        "form.html",
        form,
        title=_("Edit %(location)s") % {"location": location.name},
        back=reverse("stockyard:location", args=[location.pk]),
    )


@authenticated
@GET_POST
def location_minimums(request, pk: int):
    location = queries.get_managed_location_or_404(request.user, pk)
    items = queries.items_for(request.user).filter(prefecture=location.prefecture_id, active=True)
    form = MinimumsForm(
        request.POST or None,
        items=list(items),
        minimums=dict(location.minimums.values_list("item_id", "quantity")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_minimums(location=location, minimums=form.minimums(), by=request.user)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The minimum stock was saved."))
            return redirect("stockyard:location", location.pk)
    return _form_page(
        request,
        "minimums.html",
        form,
        title=_("Minimum stock at %(location)s") % {"location": location.name},
        back=reverse("stockyard:location", args=[location.pk]),
    )


# The catalogue --------------------------------------------------------------------------------


@authenticated
def item_list(request):
    return render(
        request,
        "stockyard/stock/items.html",
        {
            "items": queries.items_for(request.user),
            "may_edit": actions.may_edit_catalogue(request.user, shown_prefecture(request.user)),
        },
    )


def _save_item(request, form, prefecture, item=None):
    try:
        return actions.save_item(
            prefecture=prefecture, item=item, by=request.user, **form.action_fields()
        )
    except ValidationError as error:
        _refused(form, error)
        return None


@authenticated
@GET_POST
def item_create(request):
    prefecture = shown_prefecture(request.user)
    if not actions.may_edit_catalogue(request.user, prefecture):
        raise Http404
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save_item(request, form, prefecture):
        messages.success(request, _("The item was saved."))
        return redirect("stockyard:items")
    return _form_page(
        request, "form.html", form, title=_("New item"), back=reverse("stockyard:items")
    )


@authenticated
@GET_POST
def item_edit(request, pk: int):
    item = get_object_or_404(queries.items_for(request.user), pk=pk)
    if not actions.may_edit_catalogue(request.user, item.prefecture_id):
        raise Http404
    form = ItemForm(request.POST or None, item=item)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_item(request, form, item.prefecture_id, item)
    ):
        messages.success(request, _("The item was saved."))
        return redirect("stockyard:items")
    return _form_page(
        request,
        "form.html",
        form,
        title=_("Edit %(item)s") % {"item": item.name},
        back=reverse("stockyard:items"),
    )


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
            _refused(form, error)
        else:
            messages.success(request, _("The goods were received."))
            return redirect("stockyard:donation", donation.pk)
    return _form_page(
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
            _refused(form, error)
        else:
            messages.success(request, done)
            return redirect("stockyard:location", location.pk)
    return _form_page(
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
            _refused(form, error)
        else:
            messages.success(request, _("%(n)s expired lots were moved out.") % {"n": len(moved)})
            return redirect("stockyard:location", location.pk)
    return _form_page(
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
            _refused(form, error)
        else:
            messages.success(request, _("The stocktake was recorded."))
            return redirect("stockyard:stocktake", location.pk)
    lines = StocktakeLine.objects.select_related("lot__item").order_by("lot__item__name", "lot")
    recorded = (
        Stocktake.objects.filter(location=location)
        .select_related("by")
        .prefetch_related(Prefetch("lines", lines))[:5]
    )
    return _form_page(
        request,
        "stocktake.html",
        form,
        title=_("Stocktake at %(location)s") % {"location": location.name},
        back=reverse("stockyard:location", args=[location.pk]),
        location=location,
        stocktakes=list(recorded),
    )


# Food drives ----------------------------------------------------------------------------------


@authenticated
def campaign_list(request):
    campaigns = queries.campaigns_for(request.user).annotate(
        points=Count("drop_offs", distinct=True), gifts=Count("donations", distinct=True)
    )
    return render(
        request,
        "stockyard/stock/campaigns.html",
        {"campaigns": campaigns, "may_start": actions.may_start_food_drive(request.user)},
    )


VALUE = Sum(F("quantity") * F("unit_value"), output_field=DecimalField())


@authenticated
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(queries.campaigns_for(request.user), pk=pk)
    lots = Lot.objects.filter(donation__campaign=campaign)
    by_item = (
        lots.values(name=F("item__name"), unit=F("item__unit"))
        .annotate(total=Sum("quantity"), value=VALUE)
        .order_by("name")
    )
    by_drop_off = (
        lots.values(point=F("donation__location__name"), name=F("item__name"), unit=F("item__unit"))
        .annotate(total=Sum("quantity"), value=VALUE)
        .order_by("point", "name")
    )
    return render(
        request,
        "stockyard/stock/campaign_detail.html",
        {
            "campaign": campaign,
            "drop_offs": campaign.drop_offs.select_related("municipality__parent"),
            "by_item": list(by_item),
            "by_drop_off": list(by_drop_off),
            "donations": campaign.donations.count(),
        },
    )


@authenticated
@GET_POST
def campaign_create(request):
    if not actions.may_start_food_drive(request.user):
        raise Http404
    drop_offs = (
        queries.managed_locations(request.user)
        .filter(active=True)
        .select_related("municipality__parent")
    )
    form = CampaignForm(request.POST or None, drop_offs=drop_offs)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create_campaign(
                prefecture=shown_prefecture(request.user), by=request.user, **form.action_fields()
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The food drive was saved."))
            return redirect("stockyard:campaign", campaign.pk)
    return _form_page(
        request, "form.html", form, title=_("New food drive"), back=reverse("stockyard:campaigns")
    )
