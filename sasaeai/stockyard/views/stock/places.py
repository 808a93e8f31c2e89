"""Locations and their stock on any date, their details and minimum stock; the catalogue."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.accounts.scope import shown_prefecture
from sasaeai.core.access import authenticated
from sasaeai.members.queries import visible_corporations

from ... import actions, queries, stock
from ...forms import (
    AsOfForm,
    ItemForm,
    LocationForm,
    MinimumsForm,
)
from ...models import Location, Movement
from .common import GET_POST, form_page, refused

LEDGER_PAGE = 25
MARKS = {"near_expiry": gettext_lazy("near expiry"), "expired": gettext_lazy("expired")}


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
        refused(form, error)
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
    return form_page(
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
    return form_page(
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
            refused(form, error)
        else:
            messages.success(request, _("The minimum stock was saved."))
            return redirect("stockyard:location", location.pk)
    return form_page(
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
        refused(form, error)
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
    return form_page(
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
    return form_page(
        request,
        "form.html",
        form,
        title=_("Edit %(item)s") % {"item": item.name},
        back=reverse("stockyard:items"),
    )
