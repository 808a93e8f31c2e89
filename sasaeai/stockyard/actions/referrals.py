"""Out: referrals for households, checked against the support limits, picked
first-expiring-first-out on approval, handed over, declined or cancelled."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.accounts.scope import scope_of

from ..models import (
    COUNTING,
    Household,
    Item,
    Location,
    Lot,
    Movement,
    MovementKind,
    Referral,
    ReferralLine,
    ReferralStatus,
    SupportRule,
)
from .ledger import (
    StockError,
    _check_not_future,
    _line,
    _post,
    _require_keeper,
    _take,
    keeps,
    quantity_of,
)

# Out: referrals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdData:
    municipality_id: str
    reference: str
    size: int
    ages: str = ""


def may_refer_for(user, *, corporation=None, municipality=None) -> bool:
    scope = scope_of(user)
    if scope.sees_everything():
        return True
    if corporation is not None:
        return corporation.pk in scope.corporation_ids
    if municipality is not None:
        code = municipality.pk
        return code in scope.municipality_codes or code[:2] in scope.prefecture_codes
    return False


def refer(
    *,
    location: Location,
    household: HouseholdData,
    lines: Sequence[tuple[Item, object]],
    urgency: str,
    needs: str = "",
    corporation=None,
    municipality=None,
    on: datetime.date | None = None,
    by=None,
    today: datetime.date | None = None,
) -> Referral:
    """A referral (依頼) by a corporation's or a council's staff for one household, checked
    against the support limits; the household is found by the referrer's case number."""
    today = today or timezone.localdate()
    on = on or today
    _check_not_future(on, today)
    if (corporation is None) == (municipality is None):
        raise StockError(_("A referral comes from one corporation or one council."), "referrer")
    if by is not None and not may_refer_for(by, corporation=corporation, municipality=municipality):
        raise StockError(_("You cannot refer on behalf of that organisation."), "not_yours")
    if not location.active:
        raise StockError(
            _("%(location)s is no longer in use.") % {"location": location}, "inactive"
        )
    reference = household.reference.strip()
    if not reference:
        raise StockError(_("Case number: enter your organisation's case number."), "reference")
    if household.size is None or int(household.size) < 1:
        raise StockError(_("People in the household: at least one."), "size")
    if not household.municipality_id.startswith(location.prefecture_id):
        raise StockError(_("The household must live in the prefecture of the location."), "area")
    checked, errors, seen = [], [], set()
    for number, (item, value) in enumerate(lines, start=1):
        label = _line(number)
        if item.pk in seen:
            errors.append(label + _("%(item)s is asked for twice.") % {"item": item.name})
            continue
        seen.add(item.pk)
        if item.prefecture_id != location.prefecture_id or not item.active:
            errors.append(label + _("%(item)s is not in this catalogue.") % {"item": item})
            continue
        try:
            checked.append((item, quantity_of(item, value, label=label)))
        except StockError as error:
            errors.extend(error.messages)
    if not lines:
        errors.append(_("Ask for at least one item."))
    if errors:
        raise StockError(errors)
    value = sum((item.unit_value * quantity for item, quantity in checked), Decimal(0))
    with transaction.atomic():
        house = _household(household, reference, corporation, municipality, location)
        check_limits(house, value, on)
        referral = Referral.objects.create(
            household=house,
            location=location,
            referring_corporation=corporation,
            referring_municipality=municipality,
            household_size=house.size,
            needs=needs,
            urgency=urgency,
            requested_on=on,
            requested_by=by,
            value=value.quantize(Decimal(1)),
        )
        ReferralLine.objects.bulk_create(
            ReferralLine(referral=referral, item=item, quantity=quantity)
            for item, quantity in checked
        )
    return referral


def _household(data: HouseholdData, reference, corporation, municipality, location) -> Household:
    """The referrer's household of that case number, created or brought up to date, and locked
    (two referrals for one household are checked against the limits one after the other)."""
    keys = (
        {"referring_corporation": corporation}
        if corporation is not None
        else {"referring_corporation": None, "referring_municipality": municipality}
    )
    house, created = Household.objects.get_or_create(
        reference=reference,
        **keys,
        defaults={
            "prefecture_id": location.prefecture_id,
            "municipality_id": data.municipality_id,
            "size": int(data.size),
            "ages": data.ages.strip(),
            "referring_municipality": municipality,
        },
    )
    house = Household.objects.select_for_update().get(pk=house.pk)
    if not created:
        house.municipality_id = data.municipality_id
        house.size = int(data.size)
        house.ages = data.ages.strip()
        house.save(update_fields=["municipality", "size", "ages"])
    return house


def check_limits(
    household: Household, value: Decimal, on: datetime.date, *, exclude: int | None = None
) -> None:
    """Refuse a referral of ``value`` yen on ``on`` that would break a support limit in force."""
    rules = SupportRule.objects.filter(prefecture_id=household.prefecture_id, active=True)
    errors = []
    for rule in rules:
        since = on - datetime.timedelta(days=rule.period_days - 1)
        earlier = household.referrals.filter(
            status__in=COUNTING, requested_on__gte=since, requested_on__lte=on
        )
        if exclude:
            earlier = earlier.exclude(pk=exclude)
        used = earlier.aggregate(used=Sum("value"))["used"] or Decimal(0)
        count = earlier.count()
        if rule.max_value is not None and used + value > rule.max_value:
            errors.append(
                _(
                    "%(rule)s: at most %(max)s yen in kind per household in %(days)s days; "
                    "%(used)s yen given or asked since %(since)s, and this referral is "
                    "%(value)s yen."
                )
                % {
                    "rule": rule.name,
                    "max": f"{rule.max_value:,.0f}",
                    "days": rule.period_days,
                    "used": f"{used:,.0f}",
                    "since": since.isoformat(),
                    "value": f"{value:,.0f}",
                }
            )
        if rule.max_referrals is not None and count + 1 > rule.max_referrals:
            errors.append(
                _(
                    "%(rule)s: at most %(max)s referrals per household in %(days)s days; "
                    "%(count)s since %(since)s."
                )
                % {
                    "rule": rule.name,
                    "max": rule.max_referrals,
                    "days": rule.period_days,
                    "count": count,
                    "since": since.isoformat(),
                }
            )
    if errors:
        raise StockError(errors, "limit")


def save_support_rule(
    *,
    prefecture_id: str,
    name: str,
    period_days: int,
    max_value: Decimal | None = None,
    max_referrals: int | None = None,
    active: bool = True,
    rule: SupportRule | None = None,
    by=None,
) -> SupportRule:
    """Set or change a support limit of a prefecture (its center's staff only): at most an
    amount in kind and/or a number of referrals per household within a period."""
    scope = scope_of(by) if by is not None else None
    if rule is not None:
        prefecture_id = rule.prefecture_id
    if scope is not None and not (
        scope.sees_everything() or prefecture_id in scope.prefecture_codes
    ):
        raise StockError(_("Support limits are set by the center's staff."), "not_yours")
    errors = []
    if not name.strip():
        errors.append(_("Name: enter a name."))
    if period_days is None or int(period_days) < 1:
        errors.append(_("Period: at least one day."))
    if max_value is None and max_referrals is None:
        errors.append(_("Set a limit in yen, a limit of referrals, or both."))
    if (max_value is not None and max_value < 1) or (
        max_referrals is not None and max_referrals < 1
    ):
        errors.append(
            _("A limit is at least 1; to lift it, leave it empty or take the rule out of force.")
        )
    if errors:
        raise StockError(errors, "rule")
    rule = rule or SupportRule(prefecture_id=prefecture_id)
    rule.name = name.strip()
    rule.period_days = int(period_days)
    rule.max_value = max_value
    rule.max_referrals = max_referrals
    rule.active = active
    with transaction.atomic():
        rule.save()
    return rule


def _locked_referral(referral: Referral, *allowed: str) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("location")
        .get(pk=referral.pk)
    )
    if referral.status not in allowed:
        raise StockError(
            _("This referral is %(status)s.") % {"status": referral.get_status_display()}, "status"
        )
    return referral


def approve(
    *, referral: Referral, by=None, on: datetime.date | None = None, today=None
) -> Referral:
    """The keeper approves: the goods are picked first-expiring-first-out and leave the stock."""
    today = today or timezone.localdate()
    on = on or today
    _check_not_future(on, today)
    _require_keeper(by, referral.location)
    if on < referral.requested_on:
        raise StockError(_("A referral is approved on or after the day it was made."), "date")
    with transaction.atomic():
        referral = _locked_referral(referral, ReferralStatus.REQUESTED)
        house = Household.objects.select_for_update().get(pk=referral.household_id)
        check_limits(house, referral.value, referral.requested_on, exclude=referral.pk)
        errors, picks = [], []
        for number, line in enumerate(referral.lines.select_related("item"), start=1):
            try:
                picks.extend(
                    _take(referral.location, line.item, line.quantity, on, label=_line(number))
                )
            except StockError as error:
                errors.extend(error.messages)
        if errors:
            raise StockError(errors, "short")
        for lot, quantity in picks:
            _post(lot, referral.location, MovementKind.PICK, -quantity, on, by, referral=referral)
        referral.status = ReferralStatus.APPROVED
        referral.decided_on = on
        referral.decided_by = by
        referral.save(update_fields=["status", "decided_on", "decided_by"])
    return referral


def hand_over(
    *, referral: Referral, by=None, on: datetime.date | None = None, today=None
) -> Referral:
    today = today or timezone.localdate()
    on = on or today
    _check_not_future(on, today)
    _require_keeper(by, referral.location)
    with transaction.atomic():
        referral = _locked_referral(referral, ReferralStatus.APPROVED)
        if on < referral.decided_on:
            raise StockError(_("Goods are handed over on or after the approval."), "date")
        referral.status = ReferralStatus.HANDED_OVER
        referral.handed_over_on = on
        referral.handed_over_by = by
        referral.save(update_fields=["status", "handed_over_on", "handed_over_by"])
    return referral


def decline(*, referral: Referral, reason: str, by=None, today=None) -> Referral:
    _require_keeper(by, referral.location)
    if not reason.strip():
        raise StockError(_("Give the reason for declining."), "reason")
    with transaction.atomic():
        referral = _locked_referral(referral, ReferralStatus.REQUESTED)
        referral.status = ReferralStatus.DECLINED
        referral.decided_on = today or timezone.localdate()
        referral.decided_by = by
        referral.closing_reason = reason.strip()
        referral.save(update_fields=["status", "decided_on", "decided_by", "closing_reason"])
    return referral


def may_cancel(user, referral: Referral) -> bool:
    scope = scope_of(user)
    return (
        keeps(user, referral.location)
        or (referral.referring_corporation_id in scope.corporation_ids)
        or (referral.referring_municipality_id in scope.municipality_codes)
        or scope.sees_everything()
    )


def cancel(
    *, referral: Referral, reason: str, by=None, on: datetime.date | None = None, today=None
) -> Referral:
    """Cancel a referral; goods already picked go back: the exact lots, to the same location."""
    today = today or timezone.localdate()
    on = on or today
    _check_not_future(on, today)
    if by is not None and not may_cancel(by, referral):
        raise StockError(_("You cannot cancel this referral."), "not_yours")
    if not reason.strip():
        raise StockError(_("Give the reason for cancelling."), "reason")
    with transaction.atomic():
        referral = _locked_referral(
            referral, ReferralStatus.REQUESTED, ReferralStatus.APPROVED, ReferralStatus.HANDED_OVER
        )
        picked = (
            Movement.objects.filter(referral=referral)
            .values("lot_id", "location_id")
            .annotate(total=Sum("quantity"))
        )
        lots = Lot.objects.in_bulk([row["lot_id"] for row in picked])
        for row in picked:
            if row["total"] < 0:
                _post(
                    lots[row["lot_id"]],
                    referral.location,
                    MovementKind.RETURN,
                    -row["total"],
                    max(on, referral.decided_on or on),
                    by,
                    referral=referral,
                    reason=reason.strip(),
                )
        referral.status = ReferralStatus.CANCELLED
        referral.closing_reason = reason.strip()
        referral.save(update_fields=["status", "closing_reason"])
    return referral
