"""The plan's stockyard measures: households supported and the value of the goods handed over
in the fiscal year of a date, up to the end of that date."""

from __future__ import annotations

import datetime

import pytest

from sasaeai.core import kpis as registry
from sasaeai.stockyard import actions
from sasaeai.stockyard.kpis import (
    goods_value_on,
    goods_value_series,
    households_supported_on,
    households_supported_series,
)

from .conftest import TODAY, household, receive

pytestmark = pytest.mark.django_db

d = datetime.date


def hand_over(world, house, lines, *, on, handed_over_on=None, location=None, corporation=None):
    referral = actions.refer(
        location=location or world.yard,
        household=house,
        lines=lines,
        urgency="today",
        corporation=corporation,
        municipality=None if corporation else _tsuyama(),
        on=on,
        today=TODAY,
    )
    actions.approve(referral=referral, on=on, today=TODAY)
    return actions.hand_over(referral=referral, on=handed_over_on or on, today=TODAY)


def _tsuyama():
    from sasaeai.regions.models import Municipality

    return Municipality.objects.get(pk="332038")


@pytest.fixture
def supported(world, personas):
    """Household 1 (3 people) helped on 2026-02-10 (FY2025) at the yard; household 2 at the
    yard on 2026-03-25, approved then, handed over 2026-03-31; household 3 at the yard on
    2026-04-02 (FY2026); household 4 handed over in FY2025 and cancelled since; household 5 at
    倉敷 on 2026-03-01; household 1 again on 2026-03-20."""
    receive(world, world.yard, [(world.cans, 40, d(2026, 12, 1))], on=d(2026, 1, 5))
    receive(world, world.kurashiki, [(world.cans, 10, d(2026, 12, 1))], on=d(2026, 1, 5))
    hand_over(world, household("津-1", size=3), [(world.cans, 2)], on=d(2026, 2, 10))
    hand_over(
        world, household("津-2", size=2), [(world.cans, 4)], on=d(2026, 3, 25),
        handed_over_on=d(2026, 3, 31),
    )  # fmt: skip
    hand_over(world, household("津-3", size=1), [(world.cans, 1)], on=d(2026, 4, 2))
    cancelled = hand_over(world, household("津-4", size=5), [(world.cans, 3)], on=d(2026, 1, 20))
    actions.cancel(referral=cancelled, reason="重複", on=d(2026, 1, 21), today=TODAY)
    hand_over(
        world, household("倉-5", size=2, municipality="332020"), [(world.cans, 1)],
        on=d(2026, 3, 1), location=world.kurashiki, corporation=personas.other_corporation,
    )  # fmt: skip
    hand_over(world, household("津-1", size=3), [(world.cans, 1)], on=d(2026, 3, 20))
    return world


def test_a_household_handed_over_in_fy2025_counts_at_its_end_and_not_in_fy2026(supported):
    assert households_supported_on("33", d(2026, 3, 31)) == 3  # 津-1 (twice), 津-2, 倉-5
    assert households_supported_on("33", d(2026, 4, 1)) == 0
    assert households_supported_on("33", d(2026, 4, 2)) == 1  # 津-3


def test_a_date_before_the_hand_over_does_not_count_it(supported):
    assert households_supported_on("33", d(2026, 3, 30)) == 2  # 津-2 approved, not handed over
    assert households_supported_on("33", d(2026, 2, 9)) == 0
    assert households_supported_on("33", d(2026, 2, 10)) == 1


def test_a_cancelled_referral_does_not_count(supported):
    # 津-4 was handed over on 2026-01-20 and cancelled the next day: its goods came back.
    assert households_supported_on("33", d(2026, 1, 31)) == 0
    assert goods_value_on("33", d(2026, 1, 31)) == 0


def test_the_goods_value_handed_over(supported):
    assert goods_value_on("33", d(2026, 2, 10)) == 300  # 2 cans at ¥150
    assert goods_value_on("33", d(2026, 3, 31)) == (2 + 4 + 1 + 1) * 150
    assert goods_value_on("33", d(2026, 4, 2)) == 150


def test_another_prefecture_and_a_municipality(supported):
    assert households_supported_on("31", d(2026, 3, 31)) == 0
    kpi = registry.get("stockyard_households_supported")
    assert kpi.measure_municipality("33", "332038", d(2026, 3, 31)) == 2
    assert kpi.measure_municipality("33", "332020", d(2026, 3, 31)) == 1
    value = registry.get("stockyard_goods_value_distributed")
    assert value.measure_municipality("33", "332020", d(2026, 3, 31)) == 150


def test_the_series_equals_the_measure_on_each_date(supported, django_assert_max_num_queries):
    days = [d(2025, 3, 31), d(2026, 1, 20), d(2026, 2, 10), d(2026, 3, 20), d(2026, 3, 30)]
    days += [d(2026, 3, 31), d(2026, 4, 1), d(2026, 4, 2), d(2026, 11, 28), d(2027, 4, 1)]
    with django_assert_max_num_queries(1):
        households = households_supported_series("33", days)
    with django_assert_max_num_queries(1):
        values = goods_value_series("33", days)
    for day in days:
        assert households[day] == households_supported_on("33", day), day
        assert values[day] == goods_value_on("33", day), day
    assert households_supported_series("33", []) == {}


def test_the_measures_are_registered_for_the_plan(supported):
    households = registry.get("stockyard_households_supported")
    assert (households.pillar, households.period) == ("models", registry.YEARLY)
    assert households.measure("33", d(2026, 3, 31)) == 3
    assert households.records_url("33", d(2026, 3, 31)) == "/stockyard/reports/?fy=2025"
    value = registry.get("stockyard_goods_value_distributed")
    assert value.measure("33", d(2026, 4, 2)) == 150


def test_the_report_and_the_plan_agree(supported):
    from sasaeai.stockyard.models import Location
    from sasaeai.stockyard.reports import Period, stock_report

    r = stock_report(
        prefecture="33",
        locations=Location.objects.all(),
        period=Period.of_fiscal_year(2025),
        today=TODAY,
    )
    assert r.total.support.households == households_supported_on("33", d(2026, 3, 31))
    assert r.total.support.value == goods_value_on("33", d(2026, 3, 31))
