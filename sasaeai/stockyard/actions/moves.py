"""Moving stock: transfers, write-offs and stocktakes."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    OUT_KINDS,
    Item,
    Location,
    Lot,
    Movement,
    MovementKind,
    Stocktake,
    StocktakeLine,
)
from .ledger import (
    StockError,
    _check_not_future,
    _locked_balances,
    _post,
    _require_keeper,
    _take,
    _take_lot,
    quantity_of,
)

# Moving stock ---------------------------------------------------------------------------------


def transfer(
    *,
    source: Location,
    destination: Location,
    item: Item,
    quantity,
    on: datetime.date | None = None,
    lot: Lot | None = None,
    by=None,
    today: datetime.date | None = None,
) -> list[Movement]:
    """Move goods between two locations: the given lot, or the item first-expiring-first-out."""
    today = today or timezone.localdate()
    on = on or today
    _require_keeper(by, source)
    _check_not_future(on, today)
    if destination.pk == source.pk:
        raise StockError(_("Choose another location to transfer to."), "same_location")
    if destination.prefecture_id != source.prefecture_id or not destination.active:
        raise StockError(
            _("The destination must be a location in use in the prefecture."), "destination"
        )
    quantity = quantity_of(item, quantity)
    moved = []
    with transaction.atomic():
        if lot is None:
            picked = _take(source, item, quantity, on)
        else:
            picked = _take_lot(source, lot, quantity, on)
        for taken_lot, taken in picked:
            moved.append(
                _post(
                    taken_lot,
                    source,
                    MovementKind.TRANSFER_OUT,
                    -taken,
                    on,
                    by,
                    transfer_to=destination,
                )
            )
            moved.append(_post(taken_lot, destination, MovementKind.TRANSFER_IN, taken, on, by))
    return moved


def write_off(
    *,
    location: Location,
    lot: Lot,
    quantity,
    kind: str = MovementKind.DISPOSAL,
    reason: str = "",
    on: datetime.date | None = None,
    by=None,
    today: datetime.date | None = None,
) -> Movement:
    """Move goods out of stock for good: disposed of (廃棄) or given to another body (譲渡)."""
    today = today or timezone.localdate()
    on = on or today
    _require_keeper(by, location)
    _check_not_future(on, today)
    if kind not in OUT_KINDS:
        raise StockError(_("Choose disposal or giving away."), "kind")
    if kind == MovementKind.GIVEN_AWAY and not reason.strip():
        raise StockError(_("Name the body the goods were given to."), "reason")
    quantity = quantity_of(lot.item, quantity)
    with transaction.atomic():
        _take_lot(location, lot, quantity, on)
        return _post(lot, location, kind, -quantity, on, by, reason=reason.strip())


def write_off_expired(
    *,
    location: Location,
    on: datetime.date | None = None,
    kind=MovementKind.DISPOSAL,
    reason="",
    by=None,
) -> list[Movement]:
    """Move every lot at ``location`` whose date has passed on ``on`` out of stock."""
    on = on or timezone.localdate()
    _require_keeper(by, location)
    moved = []
    with transaction.atomic():
        for balance in _locked_balances(location, quantity__gt=0, expires_on__lt=on):
            moved.append(
                _post(balance.lot, location, kind, -balance.quantity, on, by, reason=reason.strip())
            )
    return moved


def stocktake(
    *,
    location: Location,
    counts: Mapping[int, object],
    counted_on: datetime.date | None = None,
    note: str = "",
    by=None,
    today: datetime.date | None = None,
) -> Stocktake:
    """棚卸: record the counted quantity of each lot (by lot id); every difference becomes a
    ledger row on ``counted_on``. Lots not counted are left as they are."""
    today = today or timezone.localdate()
    counted_on = counted_on or today
    _require_keeper(by, location)
    _check_not_future(counted_on, today)
    if not counts:
        raise StockError(_("Enter at least one counted quantity."), "empty")
    with transaction.atomic():
        balances = {b.lot_id: b for b in _locked_balances(location, lot_id__in=list(counts))}
        later = set(
            Movement.objects.filter(
                location=location, lot_id__in=list(counts), occurred_on__gt=counted_on
            ).values_list("lot_id", flat=True)
        )
        errors, lines = [], []
        for lot_id, value in counts.items():
            balance = balances.get(int(lot_id))
            if balance is None:
                errors.append(
                    _("Lot %(lot)s has never been at %(location)s.")
                    % {"lot": lot_id, "location": location.name}
                )
                continue
            label = f"{balance.lot}: "
            try:
                counted = (
                    Decimal(0)
                    if str(value).strip() in ("0", "0.0", "0.00")
                    else quantity_of(balance.lot.item, value, label=label)
                )
            except StockError as error:
                errors.extend(error.messages)
                continue
            if balance.lot_id in later:
                errors.append(
                    label
                    + _("it moved after %(date)s; count it on a later date.")
                    % {"date": counted_on.isoformat()}
                )
                continue
            lines.append((balance, counted))
        if errors:
            raise StockError(errors)
        take = Stocktake.objects.create(location=location, counted_on=counted_on, note=note, by=by)
        for balance, counted in lines:
            StocktakeLine.objects.create(
                stocktake=take, lot=balance.lot, expected=balance.quantity, counted=counted
            )
            if counted != balance.quantity:
                _post(
                    balance.lot,
                    location,
                    MovementKind.STOCKTAKE,
                    counted - balance.quantity,
                    counted_on,
                    by,
                    stocktake=take,
                )
    return take
