"""The referral pages: a referral is made within the support limits, seen only by those
handling it, approved (picked first-expiring-first-out) and handed over by the location's
keeper, declined or cancelled with a reason; the support limits are kept by the center."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.stockyard import actions
from sasaeai.stockyard.models import (
    Balance,
    Household,
    Movement,
    MovementKind,
    Referral,
    ReferralStatus,
    SupportRule,
)

pytestmark = pytest.mark.django_db

NEW = "/stockyard/referrals/new/"
LIST = "/stockyard/referrals/"


def today() -> datetime.date:
    return timezone.localdate()


def later(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def stock(location, lines):
    """Goods received today at ``location``: ``lines`` of (item, quantity, expires_on)."""
    return actions.receive(
        location=location,
        lines=[actions.LotData(item=i, quantity=q, expires_on=e) for i, q, e in lines],
        received_on=today(),
    )


def form_data(location, lines, *, referrer=None, reference="津-001", size="3", **fields):
    """What the referral form posts: ``lines`` of (item, quantity as typed)."""
    data = {
        "location": location.pk,
        "municipality": "332038",
        "reference": reference,
        "size": size,
        "ages": "40, 10, 7",
        "urgency": "today",
        "needs": "食料が尽きた",
        "lines-TOTAL_FORMS": max(len(lines), 1),
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 30,
    }
    if referrer is not None:
        data["referrer"] = referrer
    for number, (item, quantity) in enumerate(lines):
        data[f"lines-{number}-item"] = item.pk
        data[f"lines-{number}-quantity"] = quantity
    data.update(fields)
    return data


def refer(world, by, lines, *, location=None, reference="津-001", corporation=None, **kw):
    """A referral made through the action, as the form would."""
    from sasaeai.stockyard.tests.conftest import household

    return actions.refer(
        location=location or world.yard,
        household=household(reference=reference),
        lines=lines,
        urgency=kw.pop("urgency", "today"),
        corporation=corporation,
        by=by,
        **kw,
    )


def balances(location) -> dict[int, Decimal]:
    return dict(Balance.objects.filter(location=location).values_list("lot_id", "quantity"))


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def cans_two_lots(world):
    """Cans at the 津山 yard: 10 that expire in 60 days and 10 that expire in 120 days."""
    stock(world.yard, [(world.cans, 10, later(120))])
    stock(world.yard, [(world.cans, 10, later(60)), (world.rice, 30, later(200))])
    early = world.cans.lots.get(expires_on=later(60))
    late = world.cans.lots.get(expires_on=later(120))
    return early, late


@pytest.fixture
def requested(world, personas):
    """The own corporation's referral at the 津山 yard: 5 kg of rice."""
    return refer(world, personas.corp_staff, [(world.rice, 5)],
                 corporation=personas.own_corporation)  # fmt: skip


# Making a referral ----------------------------------------------------------------------------


def test_corporation_staff_refers_a_household_within_the_limit(client, personas, world):
    client.force_login(personas.corp_staff)
    response = client.post(NEW, form_data(world.yard, [(world.rice, "5"), (world.cans, "4")]))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/stockyard/referrals/{referral.pk}/"
    assert referral.referring_corporation == personas.own_corporation
    assert referral.location == world.yard and referral.urgency == "today"
    assert referral.value == Decimal(5 * 400 + 4 * 150)
    assert [(line.item, line.quantity) for line in referral.lines.all()] == [
        (world.rice, Decimal(5)),
        (world.cans, Decimal(4)),
    ]
    house = referral.household
    assert (house.reference, house.size, house.municipality_id) == ("津-001", 3, "332038")


def test_a_referral_over_the_limit_is_refused_with_the_reason_and_nothing_written(
    client, personas, world, english
):
    client.force_login(personas.corp_staff)
    # 20 kg of rice (8,000 yen) and 20 cans (3,000 yen): 11,000 yen, over the 10,000 yen rule.
    response = client.post(NEW, form_data(world.yard, [(world.rice, "20"), (world.cans, "20")]))
    assert response.status_code == 200
    page = text(response)
    assert world.rule.name in page and "10,000" in page and "11,000" in page
    assert not Referral.objects.exists() and not Household.objects.exists()


def test_the_limit_counts_the_households_earlier_referrals(client, personas, world, english):
    refer(world, personas.corp_staff, [(world.rice, 20)], corporation=personas.own_corporation)
    client.force_login(personas.corp_staff)
    response = client.post(NEW, form_data(world.yard, [(world.cans, "14")]))  # 8,000 + 2,100
    assert response.status_code == 200
    assert "8,000" in text(response)
    assert Referral.objects.count() == 1
    # A new case number is a new household: its own limit.
    response = client.post(NEW, form_data(world.yard, [(world.cans, "14")], reference="津-002"))
    assert response.status_code == 302 and Referral.objects.count() == 2


def test_a_household_of_another_referrer_is_a_different_household(client, personas, world):
    client.force_login(personas.corp_staff)
    assert client.post(NEW, form_data(world.yard, [(world.rice, "20")])).status_code == 302
    client.force_login(personas.outsider)
    # The same case number at another corporation: another household, with its own limit.
    assert client.post(NEW, form_data(world.yard, [(world.rice, "20")])).status_code == 302
    own, other = Referral.objects.order_by("pk")
    assert own.household != other.household
    assert own.household.referring_corporation == personas.own_corporation
    assert other.household.referring_corporation == personas.other_corporation
    assert Household.objects.filter(reference="津-001").count() == 2
    # Each corporation sees its own referral only (the council keeps the yard: both).
    assert client.get(f"/stockyard/referrals/{own.pk}/").status_code == 404
    assert client.get(f"/stockyard/referrals/{other.pk}/").status_code == 200
    client.force_login(personas.council)
    page = text(client.get(LIST))
    assert f"/stockyard/referrals/{own.pk}/" in page and f"/stockyard/referrals/{other.pk}/" in page


def test_a_quantity_that_is_not_whole_is_shown_at_its_line_and_nothing_written(
    client, personas, world, english
):
    client.force_login(personas.corp_staff)
    response = client.post(NEW, form_data(world.yard, [(world.rice, "2.5"), (world.cans, "1.5")]))
    assert response.status_code == 200
    line = response.context["formset"].forms[1]
    assert "1.5 は整数ではありません" in " ".join(line.errors["quantity"])
    assert not response.context["formset"].forms[0].errors  # rice is weighed: 2.5 kg is fine
    assert not Referral.objects.exists() and not Household.objects.exists()


def test_a_referral_without_items_or_with_an_item_twice_is_refused(
    client, personas, world, english
):
    client.force_login(personas.corp_staff)
    response = client.post(NEW, form_data(world.yard, []))
    assert "品目を1つ以上依頼してください。" in text(response)
    response = client.post(NEW, form_data(world.yard, [(world.cans, "1"), (world.cans, "2")]))
    assert "が2回入力されています" in text(response)
    assert not Referral.objects.exists()


def test_household_fields_are_checked_next_to_them(client, personas, world):
    client.force_login(personas.corp_staff)
    response = client.post(
        NEW, form_data(world.yard, [(world.cans, "1")], reference="", size="0", urgency="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"reference", "size", "urgency"} <= set(errors)
    assert not Referral.objects.exists()


def test_the_form_shows_the_limits_and_the_stock_at_each_location(
    client, personas, world, cans_two_lots
):
    stock(world.kurashiki, [(world.cans, 7, later(30))])
    client.force_login(personas.corp_staff)
    response = client.get(NEW)
    assert response.status_code == 200
    page = text(response)
    assert world.rule.name in page and "10,000" in page
    table = {row["item"].pk: row["cells"] for row in response.context["stock"]["rows"]}
    places = [location.pk for location in response.context["stock"]["locations"]]
    cans = dict(zip(places, table[world.cans.pk], strict=True))
    assert cans[world.yard.pk] == Decimal(20)
    assert cans[world.kurashiki.pk] == Decimal(7)
    assert cans[world.drop_off.pk] is None
    # The referrer is the only organisation of corporation staff: not asked, only named.
    assert "referrer" not in response.context["form"].fields
    assert personas.own_corporation.name in page


def test_expired_lots_are_not_counted_as_available(client, personas, world):
    stock(world.yard, [(world.cans, 6, later(1))])
    yesterday = today() - datetime.timedelta(days=1)  # as if the lot had been kept two days
    world.cans.lots.update(expires_on=yesterday)
    Balance.objects.filter(lot__item=world.cans).update(expires_on=yesterday)
    client.force_login(personas.corp_staff)
    table = {r["item"].pk: r["cells"] for r in client.get(NEW).context["stock"]["rows"]}
    assert all(cell is None for cell in table[world.cans.pk])


def test_council_staff_refer_for_their_council(client, personas, world):
    client.force_login(personas.council)
    response = client.post(NEW, form_data(world.yard, [(world.soap, "2")], reference="社協-9"))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.referring_corporation is None
    assert referral.referring_municipality_id == "332038"
    assert referral.household.referring_corporation is None


def test_center_staff_name_the_council_they_refer_for(client, personas, world):
    client.force_login(personas.center)
    field = client.get(NEW).context["form"].fields["referrer"]
    assert "municipality-332038" in {value for value, _label in field.choices}
    response = client.post(
        NEW, form_data(world.yard, [(world.soap, "2")], referrer="municipality-332038")
    )
    assert response.status_code == 302
    assert Referral.objects.get().referring_municipality_id == "332038"


def test_a_referrer_cannot_be_chosen_outside_ones_own(client, personas, world):
    client.force_login(personas.corp_staff)
    other = f"corporation-{personas.other_corporation.pk}"
    response = client.post(NEW, form_data(world.yard, [(world.soap, "2")], referrer=other))
    assert response.status_code == 302  # not asked, so not read: the only referrer is used
    assert Referral.objects.get().referring_corporation == personas.own_corporation
    client.force_login(personas.center)
    response = client.post(NEW, form_data(world.yard, [(world.soap, "2")], referrer=other))
    assert response.status_code == 200 and "referrer" in response.context["form"].errors
    assert Referral.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, requested):
    for url in (LIST, NEW, f"/stockyard/referrals/{requested.pk}/", "/stockyard/limits/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Seeing and handling a referral ---------------------------------------------------------------


def test_an_outsider_gets_404_on_a_referral_of_the_own_corporation(client, personas, requested):
    client.force_login(personas.outsider)
    base = f"/stockyard/referrals/{requested.pk}/"
    assert client.get(base).status_code == 404
    for step in ("approve", "hand-over", "decline", "cancel"):
        assert client.post(f"{base}{step}/", {"reason": "x"}).status_code == 404
    assert f"{base}" not in text(client.get(LIST))
    requested.refresh_from_db()
    assert requested.status == ReferralStatus.REQUESTED


@pytest.mark.parametrize("persona", ["corp_staff", "council", "center"])
def test_those_handling_the_case_see_the_household(client, personas, requested, persona):
    client.force_login(getattr(personas, persona))
    page = text(client.get(f"/stockyard/referrals/{requested.pk}/"))
    assert "津-001" in page and "40, 10, 7" in page


def test_only_the_keeper_can_approve(client, personas, world, requested, cans_two_lots):
    url = f"/stockyard/referrals/{requested.pk}/"
    client.force_login(personas.corp_staff)
    assert f'action="{url}approve/"' not in text(client.get(url))
    response = client.post(f"{url}approve/")
    assert response.status_code == 200  # refused, the reason shown on the page
    requested.refresh_from_db()
    assert requested.status == ReferralStatus.REQUESTED
    assert not Movement.objects.filter(referral=requested).exists()

    client.force_login(personas.council)
    assert f'action="{url}approve/"' in text(client.get(url))
    response = client.post(f"{url}approve/")
    assert response.status_code == 302 and response["Location"] == url
    requested.refresh_from_db()
    assert requested.status == ReferralStatus.APPROVED
    assert requested.decided_by == personas.council and requested.decided_on == today()


def test_approval_picks_the_earliest_lot_and_the_page_shows_it(
    client, personas, world, cans_two_lots
):
    early, late = cans_two_lots
    referral = refer(world, personas.corp_staff, [(world.cans, 12)],
                     corporation=personas.own_corporation)  # fmt: skip
    client.force_login(personas.council)
    client.post(f"/stockyard/referrals/{referral.pk}/approve/")
    picks = {m.lot_id: m.quantity for m in Movement.objects.filter(referral=referral, kind="pick")}
    assert picks == {early.pk: Decimal(-10), late.pk: Decimal(-2)}
    response = client.get(f"/stockyard/referrals/{referral.pk}/")
    rows = [(m.lot_id, m.quantity) for m in response.context["movements"]]
    assert rows == [(early.pk, Decimal(-10)), (late.pk, Decimal(-2))]
    page = text(response)
    assert f"#{early.pk}" in page and f"#{late.pk}" in page


def test_approval_short_of_stock_is_refused_with_the_reason(
    client, personas, world, requested, english
):
    client.force_login(personas.council)
    response = client.post(f"/stockyard/referrals/{requested.pk}/approve/")
    assert response.status_code == 200
    assert "払い出せる 米 は 0 kg です" in text(response)
    requested.refresh_from_db()
    assert requested.status == ReferralStatus.REQUESTED


def test_the_keeper_hands_over_an_approved_referral(client, personas, world, cans_two_lots):
    referral = refer(world, personas.corp_staff, [(world.cans, 3)],
                     corporation=personas.own_corporation)  # fmt: skip
    url = f"/stockyard/referrals/{referral.pk}/"
    client.force_login(personas.council)
    client.post(f"{url}approve/")
    client.force_login(personas.corp_staff)
    assert client.post(f"{url}hand-over/").status_code == 200
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.APPROVED
    client.force_login(personas.council)
    assert client.post(f"{url}hand-over/").status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.HANDED_OVER
    assert referral.handed_over_by == personas.council


def test_the_keeper_declines_with_a_reason(client, personas, requested, english):
    url = f"/stockyard/referrals/{requested.pk}/"
    client.force_login(personas.council)
    response = client.post(f"{url}decline/", {"reason": "  "})
    assert response.status_code == 200
    assert response.context["decline_form"].errors["reason"]
    requested.refresh_from_db()
    assert requested.status == ReferralStatus.REQUESTED
    client.post(f"{url}decline/", {"reason": "在庫がない品目のため"})
    requested.refresh_from_db()
    assert requested.status == ReferralStatus.DECLINED
    assert requested.closing_reason == "在庫がない品目のため"
    assert "在庫がない品目のため" in text(client.get(url))


def test_the_referrer_cannot_decline(client, personas, requested):
    client.force_login(personas.corp_staff)
    client.post(f"/stockyard/referrals/{requested.pk}/decline/", {"reason": "やめる"})
    requested.refresh_from_db()
    assert requested.status == ReferralStatus.REQUESTED


def test_a_cancelled_approved_referral_puts_the_exact_lots_back(
    client, personas, world, cans_two_lots
):
    early, late = cans_two_lots
    before = balances(world.yard)
    referral = refer(world, personas.corp_staff, [(world.cans, 15), (world.rice, 2)],
                     corporation=personas.own_corporation)  # fmt: skip
    url = f"/stockyard/referrals/{referral.pk}/"
    client.force_login(personas.council)
    client.post(f"{url}approve/")
    picked = balances(world.yard)
    assert picked[early.pk] == 0 and picked[late.pk] == 5
    # The receipt of a later lot of cans must not take the returned ones' place.
    stock(world.yard, [(world.cans, 4, later(30))])
    newest = world.cans.lots.get(expires_on=later(30))

    client.force_login(personas.corp_staff)
    response = client.post(f"{url}cancel/", {"reason": "世帯が転居した"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
    assert referral.closing_reason == "世帯が転居した"
    after = balances(world.yard)
    assert after == {**before, newest.pk: Decimal(4)}
    returned = {
        m.lot_id: m.quantity
        for m in Movement.objects.filter(referral=referral, kind=MovementKind.RETURN)
    }
    picks = Movement.objects.filter(referral=referral, kind=MovementKind.PICK)
    assert returned == {m.lot_id: -m.quantity for m in picks}


def test_cancelling_needs_a_reason_shown_at_the_field(client, personas, requested, english):
    client.force_login(personas.corp_staff)
    response = client.post(f"/stockyard/referrals/{requested.pk}/cancel/", {"reason": ""})
    assert response.status_code == 200
    assert response.context["cancel_form"].errors["reason"]
    requested.refresh_from_db()
    assert requested.status == ReferralStatus.REQUESTED


def test_steps_answer_only_post(client, personas, requested):
    client.force_login(personas.council)
    for step in ("approve", "hand-over", "decline", "cancel"):
        assert client.get(f"/stockyard/referrals/{requested.pk}/{step}/").status_code == 405


def test_the_buttons_follow_the_role_and_the_status(client, personas, requested):
    url = f"/stockyard/referrals/{requested.pk}/"
    client.force_login(personas.corp_staff)
    page = text(client.get(url))
    assert f'action="{url}cancel/"' in page
    assert f'action="{url}decline/"' not in page and f'action="{url}hand-over/"' not in page
    client.force_login(personas.council)
    page = text(client.get(url))
    assert f'action="{url}decline/"' in page and f'action="{url}cancel/"' in page
    assert f'action="{url}hand-over/"' not in page


# The list -------------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_location(client, personas, world, requested):
    stock(world.drop_off, [(world.soap, 5, None)])
    other = refer(world, personas.corp_staff, [(world.soap, 1)], location=world.drop_off,
                  reference="津-002", corporation=personas.own_corporation)  # fmt: skip
    actions.decline(referral=other, reason="重複", by=personas.corp_staff)
    client.force_login(personas.corp_staff)
    shown = list(client.get(LIST).context["referrals"])
    assert shown == [other, requested]  # same day: the later one first
    assert list(client.get(LIST, {"status": "declined"}).context["referrals"]) == [other]
    by_place = client.get(LIST, {"location": world.yard.pk}).context["referrals"]
    assert list(by_place) == [requested]


def test_the_list_puts_today_first_among_referrals_of_a_day(client, personas, world):
    normal = refer(world, personas.corp_staff, [(world.soap, 1)], urgency="normal",
                   corporation=personas.own_corporation)  # fmt: skip
    urgent = refer(world, personas.corp_staff, [(world.soap, 1)], urgency="today",
                   reference="津-002", corporation=personas.own_corporation)  # fmt: skip
    older = refer(world, personas.corp_staff, [(world.soap, 1)], urgency="today",
                  reference="津-003", corporation=personas.own_corporation,
                  on=today() - datetime.timedelta(days=2))  # fmt: skip
    client.force_login(personas.corp_staff)
    assert list(client.get(LIST).context["referrals"]) == [urgent, normal, older]


def test_the_list_keeps_a_constant_number_of_queries(client, personas, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(queries)

    client.force_login(personas.council)
    for number in range(2):
        refer(world, personas.corp_staff, [(world.soap, 1)], reference=f"A-{number}",
              corporation=personas.own_corporation)  # fmt: skip
    few = count()
    for number in range(6):
        refer(world, personas.council, [(world.soap, 1)], reference=f"B-{number}",
              municipality=world.yard.municipality)  # fmt: skip
    assert len(client.get(LIST).context["referrals"]) == 8
    assert count() == few


# Support limits -------------------------------------------------------------------------------


def test_center_staff_add_and_change_a_support_limit(client, personas, world):
    client.force_login(personas.center)
    response = client.post(
        "/stockyard/limits/new/",
        {"name": "回数の上限", "period_days": "30", "max_value": "", "max_referrals": "2",
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    rule = SupportRule.objects.get(name="回数の上限")
    assert (rule.prefecture_id, rule.period_days, rule.max_referrals) == ("33", 30, 2)
    assert rule.max_value is None
    response = client.post(
        f"/stockyard/limits/{rule.pk}/edit/",
        {"name": "回数の上限", "period_days": "60", "max_value": "5000", "max_referrals": "2"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.period_days, rule.max_value, rule.active) == (60, Decimal(5000), False)


def test_a_support_limit_needs_a_limit_and_a_period_of_a_day(client, personas, world):
    client.force_login(personas.center)
    response = client.post(
        "/stockyard/limits/new/",
        {"name": "空", "period_days": "0", "max_value": "", "max_referrals": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "period_days" in errors and "__all__" in errors
    assert not SupportRule.objects.filter(name="空").exists()


def test_a_new_limit_applies_to_the_next_referral(client, personas, world, english):
    client.force_login(personas.center)
    client.post(
        "/stockyard/limits/new/",
        {"name": "月1回", "period_days": "30", "max_referrals": "1", "active": "on"},
    )
    client.force_login(personas.corp_staff)
    assert client.post(NEW, form_data(world.yard, [(world.soap, "1")])).status_code == 302
    response = client.post(NEW, form_data(world.yard, [(world.soap, "1")]))
    assert response.status_code == 200 and "月1回" in text(response)
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("persona", ["council", "corp_staff", "outsider"])
def test_others_read_the_limits_but_cannot_change_them(client, personas, world, persona):
    client.force_login(getattr(personas, persona))
    response = client.get("/stockyard/limits/")
    assert response.status_code == 200 and world.rule.name in text(response)
    assert "/stockyard/limits/new/" not in text(response)
    assert client.get("/stockyard/limits/new/").status_code == 404
    edit = f"/stockyard/limits/{world.rule.pk}/edit/"
    assert client.get(edit).status_code == 404
    data = {"name": "x", "period_days": "1", "max_value": "1"}
    assert client.post(edit, data).status_code == 404
    world.rule.refresh_from_db()
    assert world.rule.name != "x"


def test_center_staff_of_another_prefecture_cannot_edit_okayamas_limit(client, world):
    from sasaeai.testing import factories

    tottori = factories.center_staff(factories.CenterFactory(prefecture_id="31"))
    client.force_login(tottori)
    assert client.get(f"/stockyard/limits/{world.rule.pk}/edit/").status_code == 404
    assert world.rule.name not in text(client.get("/stockyard/limits/"))


def test_the_rule_action_refuses_others_and_rules_without_a_limit(personas, world):
    with pytest.raises(actions.StockError) as refused:
        actions.save_support_rule(
            prefecture_id="33", name="x", period_days=30, max_referrals=1, by=personas.council
        )
    assert refused.value.code == "not_yours"
    with pytest.raises(actions.StockError) as refused:
        actions.save_support_rule(prefecture_id="33", name="x", period_days=0, by=personas.center)
    assert len(refused.value.messages) == 2  # no period, no limit
    assert not SupportRule.objects.filter(name="x").exists()
