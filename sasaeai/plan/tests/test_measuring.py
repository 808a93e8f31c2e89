"""The plan's targets measured from the records on any date; the seed's figures are facts:
5 networks at 2018-03-31, 7 established and 18 of 27 engaged at 2019-03-31."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sasaeai.networks import importing
from sasaeai.networks.models import MunicipalNetwork
from sasaeai.plan.loading import DATA, load_plan_file
from sasaeai.plan.measuring import AsOfError, Status, months_back, read_plan
from sasaeai.plan.models import Target

SEED = importing.DATA if hasattr(importing, "DATA") else None
D = datetime.date
TODAY = D(2026, 11, 28)


@pytest.fixture
def plan(regions):
    from pathlib import Path

    importing.import_networks(
        Path(importing.__file__).parent / "data" / "okayama-h31.csv", prefecture="33"
    )
    return load_plan_file("33", DATA / "okayama-2018.json")


def reading(plan_reading, code):
    return next(r for r in plan_reading.readings if r.code == code)


def test_the_demo_plan_holds_the_seeds_targets(plan):
    assert plan.first_fiscal_year == 2018 and plan.last_fiscal_year == 2022
    assert plan.starts_on == D(2018, 4, 1) and plan.ends_on == D(2023, 3, 31)
    assert plan.pillars.count() == 6
    targets = {t.kpi_code: t for t in plan.targets.all()}
    assert targets["membership_rate"].value == Decimal("0.7")
    assert targets["membership_rate"].deadline == D(2020, 3, 31)
    assert targets["networks_established"].value == 15
    assert targets["networks_established"].deadline == D(2020, 3, 31)
    assert targets["model_projects_shared"].value == 5
    assert targets["survey_doing_share"].value == Decimal("0.7")


def test_loading_the_file_again_changes_nothing(plan):
    again = load_plan_file("33", DATA / "okayama-2018.json")
    assert again.pk == plan.pk
    assert Target.objects.count() == plan.targets.count() == 12


def test_seed_networks_at_2018_03_31_and_2019_03_31(plan):
    # 2018-03-31 is the day before the plan starts: the baseline of the networks target.
    at_start = read_plan(plan, D(2018, 4, 1), today=TODAY)
    networks = reading(at_start, "networks_established")
    assert networks.baseline_on == D(2018, 3, 31)
    assert networks.baseline == 5
    at_2019 = read_plan(plan, D(2019, 3, 31), today=TODAY)
    assert reading(at_2019, "networks_established").value == 7
    assert reading(at_2019, "municipalities_engaged").value == 18
    assert reading(at_2019, "networks_established").target == 15


def test_networks_target_is_at_risk_in_2019_and_missed_at_its_deadline(plan):
    at_2019 = reading(read_plan(plan, D(2019, 3, 31), today=TODAY), "networks_established")
    # Two more networks in the last 12 months: about 9 by 2020-03-31, short of 15.
    assert at_2019.status == Status.AT_RISK
    assert 8 <= at_2019.forecast < 15
    # Needed: 8 more in 12 months.
    assert at_2019.pace_per_month == pytest.approx(8 / (366 / (365.25 / 12)), rel=0.01)
    at_deadline = reading(read_plan(plan, D(2020, 3, 31), today=TODAY), "networks_established")
    assert at_deadline.status == Status.MISSED
    assert at_deadline.value_at_deadline == 7


def test_a_late_entered_network_changes_the_past(plan, django_capture_on_commit_callbacks):
    as_of = D(2019, 3, 31)
    assert reading(read_plan(plan, as_of, today=TODAY), "networks_established").value == 7
    with django_capture_on_commit_callbacks(execute=True):
        MunicipalNetwork.objects.create(
            prefecture_id="33",
            name="後から登録された連絡会",
            established_on=D(2018, 6, 1),
        )
    assert reading(read_plan(plan, as_of, today=TODAY), "networks_established").value == 8


def test_before_the_plan_is_refused_with_a_message(plan):
    with pytest.raises(AsOfError) as error:
        read_plan(plan, D(2018, 3, 31), today=TODAY)
    assert "2018-04-01" in str(error.value)


def test_a_future_date_is_a_forecast(plan):
    today = D(2019, 3, 31)
    later = read_plan(plan, D(2019, 9, 30), today=today)
    networks = reading(later, "networks_established")
    assert later.is_forecast and networks.is_forecast
    assert networks.measured_on == today
    assert 7 < networks.value < 9  # the trend of two a year, half a year on


def test_indicators_without_target_have_no_status_but_a_value(plan):
    engaged = reading(read_plan(plan, D(2019, 3, 31), today=TODAY), "municipalities_engaged")
    assert engaged.target is None and engaged.status == Status.INDICATOR
    assert engaged.value == 18


def test_unknown_kpi_and_deadline_before_baseline_are_refused(plan):
    target = Target(
        plan=plan,
        pillar=plan.pillars.get(slug="momentum"),
        kpi_code="happiness",
        value=Decimal("1"),
        deadline=D(2018, 1, 1),
        baseline_on=D(2018, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    messages = error.value.message_dict
    assert "happiness" in messages["kpi_code"][0]
    assert "membership_rate" in messages["kpi_code"][0]  # the known codes are named
    assert "2018-01-01" in messages["deadline"][0]


def test_a_rate_target_is_a_share(plan):
    target = plan.targets.get(kpi_code="membership_rate")
    target.value = Decimal("70")
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "value" in error.value.message_dict


def test_months_back_keeps_the_day_or_the_months_end():
    assert months_back(D(2019, 3, 31), 1) == D(2019, 2, 28)
    assert months_back(D(2019, 3, 31), 12) == D(2018, 3, 31)
    assert months_back(D(2020, 1, 15), 2) == D(2019, 11, 15)


def test_a_late_entered_membership_changes_the_rate_of_the_past(
    plan, personas, django_capture_on_commit_callbacks
):
    from sasaeai.members.actions import record_membership_event
    from sasaeai.members.models import MemberType
    from sasaeai.testing.factories import FacilityFactory

    FacilityFactory(corporation=personas.own_corporation, municipality_id="332038")
    FacilityFactory(corporation=personas.other_corporation, municipality_id="332020")
    as_of = D(2019, 3, 31)
    rate = reading(read_plan(plan, as_of, today=TODAY), "membership_rate")
    assert rate.value == 0
    with django_capture_on_commit_callbacks(execute=True):
        record_membership_event(
            member=personas.own_corporation,
            kind="join",
            effective_date=D(2018, 4, 1),  # entered today, effective in the past
            by=personas.center,
            member_type=MemberType.objects.get(code="basic-corporation"),
        )
    rate = reading(read_plan(plan, as_of, today=TODAY), "membership_rate")
    assert rate.value == pytest.approx(0.5)  # one of the two facilities, no council yet
    before = reading(read_plan(plan, D(2018, 4, 2), today=TODAY), "membership_rate")
    assert before.value == pytest.approx(0.5)
