"""The rules of the stockyard's writes: quantities, dates, FEFO, limits, scope, the ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sasaeai.stockyard import actions
from sasaeai.stockyard.actions import StockError
from sasaeai.stockyard.models import (
    Balance,
    Donation,
    Lot,
    Movement,
    MovementKind,
    Referral,
    ReferralStatus,
    Stocktake,
)
from sasaeai.stockyard.stock import near_expiry, stock_on

from .conftest import TODAY, household, receive

pytestmark = pytest.mark.django_db

D = datetime.date


def balance(lot, location) -> Decimal:
    row = Balance.objects.filter(lot=lot, location=location).first()
    return row.quantity if row else Decimal(0)


def ledger(lot, location) -> Decimal:
    return sum(
        (m.quantity for m in Movement.objects.filter(lot=lot, location=location)), Decimal(0)
    )


def stocked(world, personas):
    """Two lots of cans with different dates and one of rice at the yard."""
    donation = receive(
        world,
        world.yard,
        [
            (world.cans, 10, D(2026, 12, 31)),
            (world.cans, 5, D(2026, 7, 1)),
            (world.rice, "12.5", D(2027, 3, 1)),
        ],
        by=personas.council,
    )
    late, early, rice = donation.lots.order_by("id")
    return late, early, rice


# Goods in -------------------------------------------------------------------------------------


def test_intake_writes_one_ledger_row_per_lot_and_the_balance(world, personas):
    late, early, rice = stocked(world, personas)
    for lot, quantity in ((late, 10), (early, 5), (rice, Decimal("12.5"))):
        assert balance(lot, world.yard) == quantity == ledger(lot, world.yard)
        assert lot.unit_value == lot.item.unit_value
    assert Movement.objects.filter(kind=MovementKind.INTAKE).count() == 3


@pytest.mark.parametrize(
    ("item", "quantity", "code"),
    [("cans", -1, "not_positive"), ("cans", 0, "not_positive"), ("cans", "1.5", "not_whole"),
     ("cans", "abc", "number"), ("rice", "1.255", "decimals")],
)  # fmt: skip
def test_bad_quantities_are_refused_and_nothing_is_written(world, personas, item, quantity, code):
    with pytest.raises(StockError) as caught:
        receive(
            world,
            world.yard,
            [(world.soap, 3, None), (getattr(world, item), quantity, D(2027, 1, 1))],
            by=personas.council,
        )
    assert "2" in caught.value.messages[0]  # names the line
    assert not Donation.objects.exists() and not Lot.objects.exists()
    assert not Movement.objects.exists()
    with pytest.raises(StockError) as one:
        actions.quantity_of(getattr(world, item), quantity)
    assert one.value.code == code


def test_rice_by_weight_takes_fractions(world):
    assert actions.quantity_of(world.rice, "2.5") == Decimal("2.5")


def test_expired_or_undated_goods_are_not_taken_in(world, personas, english):
    with pytest.raises(StockError) as caught:
        receive(world, world.yard, [(world.cans, 3, TODAY - datetime.timedelta(days=1))])
    assert "has passed" in caught.value.messages[0]
    with pytest.raises(StockError, match="needs its date"):
        receive(world, world.yard, [(world.cans, 3, None)])
    assert not Lot.objects.exists()


def test_intake_in_the_future_is_refused(world, personas):
    with pytest.raises(StockError):
        receive(world, world.yard, [(world.soap, 1, None)], on=TODAY + datetime.timedelta(days=1))


def test_only_keepers_record_goods_in(world, personas):
    with pytest.raises(StockError) as caught:
        receive(world, world.yard, [(world.soap, 1, None)], by=personas.outsider)
    assert caught.value.code == "not_yours"
    receive(world, world.yard, [(world.soap, 1, None)], by=personas.center)
    receive(world, world.drop_off, [(world.soap, 1, None)], by=personas.corp_staff)
    with pytest.raises(StockError):
        receive(world, world.yard, [(world.soap, 1, None)], by=personas.corp_staff)


def test_a_food_drive_takes_goods_at_its_drop_off_points_in_its_dates(world, personas, english):
    drive = actions.create_campaign(
        prefecture="33",
        title="夏のフードドライブ",
        starts_on=D(2026, 6, 1),
        ends_on=D(2026, 6, 30),
        drop_offs=[world.drop_off],
    )
    receive(world, world.drop_off, [(world.soap, 2, None)], campaign=drive, by=personas.center)
    with pytest.raises(StockError, match="drop-off"):
        receive(world, world.yard, [(world.soap, 2, None)], campaign=drive)
    with pytest.raises(StockError):
        receive(world, world.drop_off, [(world.soap, 2, None)], campaign=drive, on=D(2026, 5, 31))
    with pytest.raises(StockError):
        actions.create_campaign(
            prefecture="33", title="x", starts_on=TODAY, ends_on=TODAY, drop_offs=[]
        )


def test_receipt_numbers_run_per_fiscal_year_and_are_given_once(world, personas):
    first = receive(world, world.yard, [(world.soap, 1, None)], on=D(2026, 3, 31))
    second = receive(world, world.yard, [(world.soap, 1, None)], on=D(2026, 4, 1))
    third = receive(world, world.yard, [(world.soap, 1, None)], on=D(2026, 4, 2))
    assert actions.issue_receipt(first).receipt_number == "2025-0001"
    assert actions.issue_receipt(second).receipt_number == "2026-0001"
    assert actions.issue_receipt(third).receipt_number == "2026-0002"
    assert actions.issue_receipt(second).receipt_number == "2026-0001"


# Referrals, FEFO, limits ----------------------------------------------------------------------


def refer(world, personas, lines, *, reference="津-001", on=TODAY, **kw):
    return actions.refer(
        location=world.yard,
        household=household(reference),
        lines=lines,
        urgency="today",
        corporation=kw.pop("corporation", personas.own_corporation),
        by=kw.pop("by", personas.corp_staff),
        on=on,
        today=max(on, TODAY),
        **kw,
    )


def test_approval_picks_first_expiring_first_out(world, personas):
    late, early, _rice = stocked(world, personas)
    referral = refer(world, personas, [(world.cans, 7)])
    assert referral.value == 7 * 150
    actions.approve(referral=referral, by=personas.council, today=TODAY)
    assert balance(early, world.yard) == 0  # 5 from the lot of 1 July
    assert balance(late, world.yard) == 8  # and 2 from the lot of 31 December
    picks = Movement.objects.filter(referral=referral, kind=MovementKind.PICK)
    assert sorted((m.lot_id, m.quantity) for m in picks) == sorted(
        [(early.pk, Decimal(-5)), (late.pk, Decimal(-2))]
    )


def test_expired_lots_are_never_picked(world, personas):
    late, early, _rice = stocked(world, personas)
    later = D(2026, 7, 2)  # the early lot has expired
    referral = refer(world, personas, [(world.cans, 3)], on=later)
    actions.approve(referral=referral, by=personas.council, on=later, today=later)
    assert balance(early, world.yard) == 5 and balance(late, world.yard) == 7
    rows = near_expiry(type(world.yard).objects.filter(pk=world.yard.pk), later)
    assert [(r.lot_id, r.expired) for r in rows] == [(early.pk, True)]


def test_short_stock_is_refused_with_the_item_and_nothing_picked(world, personas, english):
    stocked(world, personas)
    referral = refer(world, personas, [(world.cans, 16)])
    with pytest.raises(StockError) as caught:
        actions.approve(referral=referral, by=personas.council, today=TODAY)
    assert "缶詰" in caught.value.messages[0] and "15" in caught.value.messages[0]
    assert not Movement.objects.filter(kind=MovementKind.PICK).exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_only_the_keeper_approves(world, personas):
    stocked(world, personas)
    referral = refer(world, personas, [(world.cans, 1)])
    for user in (personas.corp_staff, personas.outsider):
        with pytest.raises(StockError):
            actions.approve(referral=referral, by=user, today=TODAY)
    actions.approve(referral=referral, by=personas.center, today=TODAY)


def test_the_support_limit_is_checked_on_every_referral(world, personas, english):
    stocked(world, personas)
    refer(world, personas, [(world.cans, 40)])  # ¥6,000 of ¥10,000
    with pytest.raises(StockError) as caught:
        refer(world, personas, [(world.cans, 30)])  # + ¥4,500
    assert caught.value.code == "limit"
    assert "6,000" in caught.value.messages[0] and "4,500" in caught.value.messages[0]
    assert Referral.objects.count() == 1
    refer(world, personas, [(world.cans, 26)])  # exactly ¥10,000 is allowed
    # Another corporation's case number 津-001 is another household.
    refer(
        world,
        personas,
        [(world.cans, 10)],
        corporation=personas.other_corporation,
        by=personas.outsider,
    )


def test_the_period_of_a_limit_slides_and_cancelled_referrals_do_not_count(world, personas):
    first = refer(world, personas, [(world.cans, 60)], on=D(2025, 6, 1))  # ¥9,000
    with pytest.raises(StockError):
        refer(world, personas, [(world.cans, 10)], on=D(2026, 5, 31))  # day 365
    refer(world, personas, [(world.cans, 10)], on=D(2026, 6, 1))  # day 366
    actions.cancel(referral=first, reason="重複", by=personas.corp_staff, today=TODAY)
    refer(world, personas, [(world.cans, 40)], on=D(2026, 6, 2))


def test_a_limit_on_the_number_of_referrals(world, personas):
    world.rule.max_value = None
    world.rule.max_referrals = 2
    world.rule.save()
    refer(world, personas, [(world.soap, 1)])
    refer(world, personas, [(world.soap, 1)])
    with pytest.raises(StockError):
        refer(world, personas, [(world.soap, 1)])


def test_only_its_own_organisations_refer(world, personas):
    with pytest.raises(StockError):
        refer(world, personas, [(world.soap, 1)], by=personas.outsider)
    actions.refer(
        location=world.yard,
        household=household("市-1"),
        lines=[(world.soap, 1)],
        urgency="normal",
        municipality=world.yard.municipality,
        by=personas.council,
        today=TODAY,
    )


def test_a_cancelled_distribution_puts_the_exact_lots_back(world, personas):
    late, early, _rice = stocked(world, personas)
    referral = refer(world, personas, [(world.cans, 7)])
    actions.approve(referral=referral, by=personas.council, today=TODAY)
    actions.hand_over(referral=referral, by=personas.council, today=TODAY)
    actions.cancel(referral=referral, reason="受け取り辞退", by=personas.council, today=TODAY)
    assert balance(early, world.yard) == 5 == ledger(early, world.yard)
    assert balance(late, world.yard) == 10 == ledger(late, world.yard)
    returns = Movement.objects.filter(referral=referral, kind=MovementKind.RETURN)
    assert sorted((m.lot_id, m.quantity) for m in returns) == sorted(
        [(early.pk, Decimal(5)), (late.pk, Decimal(2))]
    )
    with pytest.raises(StockError):
        actions.cancel(referral=referral, reason="x", by=personas.council, today=TODAY)


def test_declining_needs_a_reason_and_the_keeper(world, personas):
    referral = refer(world, personas, [(world.soap, 1)])
    with pytest.raises(StockError):
        actions.decline(referral=referral, reason=" ", by=personas.council)
    with pytest.raises(StockError):
        actions.decline(referral=referral, reason="在庫なし", by=personas.corp_staff)
    actions.decline(referral=referral, reason="在庫なし", by=personas.council)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


# Transfers, write-offs, stocktakes, the stock on a date ---------------------------------------


def test_a_transfer_moves_the_lots_and_refuses_what_is_not_there(world, personas):
    late, early, _rice = stocked(world, personas)
    actions.transfer(
        source=world.yard,
        destination=world.drop_off,
        item=world.cans,
        quantity=6,
        by=personas.council,
        today=TODAY,
    )
    assert balance(early, world.yard) == 0 and balance(early, world.drop_off) == 5
    assert balance(late, world.yard) == 9 and balance(late, world.drop_off) == 1
    before = Movement.objects.count()
    with pytest.raises(StockError) as caught:
        actions.transfer(
            source=world.drop_off,
            destination=world.yard,
            item=world.rice,
            quantity=1,
            by=personas.corp_staff,
            today=TODAY,
        )
    assert caught.value.code == "short"
    assert Movement.objects.count() == before


def test_write_off_with_a_reason(world, personas):
    late, early, _rice = stocked(world, personas)
    later = D(2026, 7, 2)
    with pytest.raises(StockError):  # giving away names the recipient
        actions.write_off(
            location=world.yard, lot=early, quantity=5, kind=MovementKind.GIVEN_AWAY,
            by=personas.council, on=later, today=later,
        )  # fmt: skip
    moved = actions.write_off_expired(location=world.yard, on=later, by=personas.council)
    assert [(m.lot_id, m.quantity, m.kind) for m in moved] == [
        (early.pk, Decimal(-5), MovementKind.DISPOSAL)
    ]
    with pytest.raises(StockError):
        actions.write_off(location=world.yard, lot=late, quantity=11, by=personas.council)


def test_a_stocktake_records_differences_and_never_overwrites(world, personas):
    late, early, rice = stocked(world, personas)
    take = actions.stocktake(
        location=world.yard,
        counts={late.pk: 9, early.pk: 5, rice.pk: "12"},
        by=personas.council,
        today=TODAY,
    )
    assert sorted((line.lot_id, line.difference) for line in take.lines.all()) == sorted(
        [(late.pk, -1), (early.pk, 0), (rice.pk, Decimal("-0.5"))]
    )
    diffs = Movement.objects.filter(stocktake=take)
    assert sorted((m.lot_id, m.quantity) for m in diffs) == sorted(
        [(late.pk, Decimal(-1)), (rice.pk, Decimal("-0.5"))]
    )
    assert balance(late, world.yard) == 9 == ledger(late, world.yard)


def test_a_stocktake_for_a_location_not_the_users_is_refused(world, personas):
    late, _early, _rice = stocked(world, personas)
    with pytest.raises(StockError) as caught:
        actions.stocktake(location=world.yard, counts={late.pk: 1}, by=personas.outsider)
    assert caught.value.code == "not_yours"
    assert not Stocktake.objects.exists()


def test_stock_on_a_past_date_comes_from_the_ledger(world, personas):
    day1, day2 = D(2026, 6, 1), D(2026, 6, 10)
    receive(world, world.yard, [(world.cans, 10, D(2026, 12, 31))], on=day1)
    referral = refer(world, personas, [(world.cans, 4)], on=day2)
    actions.approve(referral=referral, by=personas.council, on=day2, today=TODAY)
    yard = type(world.yard).objects.filter(pk=world.yard.pk)
    assert [r.quantity for r in stock_on(yard, D(2026, 5, 31))] == []
    assert [r.quantity for r in stock_on(yard, day1)] == [10]
    assert [r.quantity for r in stock_on(yard, day2)] == [6]
    assert [r.quantity for r in stock_on(yard)] == [6]


def test_a_backdated_outflow_may_not_empty_the_past(world, personas):
    """Stock received on the 10th cannot leave on the 5th, even though it is there today."""
    receive(world, world.yard, [(world.cans, 10, D(2026, 12, 31))], on=D(2026, 6, 10))
    referral = refer(world, personas, [(world.cans, 4)], on=D(2026, 6, 5))
    with pytest.raises(StockError):
        actions.approve(referral=referral, by=personas.council, on=D(2026, 6, 5), today=TODAY)
    actions.approve(referral=referral, by=personas.council, on=D(2026, 6, 10), today=TODAY)
