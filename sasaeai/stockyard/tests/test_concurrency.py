"""Keepers picking the last units of a lot at the same moment never take stock below zero:
picking locks the lots' balance rows and counts inside the lock. Real concurrency needs
PostgreSQL's row locks (the SQLite test database is in memory); CI runs this file on both, and
it is skipped on SQLite."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from sasaeai.stockyard import actions
from sasaeai.stockyard.models import Balance, Movement, MovementKind, ReferralStatus

from .conftest import TODAY, household, receive

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; the SQLite test database is in memory (CI runs both)",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_once(calls):
    """Run each of ``calls`` in its own thread and connection at the same moment; the result or
    the exception of each."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def attempt(number):
        try:
            barrier.wait(timeout=30)
            outcomes[number] = calls[number]()
        except Exception as error:  # reported by the assertions on the outcomes
            outcomes[number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_keepers_approving_at_once_never_pick_more_than_the_lots_hold(world, personas):
    receive(world, world.yard, [(world.cans, 3, datetime.date(2026, 7, 1))])
    receive(world, world.yard, [(world.cans, 4, datetime.date(2026, 8, 1))])
    world.rule.delete()
    referrals = [
        actions.refer(
            location=world.yard,
            household=household(f"津-{n}"),
            lines=[(world.cans, 2)],
            urgency="today",
            corporation=personas.own_corporation,
            today=TODAY,
        )
        for n in range(6)
    ]
    outcomes = at_once(
        [
            lambda r=referral: actions.approve(referral=r, by=personas.council, today=TODAY)
            for referral in referrals
        ]
    )
    approved = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(approved) == 3, outcomes  # 7 cans: three referrals of two
    assert all(isinstance(o, actions.StockError) and o.code == "short" for o in refused), outcomes
    assert sorted(b.quantity for b in Balance.objects.all()) == [Decimal(0), Decimal(1)]
    picked = -sum(m.quantity for m in Movement.objects.filter(kind=MovementKind.PICK))
    assert picked == 6
    for referral in referrals:
        referral.refresh_from_db()
    statuses = sorted(r.status for r in referrals)
    assert statuses.count(ReferralStatus.APPROVED) == 3


def test_a_transfer_and_a_pick_of_the_last_units_at_once(world, personas):
    receive(world, world.yard, [(world.cans, 2, datetime.date(2026, 7, 1))])
    world.rule.delete()
    referral = actions.refer(
        location=world.yard,
        household=household(),
        lines=[(world.cans, 2)],
        urgency="today",
        corporation=personas.own_corporation,
        today=TODAY,
    )
    outcomes = at_once(
        [
            lambda: actions.approve(referral=referral, by=personas.council, today=TODAY),
            lambda: actions.transfer(
                source=world.yard,
                destination=world.drop_off,
                item=world.cans,
                quantity=2,
                by=personas.council,
                today=TODAY,
            ),
        ]
    )
    assert sum(isinstance(o, actions.StockError) for o in outcomes) == 1, outcomes
    assert Balance.objects.get(location=world.yard).quantity == 0
    in_stock = sum(b.quantity for b in Balance.objects.all())
    picked = -sum(m.quantity for m in Movement.objects.filter(kind=MovementKind.PICK))
    assert in_stock + picked == 2  # nothing lost, nothing made up
    assert picked in (0, 2)  # the approval took both cans or none
