"""The staff pages of places, catalogue, stock and goods in: each persona reaches only its
scope, the forms refuse bad input with the action's reason and write nothing, stock is shown on
any date, and the lists keep a constant number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sasaeai.stockyard import actions
from sasaeai.stockyard.models import (
    Campaign,
    Donation,
    Item,
    Location,
    Lot,
    MinimumStock,
    Movement,
    MovementKind,
    Stocktake,
)

from .conftest import TODAY, receive

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    """A date ``n`` days from the real today (pages and view-called actions use it)."""
    return today() + datetime.timedelta(days=n)


def url(name: str, *args) -> str:
    return reverse(f"stockyard:{name}", args=args)


def in_english(client):
    """The page in its English source: the wording of a rule, independent of translations."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def stocked(world):
    """The yard with rice (a lot near expiry and a later one), cans (one expired lot) and
    diapers (undated); received on TODAY (in the past)."""
    receive(world, world.yard, [(world.rice, "10.5", days(10)), (world.rice, 20, days(200))])
    receive(world, world.yard, [(world.cans, 12, days(-3)), (world.diapers, 100, None)])
    return world


def lines_post(lines, **data):
    """A goods-in form: ``lines`` of (item, quantity, expires_on) and the donation's fields."""
    post = {
        "donor_kind": "individual",
        "donor_name": "",
        "donor_address": "",
        "received_on": today().isoformat(),
        "campaign": "",
        "note": "",
        "lines-TOTAL_FORMS": "5",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "40",
    }
    for n in range(5):
        item, quantity, expires = lines[n] if n < len(lines) else ("", "", "")
        post.update(
            {
                f"lines-{n}-item": getattr(item, "pk", item),
                f"lines-{n}-quantity": str(quantity),
                f"lines-{n}-expires_on": expires.isoformat() if expires else "",
                f"lines-{n}-expiry_kind": "best_before",
            }
        )
    post.update(data)
    return post


def nothing_written(before: tuple) -> bool:
    return before == (Donation.objects.count(), Lot.objects.count(), Movement.objects.count())


def counts() -> tuple:
    return (Donation.objects.count(), Lot.objects.count(), Movement.objects.count())


# Scope ----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for path in (url("home"), url("location", world.yard.pk), url("items"), url("campaigns")):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["center", "council", "corp_staff", "outsider"])
def test_staff_of_the_prefecture_see_every_location_and_its_stock(
    client, personas, stocked, persona
):
    client.force_login(getattr(personas, persona))
    home = client.get(url("home"))
    shown = {e["location"].pk for _m, entries in home.context["groups"] for e in entries}
    assert shown == {stocked.yard.pk, stocked.drop_off.pk, stocked.kurashiki.pk}
    assert client.get(url("location", stocked.yard.pk)).status_code == 200


def test_staff_of_another_prefecture_see_no_location(client, personas, world):
    from sasaeai.testing import factories

    tottori = factories.corporation_staff(personas.tottori_corporation)
    client.force_login(tottori)
    assert client.get(url("home")).context["groups"] == []
    assert client.get(url("location", world.yard.pk)).status_code == 404


KEEPER_FORMS = ["donation-new", "transfer", "write-off", "write-off-expired", "stocktake"]


@pytest.mark.parametrize("name", KEEPER_FORMS)
def test_a_keeper_of_another_location_gets_404_on_its_forms(client, personas, stocked, name):
    client.force_login(personas.outsider)  # keeps kurashiki, not the yard
    assert client.get(url(name, stocked.yard.pk)).status_code == 404
    assert client.post(url(name, stocked.yard.pk), {}).status_code == 404
    client.force_login(personas.council)  # keeps the yard
    assert client.get(url(name, stocked.yard.pk)).status_code == 200


def test_keepers_see_the_forms_linked_and_others_do_not(client, personas, stocked):
    client.force_login(personas.council)
    page = client.get(url("location", stocked.yard.pk)).content.decode()
    assert (
        url("donation-new", stocked.yard.pk) in page and url("stocktake", stocked.yard.pk) in page
    )
    client.force_login(personas.outsider)
    page = client.get(url("location", stocked.yard.pk)).content.decode()
    assert url("donation-new", stocked.yard.pk) not in page
    assert url("stocktake", stocked.yard.pk) not in page


def test_an_outsider_cannot_see_the_donations_of_the_yard(client, personas, stocked):
    donation = Donation.objects.filter(location=stocked.yard).first()
    client.force_login(personas.outsider)
    assert client.get(url("donation", donation.pk)).status_code == 404
    page = client.get(url("location", stocked.yard.pk)).content.decode()
    assert url("donation", donation.pk) not in page
    client.force_login(personas.council)
    response = client.get(url("donation", donation.pk))
    assert response.status_code == 200
    assert {lot.pk for lot in response.context["lots"]} == set(
        donation.lots.values_list("pk", flat=True)
    )


def test_a_stocktake_for_a_location_not_the_users_is_refused_and_writes_nothing(
    client, personas, stocked
):
    lot = Lot.objects.filter(item=stocked.cans).get()
    before = Movement.objects.count()
    client.force_login(personas.outsider)
    response = client.post(
        url("stocktake", stocked.yard.pk),
        {"counted_on": today().isoformat(), f"count-{lot.pk}": "1"},
    )
    assert response.status_code == 404
    assert not Stocktake.objects.exists() and Movement.objects.count() == before


# Goods in -------------------------------------------------------------------------------------


def test_a_keeper_records_goods_in_and_sees_the_lots(client, personas, world):
    client.force_login(personas.council)
    response = client.post(
        url("donation-new", world.yard.pk),
        lines_post(
            [(world.cans, 24, days(90)), (world.rice, "5.5", days(120)), (world.soap, 3, None)],
            donor_kind="company",
            donor_name="山陽食品株式会社",
        ),
    )
    donation = Donation.objects.get()
    assert response.status_code == 302 and response["Location"] == url("donation", donation.pk)
    assert donation.donor_name == "山陽食品株式会社" and donation.recorded_by == personas.council
    assert sorted((lot.item.name, lot.quantity) for lot in donation.lots.all()) == [
        ("石けん", Decimal(3)), ("米", Decimal("5.5")), ("缶詰", Decimal(24)),
    ]  # fmt: skip
    page = client.get(url("donation", donation.pk)).content.decode()
    assert "山陽食品株式会社" in page and "缶詰" in page
    assert "donation-receipt" not in page  # the receipt's link is added with its page


@pytest.mark.parametrize(
    "quantity, expires, wording",
    [
        ("-2", 90, "more than zero"),
        ("1.5", 90, "not a whole number"),
        ("abc", 90, "is not a number"),
        ("3", -1, "has passed"),
    ],
)
def test_bad_goods_in_is_shown_with_its_reason_and_nothing_is_written(
    client, personas, world, quantity, expires, wording
):
    client.force_login(personas.council)
    in_english(client)
    before = counts()
    response = client.post(
        url("donation-new", world.yard.pk),
        lines_post([(world.soap, 2, None), (world.cans, quantity, days(expires))]),
    )
    assert response.status_code == 200
    assert wording in response.content.decode()
    assert nothing_written(before)


def test_a_quantity_error_stands_next_to_its_line(client, personas, world):
    client.force_login(personas.council)
    response = client.post(
        url("donation-new", world.yard.pk), lines_post([(world.cans, "1.5", days(30))])
    )
    formset = response.context["formset"]
    assert formset.forms[0].errors["quantity"]
    assert not Donation.objects.exists()


def test_goods_in_needs_at_least_one_line(client, personas, world):
    client.force_login(personas.council)
    response = client.post(url("donation-new", world.yard.pk), lines_post([]))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Donation.objects.exists()


def test_goods_in_with_a_date_in_the_future_is_refused(client, personas, world):
    client.force_login(personas.council)
    response = client.post(
        url("donation-new", world.yard.pk),
        lines_post([(world.soap, 2, None)], received_on=days(2).isoformat()),
    )
    assert response.status_code == 200 and not Donation.objects.exists()


def test_only_the_food_drives_of_the_location_are_offered(client, personas, world):
    mine = actions.create_campaign(
        prefecture="33", title="津山フードドライブ", starts_on=days(-10), ends_on=days(10),
        drop_offs=[world.yard],
    )  # fmt: skip
    actions.create_campaign(
        prefecture="33", title="倉敷フードドライブ", starts_on=days(-10), ends_on=days(10),
        drop_offs=[world.kurashiki],
    )  # fmt: skip
    client.force_login(personas.council)
    form = client.get(url("donation-new", world.yard.pk)).context["form"]
    assert list(form.fields["campaign"].queryset) == [mine]
    response = client.post(
        url("donation-new", world.yard.pk),
        lines_post([(world.soap, 2, None)], donor_kind="food_drive", campaign=mine.pk),
    )
    assert response.status_code == 302
    assert Donation.objects.get().campaign == mine


# Stock ----------------------------------------------------------------------------------------


def test_the_location_shows_stock_by_item_and_lot_with_expiry_marked_in_words(
    client, personas, stocked
):
    client.force_login(personas.center)
    response = client.get(url("location", stocked.yard.pk))
    items = {entry["item"]: entry for entry in response.context["items"]}
    assert items["米"]["quantity"] == Decimal("30.5")
    assert items["米"]["value"] == Decimal("30.5") * 400
    assert [lot.quantity for lot in items["米"]["rows"]] == [Decimal("10.5"), Decimal(20)]
    assert items["米"]["rows"][0].near_expiry and items["缶詰"]["rows"][0].expired
    page = response.content.decode()
    assert 'class="status status--gap"' in page and 'class="status status--missed"' in page
    marks = response.context["marks"]
    assert str(marks["near_expiry"]) in page and str(marks["expired"]) in page


def test_the_stock_on_a_past_date_is_the_ledger_up_to_that_day(client, personas, world):
    early = TODAY - datetime.timedelta(days=30)
    receive(world, world.yard, [(world.soap, 5, None)], on=early)
    receive(world, world.yard, [(world.soap, 7, None), (world.diapers, 50, None)], on=TODAY)
    client.force_login(personas.council)
    past = client.get(
        url("location", world.yard.pk), {"as_of": (TODAY - datetime.timedelta(days=1)).isoformat()}
    )
    assert past.context["as_of"] == TODAY - datetime.timedelta(days=1)
    assert {e["item"]: e["quantity"] for e in past.context["items"]} == {"石けん": Decimal(5)}
    now = client.get(url("location", world.yard.pk))
    assert {e["item"]: e["quantity"] for e in now.context["items"]} == {
        "石けん": Decimal(12), "紙おむつ": Decimal(50),
    }  # fmt: skip
    before = client.get(
        url("location", world.yard.pk), {"as_of": early - datetime.timedelta(days=1)}
    )
    assert before.context["items"] == []


@pytest.mark.parametrize("typed", ["not-a-date", "2099-01-01"])
def test_a_date_that_is_not_a_past_date_falls_back_to_today_with_an_error(
    client, personas, world, typed
):
    client.force_login(personas.council)
    response = client.get(url("location", world.yard.pk), {"as_of": typed})
    assert response.status_code == 200 and response.context["as_of"] == today()
    assert response.context["as_of_form"].errors["as_of"]


def test_the_ledger_lists_movements_newest_first_with_who_and_why(client, personas, stocked):
    lot = Lot.objects.get(item=stocked.cans)
    actions.write_off(
        location=stocked.yard, lot=lot, quantity=2, kind=MovementKind.GIVEN_AWAY,
        reason="子ども食堂へ", by=personas.council,
    )  # fmt: skip
    client.force_login(personas.council)
    response = client.get(url("location", stocked.yard.pk))
    first = response.context["page"][0]
    assert first.kind == MovementKind.GIVEN_AWAY and first.reason == "子ども食堂へ"
    assert "子ども食堂へ" in response.content.decode()


def test_below_minimum_items_are_warned(client, personas, stocked):
    MinimumStock.objects.create(location=stocked.yard, item=stocked.soap, quantity=10)
    MinimumStock.objects.create(location=stocked.yard, item=stocked.diapers, quantity=50)
    client.force_login(personas.council)
    response = client.get(url("location", stocked.yard.pk))
    assert [row["item"] for row in response.context["below_minimum"]] == [stocked.soap]
    home = client.get(url("home"))
    entry = next(
        e for _m, es in home.context["groups"] for e in es if e["location"] == stocked.yard
    )
    assert entry["below_minimum"] == 1
    assert entry["items"] == 3 and entry["near_expiry"] == 2  # a lot near expiry, one expired


# Constant query counts ------------------------------------------------------------------------


def queries_of(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def more_locations(world, n: int) -> None:
    from sasaeai.stockyard.models import KeeperKind, LocationKind

    for i in range(n):
        location = Location.objects.create(
            prefecture_id="33", municipality_id=("332038", "331015", "332020")[i % 3],
            name=f"拠点{i}", kind=LocationKind.DROP_OFF, address="岡山県",
            keeper_kind=KeeperKind.OTHER, keeper_name="町内会",
        )  # fmt: skip
        MinimumStock.objects.create(location=location, item=world.soap, quantity=5)
        receive(world, location, [(world.cans, 3, days(5)), (world.diapers, 10, None)])


def test_the_home_page_keeps_a_constant_number_of_queries(client, personas, stocked):
    client.force_login(personas.council)
    small = queries_of(client, url("home"))
    more_locations(stocked, 9)
    assert queries_of(client, url("home")) == small


def test_the_location_page_keeps_a_constant_number_of_queries(client, personas, stocked):
    client.force_login(personas.council)
    small = queries_of(client, url("location", stocked.yard.pk))
    past = queries_of(client, url("location", stocked.yard.pk) + f"?as_of={TODAY}")
    for n in range(12):
        receive(
            stocked, stocked.yard, [(stocked.cans, n + 1, days(40 + n)), (stocked.soap, 1, None)],
            by=personas.council,
        )  # fmt: skip
        actions.transfer(
            source=stocked.yard, destination=stocked.drop_off, item=stocked.soap, quantity=1,
            on=TODAY, by=personas.council, today=TODAY,
        )  # fmt: skip
        MinimumStock.objects.get_or_create(location=stocked.yard, item=stocked.cans, quantity=500)
    assert queries_of(client, url("location", stocked.yard.pk)) == small
    assert queries_of(client, url("location", stocked.yard.pk) + f"?as_of={TODAY}") == past


def test_lists_of_items_and_food_drives_keep_a_constant_number_of_queries(client, personas, world):
    client.force_login(personas.center)
    items, drives = queries_of(client, url("items")), queries_of(client, url("campaigns"))
    for n in range(8):
        Item.objects.create(prefecture_id="33", name=f"品目{n}", category="food", unit="個")
        actions.create_campaign(
            prefecture="33", title=f"ドライブ{n}", starts_on=days(-5), ends_on=days(5),
            drop_offs=[world.yard, world.drop_off],
        )  # fmt: skip
    assert queries_of(client, url("items")) == items
    assert queries_of(client, url("campaigns")) == drives


# Moving stock ---------------------------------------------------------------------------------


def test_a_keeper_transfers_stock_first_expiring_first_out(client, personas, stocked):
    client.force_login(personas.council)
    response = client.post(
        url("transfer", stocked.yard.pk),
        {"destination": stocked.drop_off.pk, "item": stocked.rice.pk, "lot": "",
         "quantity": "12", "on": today().isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    moved = Movement.objects.filter(location=stocked.drop_off, kind=MovementKind.TRANSFER_IN)
    assert sorted(m.quantity for m in moved) == [Decimal("1.5"), Decimal("10.5")]


def test_a_transfer_of_one_lot_needs_no_item_and_a_transfer_needs_one_of_them(
    client, personas, stocked
):
    later = Lot.objects.filter(item=stocked.rice).order_by("expires_on").last()
    client.force_login(personas.council)
    data = {"destination": stocked.drop_off.pk, "item": "", "lot": "", "quantity": "3",
            "on": today().isoformat()}  # fmt: skip
    response = client.post(url("transfer", stocked.yard.pk), data)
    assert response.status_code == 200 and response.context["form"].errors["item"]
    assert (
        client.post(url("transfer", stocked.yard.pk), {**data, "lot": later.pk}).status_code == 302
    )
    moved = Movement.objects.get(location=stocked.drop_off, kind=MovementKind.TRANSFER_IN)
    assert moved.lot == later and moved.quantity == 3


def test_a_transfer_of_more_than_the_stock_is_refused_and_writes_nothing(client, personas, stocked):
    client.force_login(personas.council)
    in_english(client)
    before = Movement.objects.count()
    response = client.post(
        url("transfer", stocked.yard.pk),
        {"destination": stocked.drop_off.pk, "item": stocked.diapers.pk, "lot": "",
         "quantity": "101", "on": today().isoformat()},
    )  # fmt: skip
    assert response.status_code == 200 and "were asked for" in response.content.decode()
    assert Movement.objects.count() == before


def test_a_write_off_given_away_needs_the_body_and_disposal_goes_through(client, personas, stocked):
    lot = Lot.objects.get(item=stocked.cans)
    client.force_login(personas.council)
    before = Movement.objects.count()
    data = {"lot": lot.pk, "quantity": "2", "kind": "given_away", "reason": "", "on": today()}
    response = client.post(url("write-off", stocked.yard.pk), data)
    assert response.status_code == 200 and Movement.objects.count() == before
    data.update(kind="disposal", reason="缶のへこみ")
    assert client.post(url("write-off", stocked.yard.pk), data).status_code == 302
    out = Movement.objects.get(kind=MovementKind.DISPOSAL)
    assert out.quantity == -2 and out.reason == "缶のへこみ" and out.by == personas.council


def test_the_write_off_form_offers_only_the_lots_of_the_location(client, personas, stocked):
    receive(stocked, stocked.kurashiki, [(stocked.soap, 4, None)])
    client.force_login(personas.council)
    form = client.get(url("write-off", stocked.yard.pk)).context["form"]
    offered = set(form.fields["lot"].queryset.values_list("item__name", flat=True))
    assert offered == {"米", "缶詰", "紙おむつ"}


def test_writing_off_expired_lots_asks_for_confirmation(client, personas, stocked):
    client.force_login(personas.council)
    response = client.get(url("write-off-expired", stocked.yard.pk))
    assert [row.item for row in response.context["expired"]] == ["缶詰"]
    client.post(
        url("write-off-expired", stocked.yard.pk), {"kind": "disposal", "reason": "期限切れ"}
    )
    assert not Movement.objects.filter(kind=MovementKind.DISPOSAL).exists()
    response = client.post(
        url("write-off-expired", stocked.yard.pk),
        {"kind": "disposal", "reason": "期限切れ", "confirm": "on"},
    )
    assert response.status_code == 302
    out = Movement.objects.get(kind=MovementKind.DISPOSAL)
    assert out.lot.item == stocked.cans and out.quantity == -12


def test_a_stocktake_records_differences_and_leaves_uncounted_lots(client, personas, stocked):
    cans = Lot.objects.get(item=stocked.cans)
    diapers = Lot.objects.get(item=stocked.diapers)
    rice = Lot.objects.filter(item=stocked.rice).first()
    client.force_login(personas.council)
    form = client.get(url("stocktake", stocked.yard.pk)).context["form"]
    assert {f"count-{lot.pk}" for lot in (cans, diapers, rice)} <= set(form.fields)
    response = client.post(
        url("stocktake", stocked.yard.pk),
        {"counted_on": today().isoformat(), f"count-{cans.pk}": "10",
         f"count-{diapers.pk}": "100", f"count-{rice.pk}": "", "note": "月末"},
    )  # fmt: skip
    assert response.status_code == 302
    take = Stocktake.objects.get()
    assert {line.lot_id: line.difference for line in take.lines.all()} == {
        cans.pk: Decimal(-2), diapers.pk: Decimal(0),
    }  # fmt: skip
    assert Movement.objects.get(kind=MovementKind.STOCKTAKE).quantity == -2
    after = client.get(url("stocktake", stocked.yard.pk))
    assert after.context["stocktakes"][0] == take
    assert "-2" in after.content.decode()


def test_a_stocktake_with_a_fraction_of_a_whole_unit_writes_nothing(client, personas, stocked):
    cans = Lot.objects.get(item=stocked.cans)
    client.force_login(personas.council)
    response = client.post(
        url("stocktake", stocked.yard.pk),
        {"counted_on": today().isoformat(), f"count-{cans.pk}": "10.5"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Stocktake.objects.exists()


def test_a_stocktake_with_nothing_counted_is_refused(client, personas, stocked):
    client.force_login(personas.council)
    response = client.post(url("stocktake", stocked.yard.pk), {"counted_on": today().isoformat()})
    assert response.status_code == 200 and not Stocktake.objects.exists()


# Places ---------------------------------------------------------------------------------------


def location_post(**data):
    post = {
        "name": "新しい拠点", "kind": "drop_off", "municipality": "332038", "postal_code": "",
        "address": "津山市山北", "opening_hours": "平日 9:00〜17:00", "phone": "",
        "keeper_kind": "council", "keeper_corporation": "", "keeper_name": "津山市社協",
        "near_expiry_days": "30", "active": "on",
    }  # fmt: skip
    post.update(data)
    return post


def test_council_staff_create_a_location_in_their_municipality_only(client, personas, world):
    client.force_login(personas.council)
    response = client.post(url("location-new"), location_post(municipality="332020"))
    assert response.status_code == 200 and response.context["form"].errors["municipality"]
    assert not Location.objects.filter(name="新しい拠点").exists()
    response = client.post(url("location-new"), location_post())
    location = Location.objects.get(name="新しい拠点")
    assert response["Location"] == url("location", location.pk)
    assert location.prefecture_id == "33" and location.municipality_id == "332038"


def test_center_staff_create_a_location_anywhere_in_their_prefecture(client, personas, world):
    client.force_login(personas.center)
    response = client.post(
        url("location-new"),
        location_post(
            municipality="332020",
            keeper_kind="corporation",
            keeper_corporation=personas.other_corporation.pk,
        ),
    )
    assert response.status_code == 302
    assert Location.objects.get(name="新しい拠点").keeper_corporation == personas.other_corporation


def test_a_corporation_kept_location_needs_its_corporation(client, personas, world):
    client.force_login(personas.center)
    response = client.post(url("location-new"), location_post(keeper_kind="corporation"))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Location.objects.filter(name="新しい拠点").exists()


@pytest.mark.parametrize("persona", ["corp_staff", "outsider"])
def test_corporation_staff_neither_create_nor_edit_locations(client, personas, world, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(url("location-new")).status_code == 404
    assert client.post(url("location-new"), location_post()).status_code == 404
    for location in (world.yard, world.drop_off, world.kurashiki):
        assert client.get(url("location-edit", location.pk)).status_code == 404
        assert client.get(url("location-minimums", location.pk)).status_code == 404


def test_council_staff_edit_the_locations_of_their_municipality_only(client, personas, world):
    client.force_login(personas.council)
    assert client.get(url("location-edit", world.kurashiki.pk)).status_code == 404
    response = client.post(
        url("location-edit", world.yard.pk),
        location_post(name="津山ストックヤード（本所）", opening_hours="平日 10:00〜16:00"),
    )
    assert response.status_code == 302
    world.yard.refresh_from_db()
    assert world.yard.name == "津山ストックヤード（本所）"
    assert world.yard.opening_hours == "平日 10:00〜16:00"


def test_minimum_stock_is_set_per_item_and_blank_removes_it(client, personas, world):
    MinimumStock.objects.create(location=world.yard, item=world.rice, quantity=10)
    client.force_login(personas.council)
    form = client.get(url("location-minimums", world.yard.pk)).context["form"]
    assert form.initial[f"item-{world.rice.pk}"] == Decimal(10)
    response = client.post(
        url("location-minimums", world.yard.pk),
        {f"item-{world.rice.pk}": "", f"item-{world.cans.pk}": "24", f"item-{world.soap.pk}": "-1"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert list(MinimumStock.objects.values_list("item__name", "quantity")) == [("米", 10)]
    client.post(
        url("location-minimums", world.yard.pk),
        {f"item-{world.rice.pk}": "", f"item-{world.cans.pk}": "24"},
    )
    assert list(MinimumStock.objects.values_list("item__name", "quantity")) == [("缶詰", 24)]


# Catalogue ------------------------------------------------------------------------------------


def item_post(**data):
    post = {"name": "レトルトカレー", "category": "food", "unit": "袋", "whole_units": "on",
            "expires": "on", "unit_value": "200", "active": "on"}  # fmt: skip
    post.update(data)
    return post


def test_center_staff_edit_the_catalogue_and_other_staff_read_it(client, personas, world):
    client.force_login(personas.council)
    response = client.get(url("items"))
    assert {item.name for item in response.context["items"]} == {"米", "缶詰", "紙おむつ", "石けん"}
    assert url("item-new") not in response.content.decode()
    assert client.get(url("item-new")).status_code == 404
    assert client.post(url("item-new"), item_post()).status_code == 404
    assert client.get(url("item-edit", world.rice.pk)).status_code == 404
    client.force_login(personas.center)
    assert client.post(url("item-new"), item_post()).status_code == 302
    assert Item.objects.get(name="レトルトカレー").prefecture_id == "33"
    response = client.post(url("item-edit", world.cans.pk), item_post(name="缶詰", unit_value="-5"))
    assert response.status_code == 200 and response.context["form"].errors["unit_value"]
    client.post(
        url("item-edit", world.cans.pk), item_post(name="缶詰", unit="缶", unit_value="180")
    )
    world.cans.refresh_from_db()
    assert world.cans.unit_value == 180


def test_the_catalogue_refuses_a_second_item_of_the_same_name(client, personas, world):
    client.force_login(personas.center)
    response = client.post(url("item-new"), item_post(name="米"))
    assert response.status_code == 200 and response.context["form"].errors
    assert Item.objects.filter(name="米").count() == 1


# Food drives ----------------------------------------------------------------------------------


def campaign_post(world, **data):
    post = {"title": "秋のフードドライブ", "organiser": "津山市社協",
            "starts_on": days(-3).isoformat(), "ends_on": days(10).isoformat(),
            "drop_offs": [world.yard.pk, world.drop_off.pk], "description": ""}  # fmt: skip
    post.update(data)
    return post


def test_council_staff_start_a_food_drive_and_corporation_staff_cannot(client, personas, world):
    client.force_login(personas.corp_staff)
    assert client.get(url("campaign-new")).status_code == 404
    assert client.post(url("campaign-new"), campaign_post(world)).status_code == 404
    client.force_login(personas.council)
    form = client.get(url("campaign-new")).context["form"]
    assert set(form.fields["drop_offs"].queryset) == {world.yard, world.drop_off}
    response = client.post(url("campaign-new"), campaign_post(world))
    campaign = Campaign.objects.get()
    assert response["Location"] == url("campaign", campaign.pk)
    assert set(campaign.drop_offs.all()) == {world.yard, world.drop_off}


def test_a_food_drive_that_ends_before_it_starts_is_refused(client, personas, world):
    client.force_login(personas.center)
    response = client.post(url("campaign-new"), campaign_post(world, ends_on=days(-10).isoformat()))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Campaign.objects.exists()


def test_a_food_drive_shows_totals_per_item_and_per_drop_off_point(client, personas, world):
    drive = actions.create_campaign(
        prefecture="33", title="津山フードドライブ", starts_on=TODAY - datetime.timedelta(days=5),
        ends_on=TODAY, drop_offs=[world.yard, world.drop_off],
    )  # fmt: skip
    kw = {"campaign": drive, "donor_kind": "food_drive"}
    receive(world, world.yard, [(world.cans, 10, days(60)), (world.rice, 2, days(90))], **kw)
    receive(world, world.drop_off, [(world.cans, 5, days(60))], **kw)
    receive(world, world.yard, [(world.cans, 99, days(60))])  # not part of the drive
    client.force_login(personas.outsider)  # totals are for every staff of the prefecture
    response = client.get(url("campaign", drive.pk))
    assert {(r["name"], r["total"]) for r in response.context["by_item"]} == {
        ("缶詰", Decimal(15)), ("米", Decimal(2)),
    }  # fmt: skip
    assert {
        (r["point"], r["name"], r["total"]) for r in response.context["by_drop_off"]
    } == {
        ("津山ストックヤード", "缶詰", Decimal(10)), ("津山ストックヤード", "米", Decimal(2)),
        ("法人回収拠点", "缶詰", Decimal(5)),
    }  # fmt: skip
    page = response.content.decode()
    assert "平日 9:00〜17:00" in page
    assert client.get(url("campaigns")).status_code == 200


def test_the_start_page_links_staff_to_the_stockyard(client, personas, world):
    client.force_login(personas.corp_staff)
    assert url("home") in client.get(reverse("mypage")).content.decode()
