"""The pages of Pillar I, with allowed and denied personas."""

import datetime

import pytest
from django.urls import reverse

from sasaeai.members import actions
from sasaeai.members.models import Corporation, MembershipApplication, MemberType
from sasaeai.testing.factories import CorporationFactory, FacilityFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def basic():
    return MemberType.objects.get(code="basic-corporation")


def test_center_staff_add_a_corporation_typing_a_wareki_date(client, personas):
    client.force_login(personas.center)
    response = client.post(
        reverse("members:corporation-create"),
        {
            "corporate_number": "7000012050002",
            "name": "社会福祉法人ﾃｽﾄ会",
            "municipality": "332038",
            "founded": "H29.10.10",
        },
    )
    corporation = Corporation.objects.get(corporate_number="7000012050002")
    assert response.status_code == 302
    assert corporation.name == "社会福祉法人テスト会"
    assert corporation.founded == D(2017, 10, 10)


def test_a_wrong_check_digit_is_shown_on_the_form_and_nothing_is_stored(client, personas):
    client.force_login(personas.center)
    response = client.post(
        reverse("members:corporation-create"),
        {"corporate_number": "7000012050003", "name": "x", "municipality": "332038"},
    )
    assert response.status_code == 200
    assert "チェックデジット" in response.content.decode()
    assert not Corporation.objects.filter(name="x").exists()


def test_only_center_staff_add_corporations(client, personas):
    for persona in (personas.council, personas.corp_staff):
        client.force_login(persona)
        assert client.get(reverse("members:corporation-create")).status_code == 404


def test_corporation_staff_edit_their_own_corporation_and_not_another(client, personas):
    client.force_login(personas.corp_staff)
    own = personas.own_corporation
    response = client.post(
        reverse("members:corporation-edit", args=[own.pk]),
        {"name": own.name, "municipality": "332038", "representative": "理事長 佐々江"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.representative == "理事長 佐々江"
    other = reverse("members:corporation-edit", args=[personas.other_corporation.pk])
    assert client.get(other).status_code == 404


def test_council_staff_see_but_do_not_edit(client, personas):
    client.force_login(personas.council)
    own = personas.own_corporation
    assert client.get(reverse("members:corporation-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("members:corporation-edit", args=[own.pk])).status_code == 404


def test_apply_online_then_the_center_approves(client, personas, basic):
    own = personas.own_corporation
    client.force_login(personas.corp_staff)
    response = client.post(
        reverse("members:corporation-apply", args=[own.pk]),
        {"member_type": basic.pk, "desired_date": "R1.5.1"},
    )
    assert response.status_code == 302
    application = MembershipApplication.objects.get(corporation=own)
    client.force_login(personas.center)
    listed = client.get(reverse("members:application-list")).content.decode()
    assert own.name in listed
    client.post(
        reverse("members:application-decide", args=[application.pk]), {"decision": "approve"}
    )
    assert own in Corporation.objects.members_on(D(2019, 5, 1))
    detail = client.get(reverse("members:corporation-detail", args=[own.pk])).content.decode()
    assert "令和元年5月1日" in detail


def test_declining_without_a_reason_is_refused_on_the_page(client, personas, basic):
    application = actions.apply_for_membership(
        corporation=personas.own_corporation,
        by=personas.corp_staff,
        member_type=basic,
        desired_date=D(2019, 4, 1),
    )
    client.force_login(personas.center)
    url = reverse("members:application-decide", args=[application.pk])
    response = client.post(url, {"decision": "decline", "reason": ""}, follow=True)
    application.refresh_from_db()
    assert application.status == "pending"
    assert "理由" in response.content.decode()


def test_center_staff_record_a_withdrawal_and_the_list_shows_it(client, personas, basic):
    own = personas.own_corporation
    actions.record_membership_event(
        member=own, kind="join", effective_date=D(2018, 4, 1), by=personas.center, member_type=basic
    )
    client.force_login(personas.center)
    members = client.get(reverse("members:corporation-list"), {"member": "1"})
    assert [c.pk for c in members.context["page"]] == [own.pk]
    client.post(
        reverse("members:corporation-membership", args=[own.pk]),
        {"kind": "withdraw", "effective_date": "2020-03-31"},
    )
    members = client.get(reverse("members:corporation-list"), {"member": "1"})
    assert list(members.context["page"]) == []


def test_the_membership_rate_page_shows_the_rate_on_a_chosen_date(client, personas, basic):
    FacilityFactory.create_batch(3, corporation=personas.own_corporation)
    FacilityFactory(corporation=personas.other_corporation)
    actions.record_membership_event(
        member=personas.own_corporation,
        kind="join",
        effective_date=D(2018, 4, 1),
        by=personas.center,
        member_type=basic,
    )
    client.force_login(personas.center)
    page = client.get(reverse("members:home"), {"as_of": "H31.3末"})
    assert page.context["as_of"] == D(2019, 3, 31)
    assert page.context["rate"].rate == pytest.approx(3 / 4)
    assert "75.0%" in page.content.decode()


def test_the_membership_rate_page_keeps_a_constant_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.center)
    client.get(reverse("members:home"))  # warm the session
    for corporation in CorporationFactory.create_batch(20, municipality_id="332020"):
        FacilityFactory(corporation=corporation)
    with django_assert_max_num_queries(120) as captured:
        client.get(reverse("members:home"))
    few = len(captured)
    for corporation in CorporationFactory.create_batch(20, municipality_id="332046"):
        FacilityFactory(corporation=corporation)
    with django_assert_max_num_queries(few):
        client.get(reverse("members:home"))


def test_lists_keep_a_constant_number_of_queries(client, personas, django_assert_max_num_queries):
    client.force_login(personas.center)
    for corporation in CorporationFactory.create_batch(30, municipality_id="331015"):
        FacilityFactory(corporation=corporation, municipality_id="331023")
    for name in ("members:corporation-list", "members:facility-list", "members:council-list"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name)).status_code == 200


def test_a_bad_filter_is_named_on_the_page(client, personas):
    client.force_login(personas.center)
    response = client.get(reverse("members:corporation-list"), {"municipality": "abc"})
    assert response.status_code == 200
    assert "municipality" in response.context["errors"]


def test_a_facility_listed_on_a_visible_corporation_opens_for_the_same_persona(client, personas):
    """津山市's council sees a 津山市 corporation's facility in 倉敷市 on the corporation page,
    so its own page must open too; the outsider sees neither."""
    facility = FacilityFactory(corporation=personas.own_corporation, municipality_id="332020")
    url = reverse("members:facility-detail", args=[facility.pk])
    client.force_login(personas.council)
    corporation_page = reverse("members:corporation-detail", args=[personas.own_corporation.pk])
    assert facility.name in client.get(corporation_page).content.decode()
    assert client.get(url).status_code == 200
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404


def test_center_staff_void_a_mistaken_event_with_a_reason_from_the_page(client, personas, basic):
    event = actions.record_membership_event(
        member=personas.own_corporation,
        kind="join",
        effective_date=D(2018, 4, 1),
        by=personas.center,
        member_type=basic,
    )
    url = reverse("members:membership-void", args=[event.pk])
    client.force_login(personas.corp_staff)
    assert client.post(url, {"reason": "誤り"}).status_code == 404
    client.force_login(personas.center)
    client.post(url, {"reason": ""})
    event.refresh_from_db()
    assert event.voided_at is None
    response = client.post(url, {"reason": "入力誤り"}, follow=True)
    event.refresh_from_db()
    assert event.void_reason == "入力誤り"
    assert "入力誤り" in response.content.decode()
    assert personas.own_corporation not in Corporation.objects.members_on(D(2019, 1, 1))
