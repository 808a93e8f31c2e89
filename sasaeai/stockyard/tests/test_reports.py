"""The stockyard's report: a fiscal year of goods in and out at three locations, by month,
item, location, municipality and referring organisation; what each persona sees; the page,
its parameters and its workbook; a constant number of queries."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sasaeai.stockyard import actions
from sasaeai.stockyard.models import Location, MovementKind
from sasaeai.stockyard.reports import Period, report_locations, stock_report, tables

from .conftest import TODAY, household, receive

pytestmark = pytest.mark.django_db

d = datetime.date
FY2025 = Period.of_fiscal_year(2025)
PAGE = "/stockyard/reports/"
XLSX = "/stockyard/reports.xlsx"


def refer_and_hand_over(world, location, house, lines, *, on, by_corporation=None, council=None):
    referral = actions.refer(
        location=location,
        household=house,
        lines=lines,
        urgency="today",
        corporation=by_corporation,
        municipality=council,
        on=on,
        today=TODAY,
    )
    actions.approve(referral=referral, on=on, today=TODAY)
    return actions.hand_over(referral=referral, on=on + datetime.timedelta(days=1), today=TODAY)


@pytest.fixture
def year(world, personas):
    """FY2025 (令和7年度): gifts at the three locations, three referrals handed over for two
    households, one approved and cancelled, a disposal, a gift to another body, a transfer and
    a stocktake; and one hand-over in FY2026."""
    from sasaeai.regions.models import Municipality

    tsuyama = Municipality.objects.get(pk="332038")
    own = personas.own_corporation
    yard_gift = receive(
        world,
        world.yard,
        [(world.rice, "10", d(2026, 12, 31)), (world.cans, 20, d(2026, 7, 1))],
        on=d(2025, 5, 10),
    )
    drop_gift = receive(
        world,
        world.drop_off,
        [(world.diapers, 100, None), (world.soap, 10, None)],
        on=d(2025, 6, 1),
    )
    receive(world, world.kurashiki, [(world.cans, 10, d(2026, 8, 1))], on=d(2025, 5, 1))
    a, b = household("津-001", size=3), household("津-002", size=2)
    refer_and_hand_over(
        world, world.yard, a, [(world.rice, "2.5"), (world.cans, 4)], on=d(2025, 7, 1),
        by_corporation=own,
    )  # fmt: skip
    refer_and_hand_over(world, world.yard, b, [(world.cans, 2)], on=d(2025, 8, 1), council=tsuyama)
    refer_and_hand_over(
        world, world.drop_off, a, [(world.diapers, 30)], on=d(2025, 9, 1), by_corporation=own
    )
    cancelled = actions.refer(
        location=world.yard, household=household("津-003", size=4), lines=[(world.cans, 3)],
        urgency="soon", corporation=own, on=d(2025, 10, 1), today=TODAY,
    )  # fmt: skip
    actions.approve(referral=cancelled, on=d(2025, 10, 1), today=TODAY)
    actions.cancel(referral=cancelled, reason="辞退", on=d(2025, 11, 5), today=TODAY)
    cans = yard_gift.lots.get(item=world.cans)
    soap = drop_gift.lots.get(item=world.soap)
    actions.write_off(
        location=world.yard, lot=cans, quantity=1, reason="破損", on=d(2025, 12, 1), today=TODAY
    )
    actions.write_off(
        location=world.drop_off, lot=soap, quantity=2, kind=MovementKind.GIVEN_AWAY,
        reason="子ども食堂", on=d(2026, 1, 10), today=TODAY,
    )  # fmt: skip
    actions.transfer(
        source=world.yard, destination=world.drop_off, item=world.rice, quantity=1,
        on=d(2026, 2, 1), today=TODAY,
    )  # fmt: skip
    actions.stocktake(
        location=world.drop_off, counts={soap.pk: 7}, counted_on=d(2026, 3, 1), today=TODAY
    )
    refer_and_hand_over(world, world.yard, b, [(world.cans, 1)], on=d(2026, 4, 10), council=tsuyama)
    return world


def report(period=FY2025, locations=None):
    return stock_report(
        prefecture="33",
        locations=locations if locations is not None else Location.objects.all(),
        period=period,
        today=TODAY,
    )


def values(row, *names):
    return [row.flows.value[name] for name in names]


ALL = ("received", "distributed", "disposed", "given_away", "transferred_in", "transferred_out")


def test_a_fiscal_year_in_and_out(year):
    r = report()
    assert values(r.total, *ALL, "stocktake") == [12500, 2800, 150, 200, 400, 400, -100]
    assert r.opening_value == 0
    assert r.closing_on == d(2026, 3, 31)
    assert r.closing_value == 9250 == r.opening_value + r.total.flows.net_value()
    support = r.total.support
    assert (support.households, support.people, support.referrals, support.value) == (2, 5, 3, 2800)


def test_by_month_the_months_are_the_rows_and_a_cancellation_comes_back_as_negative_out(year):
    months = {row.key: row for row in report().by_month}
    assert list(months) == [d(2025, m, 1) for m in range(4, 13)] + [
        d(2026, m, 1) for m in (1, 2, 3)
    ]
    assert values(months[d(2025, 5, 1)], "received") == [8500]
    assert values(months[d(2025, 6, 1)], "received") == [4000]
    assert values(months[d(2025, 7, 1)], "distributed") == [1600]
    assert values(months[d(2025, 10, 1)], "distributed") == [450]
    assert values(months[d(2025, 11, 1)], "distributed") == [-450]
    assert values(months[d(2025, 12, 1)], "disposed") == [150]
    assert values(months[d(2026, 1, 1)], "given_away") == [200]
    assert values(months[d(2026, 2, 1)], "transferred_in", "transferred_out") == [400, 400]
    assert values(months[d(2026, 3, 1)], "stocktake") == [-100]
    # Household A in July and September: counted in each month, once in the year.
    supported = {month: row.support.households for month, row in months.items()}
    assert supported[d(2025, 7, 1)] == supported[d(2025, 9, 1)] == supported[d(2025, 8, 1)] == 1
    assert sum(supported.values()) == 3
    assert months[d(2025, 4, 1)].flows.net_value() == 0


def test_by_item_quantities_add_up_with_the_stock_on_both_dates(year):
    items = {row.name: row for row in report().by_item}
    rice, cans = items["米"].flows.quantity, items["缶詰"].flows.quantity
    assert (rice["received"], rice["distributed"], rice["transferred_in"]) == (
        10,
        Decimal("2.5"),
        1,
    )
    assert (cans["received"], cans["distributed"], cans["disposed"]) == (30, 6, 1)
    assert items["石けん"].flows.quantity["stocktake"] == -1
    closing = {name: row.stock_quantity for name, row in items.items()}
    assert closing == {"米": Decimal("7.5"), "缶詰": 23, "紙おむつ": 70, "石けん": 7}
    for row in items.values():
        q = row.flows.quantity
        net = (
            q["received"] - q["distributed"] - q["disposed"] - q["given_away"]
            + q["transferred_in"] - q["transferred_out"] + q["stocktake"]
        )  # fmt: skip
        assert net == row.stock_quantity, row.name  # nothing before FY2025


def test_by_location_municipality_and_referrer(year, personas):
    r = report()
    places = {row.name: row for row in r.by_location}
    assert values(places["津山ストックヤード"], *ALL) == [7000, 1900, 150, 0, 0, 400]
    assert places["津山ストックヤード"].stock_value == 4550
    assert places["法人回収拠点"].stock_value == 3200
    assert places["倉敷ストックヤード"].stock_value == 1500
    assert places["法人回収拠点"].support.households == 1
    cities = {row.key: row for row in r.by_municipality}
    assert set(cities) == {"332038", "332020"}
    assert values(cities["332038"], "received", "distributed") == [11000, 2800]
    assert (cities["332038"].support.households, cities["332038"].support.people) == (2, 5)
    assert cities["332038"].stock_value == 7750
    referrers = {row.key: row for row in r.by_referrer}
    corporation = referrers[("corporation", personas.own_corporation.pk)]
    council = referrers[("council", "332038")]
    assert corporation.flows.value["distributed"] == 2500  # the cancelled 450 went and came back
    assert (corporation.support.referrals, corporation.support.households) == (2, 1)
    assert (council.flows.value["distributed"], council.support.people) == (300, 2)
    assert council.name == "津山市"


def test_a_period_of_two_dates_starts_from_the_stock_the_day_before(year):
    r = report(Period(d(2025, 7, 1), d(2025, 7, 31)))
    assert [row.key for row in r.by_month] == [d(2025, 7, 1)]
    assert r.opening_value == 12500
    assert r.closing_value == 12500 - 1600
    assert r.total.support.households == 1


def test_the_next_fiscal_year_starts_afresh(year):
    r = report(Period.of_fiscal_year(2026))
    assert r.opening_value == 9250
    assert (r.total.support.households, r.total.support.people) == (1, 2)
    assert r.closing_on == TODAY


def test_a_report_can_be_narrowed_to_a_location_or_a_municipality(year):
    everything = Location.objects.all()
    one = report(locations=report_locations(everything, location=year.kurashiki.pk))
    assert values(one.total, "received", "distributed") == [1500, 0]
    tsuyama = report(locations=report_locations(everything, municipality="332038"))
    assert [row.name for row in tsuyama.by_municipality] == ["津山市"]


def test_the_near_expiry_list_is_of_today(year):
    near = report().near_expiry
    assert [(row.location, row.item) for row in near] == [("津山ストックヤード", "缶詰")]


def test_the_tables_have_a_total_row_matching_their_headers(year):
    for table in tables(report()):
        for row in table.rows + ([table.total] if table.total else []):
            assert len(row) == len(table.headers), table.key


def test_a_report_is_a_constant_number_of_queries(world, personas):
    def count():
        with CaptureQueriesContext(connection) as queries:
            tables(report())
        return len(queries)

    own = personas.own_corporation
    receive(world, world.yard, [(world.cans, 5, d(2026, 9, 1))], on=d(2025, 5, 1))
    refer_and_hand_over(
        world, world.yard, household("津-100"), [(world.cans, 1)], on=d(2025, 6, 1),
        by_corporation=own,
    )  # fmt: skip
    small = count()
    for n, place in enumerate((world.yard, world.drop_off, world.kurashiki)):
        receive(
            world, place, [(world.cans, 9, d(2026, 9, 1)), (world.soap, 3, None),
                           (world.rice, "4.5", d(2026, 10, 1)), (world.diapers, 20, None)],
            on=d(2025, 7 + n, 1),
        )  # fmt: skip
    for n in range(3):
        refer_and_hand_over(
            world, world.drop_off, household(f"津-2{n}", size=n + 1),
            [(world.cans, 1), (world.soap, 1)], on=d(2025, 11, 1 + n), by_corporation=own,
        )  # fmt: skip
    actions.transfer(
        source=world.yard, destination=world.drop_off, item=world.rice, quantity=1,
        on=d(2025, 12, 1), today=TODAY,
    )  # fmt: skip
    assert count() == small <= 13  # stock_on is three reads (sums, lots, places), twice


# The page -------------------------------------------------------------------------------------


def test_each_persona_sees_the_locations_it_keeps(client, year, personas):
    seen = {}
    for name in ("center", "council", "corp_staff", "outsider"):
        client.force_login(getattr(personas, name))
        response = client.get(PAGE, {"fy": 2025})
        assert response.status_code == 200
        r = response.context["report"]
        seen[name] = ({row.name for row in r.by_location}, r.total.flows.value["received"])
    assert seen["center"] == ({"津山ストックヤード", "法人回収拠点", "倉敷ストックヤード"}, 12500)
    assert seen["council"] == ({"津山ストックヤード", "法人回収拠点"}, 11000)
    assert seen["corp_staff"] == ({"法人回収拠点"}, 4000)
    assert seen["outsider"] == ({"倉敷ストックヤード"}, 1500)


def test_anonymous_visitors_are_sent_to_log_in(client, year):
    assert client.get(PAGE).status_code == 302
    assert client.get(XLSX).status_code == 302


def test_a_user_without_a_role_gets_a_404(client, year):
    from sasaeai.testing.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 404


def test_the_page_defaults_to_this_fiscal_year(client, year, personas):
    from django.utils import timezone

    from sasaeai.core.dates import fiscal_year

    client.force_login(personas.center)
    response = client.get(PAGE)
    assert response.context["report"].period.fiscal_year == fiscal_year(timezone.localdate())


def test_a_location_outside_the_scope_is_refused_in_the_form(client, year, personas, english):
    client.force_login(personas.corp_staff)
    response = client.get(PAGE, {"fy": 2025, "location": year.kurashiki.pk})
    assert response.context["report"] is None
    assert "location" in response.context["form"].errors


@pytest.mark.parametrize(
    "query, field",
    [
        ({"start": "2025-04-01"}, "end"),
        ({"start": "2026-04-01", "end": "2025-04-01"}, "end"),
        ({"start": "2015-04-01", "end": "2025-04-01"}, "end"),
        ({"start": "someday", "end": "2025-04-01"}, "start"),
        ({"fy": "1999"}, "fy"),
    ],
)
def test_bad_parameters_are_shown_next_to_their_field(client, year, personas, query, field):
    client.force_login(personas.center)
    response = client.get(PAGE, query)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert list(response.context["form"].errors) == [field]
    assert 'class="errorlist' in response.content.decode()
    assert client.get(XLSX, query).status_code == 400


def test_dates_may_be_written_in_the_japanese_calendar(client, year, personas):
    client.force_login(personas.center)
    response = client.get(PAGE, {"start": "R7.7.1", "end": "令和7年7月31日"})
    r = response.context["report"]
    assert (r.period.start, r.period.end) == (d(2025, 7, 1), d(2025, 7, 31))
    assert r.total.flows.value["distributed"] == 1600


def test_the_workbook_holds_the_same_tables(client, year, personas):
    import openpyxl

    client.force_login(personas.council)
    response = client.get(XLSX, {"fy": 2025})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    page = client.get(PAGE, {"fy": 2025}).context["tables"]
    assert len(book.sheetnames) == len(page) == 7
    months = book.worksheets[1]
    rows = list(months.iter_rows(values_only=True))
    assert len(rows) == 1 + 12 + 1  # header, April to March, total
    assert rows[-1][1:8] == (11000, 2800, 150, 200, 400, 400, -100)
    assert rows[-1][-2:] == (2, 5)
    items = {row[0]: row for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)}
    assert items["米"][1] == "kg" and items["米"][2] == 10 and items["米"][4] == 2.5
    for sheet, table in zip(book.worksheets, page, strict=True):
        assert sheet.max_row == 1 + len(table.rows) + (1 if table.total else 0)


def test_the_workbook_headers_are_japanese(client, year, personas):
    """Headers already translated in the catalogue come out in Japanese whatever the page's
    language."""
    import openpyxl

    client.force_login(personas.center)
    client.cookies["django_language"] = "en"
    response = client.get(XLSX, {"fy": 2025})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0].title == "概要"  # "Summary", translated before this report
    assert book.worksheets[1].title == "月ごと"  # "By month"


def test_a_long_table_shows_its_first_rows_and_sends_the_rest_to_the_workbook(
    client, world, personas
):
    from django.utils import timezone

    from sasaeai.stockyard.reports.tables import PAGE_ROWS

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=5)
    lines = [actions.LotData(item=world.cans, quantity=1, expires_on=soon)] * (PAGE_ROWS + 3)
    actions.receive(location=world.yard, lines=lines, received_on=today)
    client.force_login(personas.center)
    html = client.get("/stockyard/reports/").content.decode()
    start = html.index('id="near-expiry"')
    assert html[start:].count("期限間近</td>") == PAGE_ROWS
    assert "残り3行はExcelの集計表にあります。" in html
    workbook = client.get("/stockyard/reports.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[-1]
    assert sum(1 for row in sheet.iter_rows(values_only=True) if "期限間近" in row) == PAGE_ROWS + 3
