"""Reads of the stock: computed from the ledger on any date, or from the running balances for
today; the near-expiry list. Every function is a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from .models import Balance, Location, Lot, Movement


@dataclass(slots=True)
class StockRow:
    location_id: int
    location: str
    lot_id: int
    item_id: int
    item: str
    unit: str
    category: str
    expires_on: datetime.date | None
    quantity: Decimal
    unit_value: Decimal
    near_expiry: bool = False
    expired: bool = False

    @property
    def value(self) -> Decimal:
        return self.quantity * self.unit_value


def stock_on(locations, day: datetime.date | None = None, *, item=None) -> list[StockRow]:
    """Every lot with stock at ``locations`` (a queryset) at the end of ``day``: the ledger's
    sum up to that day (today: the balances, which hold the same sum). Three queries: the sums
    grouped by location and lot alone (narrow, so the database groups ids, not names), the
    lots that were ever there with their items, and the locations."""
    today = timezone.localdate()
    day = day or today
    if day >= today:
        sums = Balance.objects.filter(location__in=locations, quantity__gt=0)
        if item is not None:
            sums = sums.filter(item=item)
        sums = sums.values_list("location_id", "lot_id", "quantity")
    else:
        moves = Movement.objects.filter(location__in=locations, occurred_on__lte=day)
        if item is not None:
            moves = moves.filter(lot__item=item)
        sums = (
            moves.values("location_id", "lot_id")
            .annotate(total=Sum("quantity"))
            .filter(total__gt=0)
            .values_list("location_id", "lot_id", "total")
        )
    sums = list(sums)
    if not sums:
        return []
    ever = Balance.objects.filter(location__in=locations)
    if item is not None:
        ever = ever.filter(item=item)
    lots = {
        row[0]: row[1:]
        for row in Lot.objects.filter(pk__in=ever.values("lot_id")).values_list(
            "pk", "item_id", "item__name", "item__unit", "item__category", "expires_on",
            "unit_value",
        )
    }  # fmt: skip
    places = {
        pk: (name, datetime.timedelta(days=days))
        for pk, name, days in Location.objects.filter(
            pk__in={location for location, _lot, _q in sums}
        ).values_list("pk", "name", "near_expiry_days")
    }
    result = []
    for location_id, lot_id, quantity in sums:
        item_id, name, unit, category, expires, value = lots[lot_id]
        place, warn = places[location_id]
        result.append(
            StockRow(
                location_id=location_id,
                location=place,
                lot_id=lot_id,
                item_id=item_id,
                item=name,
                unit=unit,
                category=category,
                expires_on=expires,
                quantity=quantity,
                unit_value=value,
                expired=expires is not None and expires < day,
                near_expiry=expires is not None and day <= expires <= day + warn,
            )
        )
    result.sort(key=lambda r: (r.location, r.item, r.expires_on or datetime.date.max, r.lot_id))
    return result


def totals_by_item(rows: list[StockRow]) -> list[dict]:
    """The stock rows summed per location and item, with the earliest date."""
    totals: dict[tuple, dict] = {}
    for row in rows:
        key = (row.location_id, row.item_id)
        entry = totals.setdefault(
            key,
            {
                "location_id": row.location_id,
                "location": row.location,
                "item_id": row.item_id,
                "item": row.item,
                "unit": row.unit,
                "quantity": Decimal(0),
                "value": Decimal(0),
                "earliest": None,
                "lots": 0,
            },
        )
        entry["quantity"] += row.quantity
        entry["value"] += row.value
        entry["lots"] += 1
        if row.expires_on and (entry["earliest"] is None or row.expires_on < entry["earliest"]):
            entry["earliest"] = row.expires_on
    return list(totals.values())


def near_expiry(locations, day: datetime.date | None = None) -> list[StockRow]:
    """Lots in stock whose date falls within their location's warning days, or has passed."""
    return [row for row in stock_on(locations, day) if row.near_expiry or row.expired]


def below_minimum(locations) -> list[dict]:
    """Items whose current stock at a location is under the minimum set for it."""
    from .models import MinimumStock

    minimums = MinimumStock.objects.filter(location__in=locations).select_related(
        "item", "location"
    )
    stock = {
        (row["location_id"], row["item_id"]): row["total"]
        for row in Balance.objects.filter(location__in=locations)
        .values("location_id", "item_id")
        .annotate(total=Sum("quantity"))
    }
    short = []
    for minimum in minimums:
        have = stock.get((minimum.location_id, minimum.item_id), Decimal(0))
        if have < minimum.quantity:
            short.append(
                {
                    "location": minimum.location,
                    "item": minimum.item,
                    "have": have,
                    "minimum": minimum.quantity,
                }
            )
    return short
