"""In: donations, their lots and receipts, and food drives."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Campaign,
    Donation,
    DonorKind,
    ExpiryKind,
    Item,
    Location,
    Lot,
    MovementKind,
)
from .ledger import (
    StockError,
    _check_not_future,
    _line,
    _post,
    _require_keeper,
    quantity_of,
)
from .places import manages, may_start_food_drive

# In: donations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LotData:
    item: Item
    quantity: Decimal | str | int
    expires_on: datetime.date | None = None
    expiry_kind: str = ExpiryKind.BEST_BEFORE
    unit_value: Decimal | None = None


def receive(
    *,
    location: Location,
    lines: Sequence[LotData],
    received_on: datetime.date,
    donor_kind: str = DonorKind.INDIVIDUAL,
    donor_name: str = "",
    donor_address: str = "",
    campaign: Campaign | None = None,
    note: str = "",
    by=None,
    today: datetime.date | None = None,
) -> Donation:
    """Record goods received at ``location``: one donation, a lot per line, their intake."""
    today = today or timezone.localdate()
    _require_keeper(by, location)
    _check_not_future(received_on, today)
    if not location.active:
        raise StockError(
            _("%(location)s is no longer in use.") % {"location": location}, "inactive"
        )
    if campaign is not None:
        _check_campaign(campaign, location, received_on)
    if not lines:
        raise StockError(_("Enter at least one item."), "empty")
    errors, checked = [], []
    for number, line in enumerate(lines, start=1):
        try:
            checked.append(_checked_lot(line, location, received_on, today, _line(number)))
        except StockError as error:
            errors.extend(error.messages)
    if errors:
        raise StockError(errors)
    with transaction.atomic():
        donation = Donation.objects.create(
            location=location,
            campaign=campaign,
            donor_kind=donor_kind,
            donor_name=donor_name.strip(),
            donor_address=donor_address.strip(),
            received_on=received_on,
            note=note,
            recorded_by=by,
        )
        for line, quantity in checked:
            lot = Lot.objects.create(
                donation=donation,
                item=line.item,
                quantity=quantity,
                expires_on=line.expires_on if line.item.expires else None,
                expiry_kind=line.expiry_kind if line.item.expires else "",
                unit_value=line.item.unit_value if line.unit_value is None else line.unit_value,
            )
            _post(lot, location, MovementKind.INTAKE, quantity, received_on, by)
    return donation


def _checked_lot(line: LotData, location, received_on, today, label) -> tuple[LotData, Decimal]:
    item = line.item
    if item.prefecture_id != location.prefecture_id or not item.active:
        raise StockError(label + _("%(item)s is not in this catalogue.") % {"item": item}, "item")
    quantity = quantity_of(item, line.quantity, label=label)
    if item.expires:
        if line.expires_on is None:
            raise StockError(
                label + _("best before / use by: %(item)s needs its date.") % {"item": item.name},
                "expiry_missing",
            )
        if line.expires_on < max(received_on, today):
            raise StockError(
                label
                + _("best before / use by: %(date)s has passed; expired goods are not taken in.")
                % {"date": line.expires_on.isoformat()},
                "expired",
            )
    if line.unit_value is not None and Decimal(line.unit_value) < 0:
        raise StockError(label + _("the value per unit cannot be negative."), "value")
    return line, quantity


def _check_campaign(campaign: Campaign, location: Location, day: datetime.date) -> None:
    if not campaign.drop_offs.filter(pk=location.pk).exists():
        raise StockError(
            _("%(location)s is not a drop-off point of %(campaign)s.")
            % {"location": location.name, "campaign": campaign.title},
            "not_drop_off",
        )
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise StockError(
            _("%(campaign)s runs from %(start)s to %(end)s.")
            % {
                "campaign": campaign.title,
                "start": campaign.starts_on.isoformat(),
                "end": campaign.ends_on.isoformat(),
            },
            "campaign_dates",
        )


def create_campaign(
    *,
    prefecture: str,
    title: str,
    starts_on,
    ends_on,
    drop_offs,
    organiser="",
    description="",
    by=None,
) -> Campaign:
    """A food drive (center or council staff, ``by``) with its drop-off points, each a
    location that ``by`` manages."""
    drop_offs = list(drop_offs)
    if by is not None:
        _require_organiser(by, drop_offs)
    if ends_on < starts_on:
        raise StockError(_("A food drive cannot end before it starts."), "campaign_dates")
    if not drop_offs:
        raise StockError(_("Choose at least one drop-off point."), "no_drop_off")
    if any(location.prefecture_id != prefecture for location in drop_offs):
        raise StockError(_("Every drop-off point must be in the prefecture."), "drop_off_area")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            prefecture_id=prefecture,
            title=title,
            organiser=organiser,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description,
        )
        campaign.drop_offs.set(drop_offs)
    return campaign


def _require_organiser(user, drop_offs) -> None:
    if not may_start_food_drive(user):
        raise StockError(_("Food drives are started by center or council staff."), "not_yours")
    for location in drop_offs:
        if not manages(user, location):
            raise StockError(
                _("%(location)s is not a location you manage.") % {"location": location.name},
                "not_yours",
            )


def issue_receipt(donation: Donation) -> Donation:
    """Give the donation its receipt number (受領書), once: ``<fiscal year>-<sequence>``,
    running per prefecture. The prefecture's row is locked without blocking the rows that
    refer to it (``FOR NO KEY UPDATE``), so two receipts issued at once get two numbers."""
    from sasaeai.core.dates import fiscal_year
    from sasaeai.regions.models import Prefecture

    with transaction.atomic():
        donation = Donation.objects.select_for_update(of=("self",)).get(pk=donation.pk)
        if donation.receipt_number:
            return donation
        year = fiscal_year(donation.received_on)
        code = Location.objects.values_list("prefecture_id", flat=True).get(pk=donation.location_id)
        prefecture = Prefecture.objects.select_for_update(no_key=True).get(pk=code)
        prefix = f"{year}-"
        numbers = Donation.objects.filter(
            location__prefecture_id=prefecture.pk, receipt_number__startswith=prefix
        ).values_list("receipt_number", flat=True)
        last = max((int(n.split("-")[1]) for n in numbers), default=0)
        donation.receipt_number = f"{prefix}{last + 1:04d}"
        donation.save(update_fields=["receipt_number"])
    return donation
