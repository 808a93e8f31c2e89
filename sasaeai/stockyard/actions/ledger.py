"""Every write of the stockyard, one function per use case, each in its own transaction.

Stock moves only through ``_post``, which writes the ledger row and the lot's running balance
together. Whatever takes stock out (picking for a referral, a transfer, a write-off, a negative
stocktake difference) first locks the balance rows it reads (``SELECT ... FOR UPDATE`` on
PostgreSQL, in primary-key order so that two pickers never deadlock; SQLite serialises writers
with ``BEGIN IMMEDIATE``) and checks the quantity inside the lock; the balance's ``CHECK >= 0``
is the last guard. A dated outflow must leave the ledger non-negative on that date and on every
later one, so a late entry never makes the past impossible.

Bad input raises ``StockError`` (a ``ValidationError`` whose code names the rule and whose
message, in Japanese, names the line and the field); nothing is written then.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from ..models import (
    Balance,
    Item,
    Location,
    Lot,
    Movement,
)


class StockError(ValidationError):
    """A refused stock operation; ``code`` names the rule (also for a list of messages)."""

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        # Django keeps the code of a single message only; a list of messages keeps it here.
        self.code = code


# Quantities and dates -------------------------------------------------------------------------


def quantity_of(item: Item, value, *, label: str = "") -> Decimal:
    """``value`` as a positive quantity of ``item``: whole where the unit is whole."""
    where = f"{label}{_('quantity')}: " if label else ""
    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise StockError(
            where + _("「%(value)s」 is not a number.") % {"value": value}, "number"
        ) from None
    if not quantity.is_finite() or quantity <= 0:
        raise StockError(where + _("the quantity must be more than zero."), "not_positive")
    if item.whole_units and quantity != quantity.to_integral_value():
        raise StockError(
            where
            + _("%(item)s is counted in whole %(unit)s; %(value)s is not a whole number.")
            % {"item": item.name, "unit": item.unit, "value": value},
            "not_whole",
        )
    if quantity != quantity.quantize(Decimal("0.01")):
        raise StockError(where + _("at most two decimal places."), "decimals")
    return quantity


def _check_not_future(day: datetime.date, today: datetime.date) -> None:
    if day > today:
        raise StockError(
            _("%(date)s is in the future; a movement is recorded when it happens.")
            % {"date": day.isoformat()},
            "future",
        )


def _line(number: int) -> str:
    return _("Line %(n)s, ") % {"n": number}


# Who may act ----------------------------------------------------------------------------------


def keeps(user, location: Location) -> bool:
    return Location.objects.kept_by(user).filter(pk=location.pk).exists()


def _require_keeper(user, location: Location) -> None:
    if user is not None and not keeps(user, location):
        raise StockError(
            _("%(location)s is not a location you keep.") % {"location": location.name},
            "not_yours",
        )


# The ledger -----------------------------------------------------------------------------------


def _post(
    lot: Lot, location: Location, kind: str, quantity: Decimal, on: datetime.date, by, **refs
) -> Movement:
    """One ledger row and its balance (the caller holds the lock for an outflow)."""
    movement = Movement.objects.create(
        lot=lot, location=location, kind=kind, quantity=quantity, occurred_on=on, by=by, **refs
    )
    updated = 0
    try:
        with transaction.atomic():
            updated = Balance.objects.filter(lot=lot, location=location).update(
                quantity=F("quantity") + quantity
            )
            if not updated:
                Balance.objects.create(
                    lot=lot,
                    location=location,
                    item_id=lot.item_id,
                    expires_on=lot.expires_on,
                    quantity=quantity,
                )
    except IntegrityError as error:  # the CHECK >= 0: a caller forgot its lock
        raise StockError(
            _("The stock of %(lot)s would fall below zero.") % {"lot": lot}, "below_zero"
        ) from error
    return movement


def _locked_balances(location: Location, **filters) -> list[Balance]:
    """The balances at ``location`` matching ``filters``, locked, in primary-key order."""
    return list(
        Balance.objects.select_for_update(of=("self",))
        .filter(location=location, **filters)
        .select_related("lot__item")
        .order_by("pk")
    )


def _available_from(location: Location, lots: Iterable[int], on: datetime.date) -> dict:
    """For each lot, the most that can leave ``location`` on ``on`` so that its ledger stays
    non-negative on that day and every later one (one read of the lots' rows)."""
    rows = (
        Movement.objects.filter(location=location, lot_id__in=list(lots))
        .values("lot_id", "occurred_on")
        .annotate(total=Sum("quantity"))
        .order_by("lot_id", "occurred_on")
    )
    running: dict[int, Decimal] = defaultdict(Decimal)
    lowest: dict[int, Decimal] = {}  # the lowest balance from the end of ``on`` onwards
    for row in rows:
        lot_id, later = row["lot_id"], row["occurred_on"] > on
        if later and lot_id not in lowest:
            lowest[lot_id] = running[lot_id]  # the balance at the end of ``on``
        running[lot_id] += row["total"]
        if later:
            lowest[lot_id] = min(lowest[lot_id], running[lot_id])
    return {
        lot_id: max(Decimal(0), min(lowest.get(lot_id, total), total))
        for lot_id, total in running.items()
    }


def _fefo(balances: Sequence[Balance], on: datetime.date) -> list[Balance]:
    """First-expiring-first-out: dated lots by their date, then undated ones; expired lots and
    lots received after ``on`` are never picked."""
    usable = [b for b in balances if b.expires_on is None or b.expires_on >= on]
    return sorted(usable, key=lambda b: (b.expires_on is None, b.expires_on, b.lot_id))


def _take(
    location: Location,
    item: Item,
    quantity: Decimal,
    on: datetime.date,
    *,
    label: str = "",
) -> list[tuple[Lot, Decimal]]:
    """Lock the item's lots at ``location`` and choose ``quantity`` first-expiring-first-out."""
    balances = _fefo(_locked_balances(location, item=item, quantity__gt=0), on)
    available = _available_from(location, [b.lot_id for b in balances], on)
    picked, wanted = [], quantity
    for balance in balances:
        if wanted <= 0:
            break
        here = min(balance.quantity, available.get(balance.lot_id, Decimal(0)))
        if here <= 0:
            continue
        take = min(here, wanted)
        picked.append((balance.lot, take))
        wanted -= take
    if wanted > 0:
        have = quantity - wanted
        raise StockError(
            label
            + _(
                "%(location)s has %(have)s %(unit)s of %(item)s that can be given on %(date)s; "
                "%(wanted)s %(unit)s were asked for."
            )
            % {
                "location": location.name,
                "have": _plain(have),
                "unit": item.unit,
                "item": item.name,
                "date": on.isoformat(),
                "wanted": _plain(quantity),
            },
            "short",
        )
    return picked


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _take_lot(location: Location, lot: Lot, quantity: Decimal, on) -> list[tuple[Lot, Decimal]]:
    balances = _locked_balances(location, lot=lot)
    available = _available_from(location, [lot.pk], on).get(lot.pk, Decimal(0))
    have = min(balances[0].quantity, available) if balances else Decimal(0)
    if have < quantity:
        raise StockError(
            _(
                "%(location)s has %(have)s %(unit)s of %(lot)s on %(date)s; "
                "%(wanted)s were asked for."
            )
            % {
                "location": location.name,
                "have": _plain(have),
                "unit": lot.item.unit,
                "lot": lot,
                "date": on.isoformat(),
                "wanted": _plain(quantity),
            },
            "short",
        )
    return [(lot, quantity)]
