"""The demo's stockyard loads once, marked as demo, and its figures are the ledger's: what
came in less what went out, per lot and per item; picks first-expiring-first-out; nothing
expired on intake; a referral in every status; the demo's council user can approve."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from sasaeai.stockyard import actions, demo
from sasaeai.stockyard.models import (
    COUNTING,
    Balance,
    Campaign,
    Donation,
    Household,
    Location,
    Lot,
    Movement,
    MovementKind,
    Referral,
    ReferralStatus,
    SupportRule,
)
from sasaeai.stockyard.stock import stock_on
from sasaeai.testing.factories import CorporationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(personas):
    corporations = {
        "own": personas.own_corporation,
        "other": personas.other_corporation,
        "third": CorporationFactory(municipality_id="331007"),  # 岡山市
    }
    users = {
        "center": personas.center,
        "council": personas.council,
        "corp_staff": personas.corp_staff,
        "outsider": personas.outsider,
    }
    first = demo.load("33", corporations=corporations, users=users)
    return first, (corporations, users)


def place(key):
    return Location.objects.get(name=next(p.name for p in demo.PLACES if p.key == key))


def by_reference(reference):
    return Referral.objects.get(household__reference=reference)


def test_the_demo_loads_once_and_says_what_it_made(loaded):
    first, (corporations, users) = loaded
    assert (
        first == "ストックヤード: 品目 新規 8 / 拠点 新規 7 / フードドライブ 新規 3 / 依頼 新規 6"
    )
    ledger = Movement.objects.count()
    again = demo.load("33", corporations=corporations, users=users)
    assert (
        again == "ストックヤード: 品目 新規 0 / 拠点 新規 0 / フードドライブ 新規 0 / 依頼 新規 0"
    )
    assert (Movement.objects.count(), Referral.objects.count()) == (ledger, 6)


def test_every_made_up_name_says_demo(loaded):
    names = [
        *Location.objects.values_list("name", "keeper_name", "address"),
        *Campaign.objects.values_list("title", "organiser", "description"),
        *SupportRule.objects.values_list("name"),
        *Household.objects.values_list("reference"),
        *Donation.objects.exclude(donor_name="").values_list("donor_name"),
    ]
    assert names and all(
        any(mark in text for mark in ("デモ", "架空")) for row in names for text in row
    )
    municipalities = set(Location.objects.values_list("municipality_id", flat=True))
    assert municipalities == {"331007", "332020", "332038"}


def test_a_referral_in_every_status_from_council_and_corporation_staff(loaded, personas):
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert statuses == {
        ReferralStatus.REQUESTED: 2,
        ReferralStatus.APPROVED: 1,
        ReferralStatus.HANDED_OVER: 1,
        ReferralStatus.CANCELLED: 1,
        ReferralStatus.DECLINED: 1,
    }
    referrers = set(Referral.objects.values_list("requested_by__username", flat=True))
    assert referrers == {"council-tsuyama", "corp-staff", "corp-outsider"}
    assert by_reference("デモ-社協-002").closing_reason


def test_stock_is_what_came_in_less_what_went_out(loaded):
    # Per lot and location, the running balance is the ledger's sum.
    sums = {
        (row["lot_id"], row["location_id"]): row["total"]
        for row in Movement.objects.values("lot_id", "location_id").annotate(total=Sum("quantity"))
    }
    balances = {(b.lot_id, b.location_id): b.quantity for b in Balance.objects.all()}
    assert sums == balances
    # Per lot: received, less what the referrals still standing took (a cancelled one gave
    # its exact lots back).
    for lot in Lot.objects.all():
        held = Balance.objects.filter(lot=lot).aggregate(s=Sum("quantity"))["s"]
        taken = -(
            Movement.objects.filter(lot=lot, referral__status__in=COUNTING).aggregate(
                s=Sum("quantity")
            )["s"]
            or 0
        )
        assert held == lot.quantity - taken, lot
    cancelled = Referral.objects.get(status=ReferralStatus.CANCELLED)
    assert cancelled.movements.filter(kind=MovementKind.PICK).exists()
    assert cancelled.movements.aggregate(s=Sum("quantity"))["s"] == 0


def expected_at_the_yard() -> dict[str, Decimal]:
    """The 津山 stockyard's stock by item from the demo's own tables, not the ledger."""
    expected: dict[str, Decimal] = defaultdict(Decimal)
    transfers = dict(demo.TRANSFERS)  # from a drop-off point: every item (None) or those named
    for key, _day, _kind, _donor, _drive, lines in demo.DONATIONS:
        for name, quantity, _until in lines:
            moved = key in transfers and (transfers[key] is None or name in transfers[key])
            if key == "tsuyama-yard" or moved:
                expected[name] += Decimal(str(quantity))
    for story in demo.STORIES:
        if story.place == "tsuyama-yard" and story.approved is not None and story.cancelled is None:
            for name, quantity in story.lines:
                expected[name] -= Decimal(str(quantity))
    return {name: quantity for name, quantity in expected.items() if quantity}


def test_the_stockyards_figures_are_the_demos(loaded):
    yard = Location.objects.filter(pk=place("tsuyama-yard").pk)
    totals = defaultdict(Decimal)
    for row in stock_on(yard):
        totals[row.item] += row.quantity
    assert dict(totals) == expected_at_the_yard()
    assert totals["米"] == Decimal("15")  # 22.5 kg in, 5 and 2.5 kg out
    left = {
        row.item: row.quantity for row in stock_on(Location.objects.filter(name__contains="町内会"))
    }
    assert left == {"レトルト食品": Decimal(10)}  # the retort food near its date stayed
    assert stock_on(Location.objects.filter(pk=place("tsuyama-corp").pk)) == []


def test_picks_are_first_expiring_first_out(loaded):
    picks = Movement.objects.filter(kind=MovementKind.PICK).select_related("lot", "referral")
    assert picks.exists()
    for pick in picks:
        on_the_day = stock_on(
            Location.objects.filter(pk=pick.location_id), pick.occurred_on, item=pick.lot.item
        )
        taken = set(
            pick.referral.movements.filter(lot__item=pick.lot.item).values_list("lot", flat=True)
        )
        left = [row for row in on_the_day if row.lot_id not in taken]
        assert all(row.expires_on >= pick.lot.expires_on for row in left if row.expires_on), pick
    rice = by_reference("デモ-法-001").movements.get(lot__item__name="米").lot
    assert rice.quantity == Decimal("7.5")  # the 7.5 kg lot dated earlier than the 15 kg one


def test_nothing_was_expired_on_intake_and_the_near_dates_are_flagged(loaded):
    today = timezone.localdate()
    for lot in Lot.objects.select_related("donation", "item"):
        if lot.item.expires:
            assert lot.expires_on >= max(lot.donation.received_on, today), lot
    rows = stock_on(Location.objects.all(), today)
    assert not any(row.expired for row in rows)
    flagged = {(row.location, row.item) for row in rows if row.near_expiry}
    assert flagged == {
        (place("tsuyama-yard").name, "缶詰"),
        (place("tsuyama-town").name, "レトルト食品"),
    }


def test_every_household_stays_within_the_support_limit(loaded):
    rule = SupportRule.objects.get()
    for household in Household.objects.all():
        used = household.referrals.filter(status__in=COUNTING).aggregate(s=Sum("value"))["s"]
        assert (used or 0) <= rule.max_value


def test_the_demos_council_user_approves_the_waiting_referral(loaded, personas):
    waiting = by_reference("デモ-法-002")
    assert actions.keeps(personas.council, waiting.location)
    approved = actions.approve(referral=waiting, by=personas.council)
    assert approved.status == ReferralStatus.APPROVED
    rice = approved.movements.get(lot__item__name="米")
    assert (rice.lot.quantity, -rice.quantity) == (Decimal(15), Decimal(5))


def test_the_food_drive_runs_today_with_donations_at_its_two_drop_off_points(loaded):
    today = timezone.localdate()
    drive = Campaign.objects.get(title=demo.FOOD_DRIVE)
    assert drive.starts_on <= today <= drive.ends_on
    assert set(drive.donations.values_list("location__name", flat=True)) == set(
        drive.drop_offs.values_list("name", flat=True)
    )
    assert drive.drop_offs.count() == 2
    assert all(point.public for point in drive.drop_offs.all())
    assert today - datetime.timedelta(days=30) < min(
        drive.donations.values_list("received_on", flat=True)
    )
