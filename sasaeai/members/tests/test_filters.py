"""The list filters shared by pages, exports and API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from sasaeai.members.actions import record_membership_event, register_council
from sasaeai.members.filters import filter_corporations, filter_councils, filter_facilities
from sasaeai.members.models import (
    Corporation,
    Council,
    Facility,
    FacilityKind,
    MemberType,
    SectorGroup,
)
from sasaeai.testing.factories import CorporationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 4, 1)


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def join(member, date: datetime.date = datetime.date(2019, 4, 1)) -> None:
    code = "basic-corporation" if isinstance(member, Corporation) else "council"
    record_membership_event(
        member=member,
        kind="join",
        effective_date=date,
        by=None,
        member_type=MemberType.objects.get(code=code),
    )


@pytest.fixture
def registry(regions):
    elderly = SectorGroup.objects.get(code="elderly")
    corporations = {
        "tsuyama": CorporationFactory(name="津山福祉会", name_kana="ツヤマフクシカイ"),
        "kita": CorporationFactory(
            name="北区愛育会", name_kana="キタクアイイクカイ", municipality_id="331015"
        ),
        "kurashiki": CorporationFactory(
            name="倉敷福祉会", municipality_id="332020", sector_group=elderly
        ),
        "closed": CorporationFactory(name="閉鎖会", closed=datetime.date(2019, 1, 1)),
        "tottori": CorporationFactory(name="鳥取福祉会", municipality_id="312011"),
    }
    join(corporations["tsuyama"])
    return corporations


def test_no_parameter_gives_the_open_records(registry):
    found = names(filter_corporations(Corporation.objects.all(), {}, as_of=DAY))
    assert found == {"津山福祉会", "北区愛育会", "倉敷福祉会", "鳥取福祉会"}


def test_closed_1_includes_the_closed_ones(registry):
    found = filter_corporations(Corporation.objects.all(), {"closed": "1"}, as_of=DAY)
    assert "閉鎖会" in names(found)


def test_a_record_that_closes_later_is_open_before(registry):
    found = filter_corporations(Corporation.objects.all(), {}, as_of=datetime.date(2018, 1, 1))
    assert "閉鎖会" in names(found)


@pytest.mark.parametrize("code", ["331007", "33100", "３３１００"])
def test_a_designated_city_includes_its_wards(registry, code):
    found = filter_corporations(Corporation.objects.all(), {"municipality": code}, as_of=DAY)
    assert names(found) == {"北区愛育会"}


def test_a_municipality_by_its_five_digit_code(registry):
    found = filter_corporations(Corporation.objects.all(), {"municipality": "33203"}, as_of=DAY)
    assert names(found) == {"津山福祉会"}


def test_prefecture(registry):
    found = filter_corporations(Corporation.objects.all(), {"prefecture": "31"}, as_of=DAY)
    assert names(found) == {"鳥取福祉会"}


def test_sector(registry):
    found = filter_corporations(Corporation.objects.all(), {"sector": "elderly"}, as_of=DAY)
    assert names(found) == {"倉敷福祉会"}


def test_member_1_and_0_split_the_list_on_the_day(registry):
    members = filter_corporations(Corporation.objects.all(), {"member": "1"}, as_of=DAY)
    others = filter_corporations(Corporation.objects.all(), {"member": "0"}, as_of=DAY)
    assert names(members) == {"津山福祉会"}
    assert names(others) == {"北区愛育会", "倉敷福祉会", "鳥取福祉会"}


def test_member_before_joining_is_not_a_member(registry):
    before = datetime.date(2019, 3, 31)
    members = filter_corporations(Corporation.objects.all(), {"member": "1"}, as_of=before)
    assert names(members) == set()


@pytest.mark.parametrize("query", ["ﾂﾔﾏ", "つやま", "津山福祉"])
def test_free_text_is_normalised(registry, query):
    found = filter_corporations(Corporation.objects.all(), {"q": query}, as_of=DAY)
    assert names(found) == {"津山福祉会"}


@pytest.mark.parametrize("query", ["倉", "きた", "ｷﾀ"])
def test_short_queries_search_names_with_like(registry, query):
    found = filter_corporations(Corporation.objects.all(), {"q": query}, as_of=DAY)
    assert len(names(found)) == 1


def test_empty_values_filter_nothing(registry):
    params = {"municipality": "", "sector": "", "member": "", "q": " ", "prefecture": ""}
    found = filter_corporations(Corporation.objects.all(), params, as_of=DAY)
    assert len(names(found)) == 4


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"municipality": "12"}, "municipality"),
        ({"municipality": "332039"}, "municipality"),  # wrong check digit
        ({"prefecture": "48"}, "prefecture"),
        ({"sector": "nope"}, "sector"),
        ({"member": "yes"}, "member"),
        ({"closed": "2"}, "closed"),
    ],
)
def test_invalid_values_name_the_parameter(registry, params, bad):
    with pytest.raises(ValidationError) as error:
        filter_corporations(Corporation.objects.all(), params, as_of=DAY)
    assert set(error.value.message_dict) == {bad}


def test_every_invalid_parameter_is_named_at_once(registry):
    with pytest.raises(ValidationError) as error:
        filter_corporations(Corporation.objects.all(), {"member": "x", "prefecture": "0"})
    assert set(error.value.message_dict) == {"member", "prefecture"}


def test_an_unknown_code_lists_known_ones(registry, english):
    with pytest.raises(ValidationError) as error:
        filter_facilities(Facility.objects.all(), {"kind": "castle"})
    assert "nursery" in error.value.message_dict["kind"][0]


@pytest.fixture
def facilities(registry):
    nursery = FacilityKind.objects.get(code="nursery")
    Facility.objects.create(
        corporation=registry["tsuyama"], name="津山保育園", kind=nursery, municipality_id="332038"
    )
    Facility.objects.create(
        corporation=registry["kurashiki"], name="倉敷ホーム", municipality_id="332020"
    )


def test_facilities_by_kind_sector_and_membership_of_their_corporation(facilities):
    all_facilities = Facility.objects.all()
    assert names(filter_facilities(all_facilities, {"kind": "nursery"})) == {"津山保育園"}
    assert names(filter_facilities(all_facilities, {"sector": "elderly"})) == {"倉敷ホーム"}
    assert names(filter_facilities(all_facilities, {"member": "1"}, as_of=DAY)) == {"津山保育園"}
    assert names(filter_facilities(all_facilities, {"member": "0"}, as_of=DAY)) == {"倉敷ホーム"}


def test_councils_by_municipality_membership_and_text(regions):
    tsuyama = register_council(
        level="municipal", prefecture_id="33", municipality_id="332038", name="津山市社会福祉協議会"
    )
    register_council(
        level="municipal", prefecture_id="33", municipality_id="332020", name="倉敷市社会福祉協議会"
    )
    join(tsuyama)
    councils = Council.objects.all()
    assert names(filter_councils(councils, {"municipality": "33203"})) == {"津山市社会福祉協議会"}
    assert names(filter_councils(councils, {"member": "1"}, as_of=DAY)) == {"津山市社会福祉協議会"}
    assert names(filter_councils(councils, {"q": "倉敷"})) == {"倉敷市社会福祉協議会"}
