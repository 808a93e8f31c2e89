"""Places and the catalogue: locations and their minimum stock (center staff for their
prefecture, council staff for their municipality), items (center staff)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sasaeai.accounts.scope import scope_of

from ..models import Item, KeeperKind, Location, MinimumStock
from .ledger import StockError, quantity_of

LOCATION_FIELDS = (
    "name", "kind", "postal_code", "address", "opening_hours", "phone", "keeper_kind",
    "keeper_name", "public", "near_expiry_days", "active",
)  # fmt: skip
ITEM_FIELDS = ("name", "category", "unit", "whole_units", "expires", "unit_value", "active")


# Who may ------------------------------------------------------------------------------------


def may_place_in(user, municipality) -> bool:
    """Center staff place locations in their prefecture, council staff in their municipality
    (a designated city's council also in its wards)."""
    scope = scope_of(user)
    if scope.sees_everything():
        return True
    return (
        municipality.prefecture_id in scope.prefecture_codes
        or municipality.pk in scope.municipality_codes
        or municipality.parent_id in scope.municipality_codes
    )


def manages(user, location: Location) -> bool:
    """Who may change a location's details and minimum stock (not only its keepers: the
    center and the council of its municipality)."""
    return may_place_in(user, location.municipality)


def may_edit_catalogue(user, prefecture: str) -> bool:
    scope = scope_of(user)
    return scope.sees_everything() or prefecture in scope.prefecture_codes


def may_start_food_drive(user) -> bool:
    """Food drives are started by center staff and council staff."""
    scope = scope_of(user)
    return scope.is_center_staff or bool(scope.municipality_codes)


# Locations ----------------------------------------------------------------------------------


def save_location(
    *,
    municipality,
    keeper_corporation=None,
    location: Location | None = None,
    by=None,
    **fields,
) -> Location:
    """Create a location, or change one (``location``): its details, where it is, who keeps it."""
    unknown = set(fields) - set(LOCATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown location fields: {sorted(unknown)}")
    if by is not None and not (
        may_place_in(by, municipality) and (location is None or manages(by, location))
    ):
        raise StockError(
            _("You cannot place a location in %(municipality)s.") % {"municipality": municipality},
            "not_yours",
        )
    if location is not None and municipality.prefecture_id != location.prefecture_id:
        raise StockError(_("A location stays in its prefecture."), "prefecture")
    keeper_kind = fields.get("keeper_kind", location.keeper_kind if location else "")
    if keeper_kind == KeeperKind.CORPORATION:
        if keeper_corporation is None:
            raise StockError(
                {"keeper_corporation": _("Choose the corporation that keeps the location.")},
                "keeper",
            )
        if keeper_corporation.municipality.prefecture_id != municipality.prefecture_id:
            raise StockError(
                {"keeper_corporation": _("The corporation must be in the same prefecture.")},
                "keeper",
            )
    else:
        keeper_corporation = None
    location = location or Location()
    location.prefecture_id = municipality.prefecture_id
    location.municipality = municipality
    location.keeper_corporation = keeper_corporation
    for name, value in fields.items():
        setattr(location, name, value.strip() if isinstance(value, str) else value)
    location.full_clean()
    location.save()
    return location


def set_minimums(
    *, location: Location, minimums: Mapping[Item, object], by=None
) -> list[MinimumStock]:
    """The minimum stock of each item at ``location``; empty or zero removes an item's minimum."""
    if by is not None and not manages(by, location):
        raise StockError(
            _("%(location)s is not a location you manage.") % {"location": location.name},
            "not_yours",
        )
    errors, wanted, dropped = [], {}, []
    for item, value in minimums.items():
        if item.prefecture_id != location.prefecture_id:
            errors.append(_("%(item)s is not in this catalogue.") % {"item": item})
        elif value in (None, "") or (str(value).strip() in ("0", "0.0", "0.00")):
            dropped.append(item)
        else:
            try:
                wanted[item] = quantity_of(item, value, label=f"{item.name}: ")
            except StockError as error:
                errors.extend(error.messages)
    if errors:
        raise StockError(errors)
    with transaction.atomic():
        MinimumStock.objects.filter(location=location, item__in=dropped).delete()
        saved = []
        for item, quantity in wanted.items():
            minimum, _created = MinimumStock.objects.update_or_create(
                location=location, item=item, defaults={"quantity": quantity}
            )
            saved.append(minimum)
    return saved


# The catalogue ------------------------------------------------------------------------------


def save_item(*, prefecture: str, item: Item | None = None, by=None, **fields) -> Item:
    """Add an item to the prefecture's catalogue, or change one."""
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    if by is not None and not may_edit_catalogue(by, prefecture):
        raise StockError(_("The catalogue is kept by the center's staff."), "not_yours")
    if item is not None and item.prefecture_id != prefecture:
        raise StockError(_("%(item)s is not in this catalogue.") % {"item": item}, "item")
    if Decimal(fields.get("unit_value") or 0) < 0:
        raise StockError({"unit_value": _("The value per unit cannot be negative.")}, "value")
    item = item or Item(prefecture_id=prefecture)
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    try:
        item.full_clean()
    except ValidationError as error:
        raise StockError(error.message_dict, "invalid") from None
    item.save()
    return item
