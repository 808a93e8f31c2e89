"""The membership rate as of any date: facilities plus councils, by corporation, by council."""

import datetime

import pytest

from sasaeai.members import actions, kpis
from sasaeai.members.models import Council, MemberType
from sasaeai.testing.factories import CorporationFactory, FacilityFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def okayama(personas):
    """Two corporations in 津山市 (one joins 2018-06-01, one never), one in 岡山市北区 (joins
    2019-04-01 and withdraws 2021-03-31), facilities opening and closing, two councils."""
    basic = MemberType.objects.get(code="basic-corporation")
    council_type = MemberType.objects.get(code="council")
    by = personas.center
    early = CorporationFactory(municipality_id="332038")
    never = CorporationFactory(municipality_id="332038")
    ward = CorporationFactory(municipality_id="331015")  # 岡山市北区
    FacilityFactory.create_batch(3, corporation=early)
    FacilityFactory(corporation=early, closed=D(2019, 12, 31))
    FacilityFactory.create_batch(2, corporation=never)
    FacilityFactory(corporation=ward, opened=D(2019, 10, 1))
    FacilityFactory(corporation=ward, municipality_id="331023")  # 岡山市中区
    tsuyama = actions.register_council(
        level="municipal", prefecture_id="33", municipality_id="332038", name="津山市社会福祉協議会"
    )
    actions.register_council(
        level="municipal", prefecture_id="33", municipality_id="331007", name="岡山市社会福祉協議会"
    )
    for corporation, date in ((early, D(2018, 6, 1)), (ward, D(2019, 4, 1))):
        actions.record_membership_event(
            member=corporation, kind="join", effective_date=date, by=by, member_type=basic
        )
    actions.record_membership_event(
        member=ward, kind="withdraw", effective_date=D(2021, 3, 31), by=by
    )
    actions.record_membership_event(
        member=tsuyama, kind="join", effective_date=D(2018, 4, 1), by=by, member_type=council_type
    )
    return {"early": early, "never": never, "ward": ward}


def test_before_anyone_joined_the_rate_is_zero(okayama):
    rate = kpis.membership_rate(prefecture="33", as_of=D(2018, 3, 31))
    # Facilities open on that day: early 4, never 2, ward 1 (the other opens 2019-10-01).
    assert (rate.numerator, rate.denominator) == (0, 7 + 2)
    assert rate.rate == 0


def test_a_facility_counts_when_its_corporation_is_a_member(okayama):
    rate = kpis.membership_rate(prefecture="33", as_of=D(2019, 3, 31))
    assert (rate.facilities_member, rate.facilities_total) == (4, 7)
    assert (rate.councils_member, rate.councils_total) == (1, 2)
    assert rate.rate == pytest.approx(5 / 9)
    # Corporations: early, never, ward and the personas' two (津山市, 倉敷市); one member.
    assert rate.by_corporation == pytest.approx(1 / 5)
    assert rate.by_council == pytest.approx(1 / 2)


def test_closed_and_not_yet_opened_facilities_are_left_out_on_their_dates(okayama):
    rate = kpis.membership_rate(prefecture="33", as_of=D(2020, 3, 31))
    # early: 3 open (one closed 2019-12-31); never: 2; ward: 2, member since 2019-04-01.
    assert (rate.facilities_member, rate.facilities_total) == (5, 7)


def test_a_withdrawal_takes_the_facilities_out_from_its_date(okayama):
    assert kpis.membership_rate(prefecture="33", as_of=D(2021, 3, 30)).facilities_member == 5
    assert kpis.membership_rate(prefecture="33", as_of=D(2021, 3, 31)).facilities_member == 3


def test_the_rate_of_a_municipality_counts_its_wards(okayama):
    okayama_city = kpis.membership_rate(
        prefecture="33", municipality="331007", as_of=D(2020, 3, 31)
    )
    assert (okayama_city.facilities_member, okayama_city.facilities_total) == (2, 2)
    assert (okayama_city.councils_member, okayama_city.councils_total) == (0, 1)


def test_every_municipality_at_once_agrees_with_one_at_a_time(
    okayama, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        by_area = kpis.membership_rate_by_municipality(prefecture="33", as_of=D(2020, 3, 31))
    assert set(by_area) == {"331007", "332038", "332020"}
    for code, rate in by_area.items():
        single = kpis.membership_rate(prefecture="33", municipality=code, as_of=D(2020, 3, 31))
        assert rate == single


def test_other_prefectures_do_not_count(okayama):
    CorporationFactory(municipality_id="312011")  # 鳥取市
    FacilityFactory(corporation=CorporationFactory(municipality_id="312011"))
    assert kpis.membership_rate(prefecture="33", as_of=D(2019, 3, 31)).denominator == 9


def test_the_rate_takes_three_queries_whatever_the_size(okayama, django_assert_num_queries):
    with django_assert_num_queries(3):
        kpis.membership_rate(prefecture="33", as_of=D(2019, 3, 31))


def test_fiscal_year_ends_and_month_ends_for_the_trend():
    assert kpis.fiscal_year_ends(2018, D(2019, 11, 27)) == [D(2019, 3, 31), D(2019, 11, 27)]
    months = kpis.month_ends(D(2020, 3, 15), months=3)
    assert months == [D(2020, 1, 31), D(2020, 2, 29), D(2020, 3, 15)]


def test_the_target_comes_from_the_centers_settings(personas):
    center = personas.okayama_center
    assert kpis.membership_target(center) is None
    center.settings = {"membership_target": {"rate": 0.7, "deadline": "2020-03-31"}}
    assert kpis.membership_target(center) == kpis.Target(0.7, D(2020, 3, 31))


def test_councils_belong_to_their_prefecture(okayama):
    assert Council.objects.in_prefecture("33").count() == 2


def test_cached_figures_follow_every_change_of_the_records(okayama, personas):
    """A late-entered event changes the cached rate: the version token moves on commit."""
    from django.db import transaction

    before = kpis.Figures().rate(prefecture="33", as_of=D(2019, 3, 31))
    assert kpis.Figures().rate(prefecture="33", as_of=D(2019, 3, 31)) == before
    basic = MemberType.objects.get(code="basic-corporation")
    with transaction.atomic():
        actions.record_membership_event(
            member=okayama["never"],
            kind="join",
            effective_date=D(2018, 1, 1),
            by=personas.center,
            member_type=basic,
        )
    kpis.bump_registry_version()  # what on_commit does outside the test's transaction
    after = kpis.Figures().rate(prefecture="33", as_of=D(2019, 3, 31))
    assert after.facilities_member == before.facilities_member + 2


def test_a_saved_record_replaces_the_version_token_on_commit(
    personas, django_capture_on_commit_callbacks
):
    token = kpis.registry_version()
    with django_capture_on_commit_callbacks(execute=True):
        CorporationFactory(municipality_id="332038")
    assert kpis.registry_version() != token


def test_the_series_for_many_dates_equals_the_rate_on_each(okayama, personas):
    """The plan measures many dates at once; each must be the rate of that date, through
    withdrawals, a rejoin, a withdrawal and a join on one day, and facilities closing."""
    by = personas.center
    basic = MemberType.objects.get(code="basic-corporation")
    ward = okayama["ward"]
    actions.record_membership_event(
        member=ward, kind="join", effective_date=D(2022, 1, 1), by=by, member_type=basic
    )
    never = okayama["never"]
    actions.record_membership_event(
        member=never, kind="join", effective_date=D(2020, 5, 1), by=by, member_type=basic
    )
    actions.record_membership_event(
        member=never, kind="withdraw", effective_date=D(2020, 5, 1), by=by
    )
    days = sorted(
        {D(2018, 3, 31), D(2018, 4, 1), D(2018, 6, 1), D(2019, 3, 31), D(2019, 10, 1)}
        | {D(2019, 12, 30), D(2019, 12, 31), D(2020, 5, 1), D(2021, 3, 30), D(2021, 3, 31)}
        | {D(2021, 12, 31), D(2022, 1, 1), D(2026, 1, 1)}
    )
    series = kpis.membership_rate_series("33", days)
    for day in days:
        assert series[day] == pytest.approx(
            kpis.membership_rate(prefecture="33", as_of=day).rate
        ), day
