"""Every rule of the issue: caps, term, sites per theme, budget, eligibility, payments,
reports after closing and yen amounts; a refusal names its rule and writes nothing."""

import datetime

import pytest

from sasaeai.grants import actions
from sasaeai.grants.models import (
    Application,
    AwardYear,
    BudgetLine,
    Decision,
    GrantReport,
    Payment,
    Refund,
)
from sasaeai.grants.rules import RuleBroken, parse_yen
from sasaeai.testing.factories import CorporationFactory

from .conftest import APPLY_ON, DECIDE_ON, lines, submitted

pytestmark = pytest.mark.django_db


def refused(rule, action, /, **kwargs):
    with pytest.raises(RuleBroken) as caught:
        action(**kwargs)
    assert caught.value.rule == rule, caught.value.sentence()
    return caught.value


def test_the_seed_programs_hold_their_rules_as_data(grants):
    assert (grants.model.cap_total, grants.model.max_years, grants.model.max_sites_per_theme) == (
        400_000,
        2,
        3,
    )
    assert (grants.network_program.cap_per_year, grants.network_program.max_years) == (100_000, 2)


def test_an_award_within_the_caps_is_decided_with_its_years_and_reports(grants):
    application = submitted(
        grants.call,
        corporation=grants.members[0],
        theme=grants.theme,
        amounts=((2019, 200_000), (2020, 200_000)),
    )
    decision = actions.decide(
        application=application, amounts={2019: 200_000, 2020: 200_000}, decided_on=DECIDE_ON
    )
    assert decision.total() == 400_000
    assert Application.objects.get(pk=application.pk).status == "awarded"
    due = dict(decision.reports.values_list("fiscal_year", "due_on"))
    assert due == {2019: datetime.date(2020, 4, 30), 2020: datetime.date(2021, 4, 30)}


def test_an_award_above_the_cap_over_the_term_is_refused_and_nothing_is_written(grants):
    application = submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    error = refused(
        "cap_total",
        actions.decide,
        application=application,
        amounts={2019: 250_000, 2020: 150_001},
        decided_on=DECIDE_ON,
    )
    assert "400,000円" in error.sentence()
    assert not Decision.objects.exists() and not AwardYear.objects.exists()
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_an_award_beyond_the_term_is_refused(grants):
    application = submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    refused(
        "beyond_term",
        actions.decide,
        application=application,
        amounts={2021: 100_000},
        decided_on=DECIDE_ON,
    )


def test_a_fourth_site_for_a_theme_in_one_call_is_refused_but_another_theme_is_not(grants):
    for corporation in grants.members[:3]:
        application = submitted(grants.call, corporation=corporation, theme=grants.theme)
        actions.decide(application=application, amounts={2019: 100_000}, decided_on=DECIDE_ON)
    fourth = submitted(grants.call, corporation=grants.members[3], theme=grants.theme)
    error = refused(
        "sites_per_theme",
        actions.decide,
        application=fourth,
        amounts={2019: 100_000},
        decided_on=DECIDE_ON,
    )
    assert "3" in error.sentence()
    other = submitted(grants.call, corporation=grants.members[4], theme=grants.other_theme)
    actions.decide(application=other, amounts={2019: 100_000}, decided_on=DECIDE_ON)
    assert Decision.objects.filter(outcome="awarded").count() == 4


def test_the_network_grant_is_100000_yen_a_year_for_two_years(grants):
    application = submitted(
        grants.network_call, network=grants.network, amounts=((2019, 100_000), (2020, 100_000))
    )
    refused(
        "cap_per_year",
        actions.decide,
        application=application,
        amounts={2019: 100_001},
        decided_on=DECIDE_ON,
    )
    actions.decide(
        application=application, amounts={2019: 100_000, 2020: 100_000}, decided_on=DECIDE_ON
    )
    assert Decision.objects.get().total() == 200_000


def test_a_third_fiscal_year_in_a_later_call_is_refused(grants):
    first = submitted(
        grants.network_call, network=grants.network, amounts=((2019, 100_000), (2020, 100_000))
    )
    actions.decide(application=first, amounts={2019: 100_000, 2020: 100_000}, decided_on=DECIDE_ON)
    later = actions.open_call(
        program=grants.network_program,
        fiscal_year=2021,
        title="令和3年度",
        opens_on=datetime.date(2021, 4, 1),
        closes_on=datetime.date(2021, 5, 31),
    )
    on = datetime.date(2021, 4, 10)
    application = actions.create_application(
        call=later, network=grants.network, title="3年目", lines=lines((2021, 50_000)), on=on
    )
    actions.submit_application(application=application, on=on)
    refused(
        "max_years",
        actions.decide,
        application=application,
        amounts={2021: 50_000},
        decided_on=datetime.date(2021, 6, 1),
    )


def test_the_program_budget_of_a_fiscal_year_is_never_exceeded(grants):
    actions.set_budget(program=grants.model, fiscal_year=2019, amount="500,000")
    a = submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    b = submitted(grants.call, corporation=grants.members[1], theme=grants.theme)
    actions.decide(application=a, amounts={2019: 300_000}, decided_on=DECIDE_ON)
    refused("budget", actions.decide, application=b, amounts={2019: 200_001}, decided_on=DECIDE_ON)
    actions.decide(application=b, amounts={2019: 200_000}, decided_on=DECIDE_ON)
    refused("budget", actions.set_budget, program=grants.model, fiscal_year=2019, amount=400_000)


def test_an_applicant_who_is_not_eligible_is_refused(grants):
    outsider = CorporationFactory(municipality_id="332038")  # not a member
    refused(
        "not_member",
        actions.create_application,
        call=grants.call,
        corporation=outsider,
        theme=grants.theme,
        title="x",
        on=APPLY_ON,
    )
    tottori = grants.personas.tottori_corporation
    refused(
        "wrong_prefecture",
        actions.create_application,
        call=grants.call,
        corporation=tottori,
        theme=grants.theme,
        title="x",
        on=APPLY_ON,
    )
    refused(
        "not_eligible",
        actions.create_application,
        call=grants.network_call,
        corporation=grants.members[0],
        title="x",
        on=APPLY_ON,
    )
    assert not Application.objects.exists()


def test_a_member_who_withdrew_before_the_decision_is_refused_at_the_decision(grants):
    from sasaeai.members import actions as member_actions

    application = submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    member_actions.record_membership_event(
        member=grants.members[0],
        kind="withdraw",
        effective_date=datetime.date(2019, 6, 1),
        by=grants.personas.center,
    )
    refused(
        "not_member",
        actions.decide,
        application=application,
        amounts={2019: 100_000},
        decided_on=DECIDE_ON,
    )


def test_applications_only_in_the_window_and_once(grants):
    refused(
        "call_closed",
        actions.create_application,
        call=grants.call,
        corporation=grants.members[0],
        theme=grants.theme,
        title="x",
        on=datetime.date(2019, 6, 1),
    )
    submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    refused(
        "duplicate",
        actions.create_application,
        call=grants.call,
        corporation=grants.members[0],
        theme=grants.theme,
        title="x",
        on=APPLY_ON,
    )


@pytest.mark.parametrize(
    ("amount", "rule"),
    [("-1", "amount"), ("1.5", "amount"), ("abc", "amount"), (-300, "amount"), ("0", "amount")],
)
def test_a_budget_line_with_a_negative_or_non_integer_amount_is_refused(grants, amount, rule):
    error = refused(
        rule,
        actions.create_application,
        call=grants.call,
        corporation=grants.members[0],
        theme=grants.theme,
        title="x",
        lines=[{"fiscal_year": 2019, "category": "謝金", "amount": amount}],
        on=APPLY_ON,
    )
    assert "1" in error.sentence()  # names the line
    assert not Application.objects.exists() and not BudgetLine.objects.exists()


def test_a_budget_line_outside_the_categories_or_the_term_is_refused(grants):
    refused(
        "category",
        actions.create_application,
        call=grants.call,
        corporation=grants.members[0],
        theme=grants.theme,
        title="x",
        lines=lines((2019, 1000), category="飲食費"),
        on=APPLY_ON,
    )
    refused(
        "beyond_term",
        actions.create_application,
        call=grants.call,
        corporation=grants.members[0],
        theme=grants.theme,
        title="x",
        lines=lines((2022, 1000)),
        on=APPLY_ON,
    )


def test_yen_as_staff_type_it():
    assert parse_yen("400,000") == 400_000
    assert parse_yen("４０００００円") == 400_000
    assert parse_yen("¥1,000") == 1000
    assert parse_yen("1000.0") == 1000
    assert parse_yen(25) == 25
    for bad in ("1.5", "-1", "", "十万", True, 2.5):
        with pytest.raises(RuleBroken):
            parse_yen(bad)


def test_asking_above_a_cap_is_refused_at_submission(grants):
    application = actions.create_application(
        call=grants.call,
        corporation=grants.members[0],
        theme=grants.theme,
        title="x",
        lines=lines((2019, 300_000), (2020, 100_001)),
        on=APPLY_ON,
    )
    refused("cap_total", actions.submit_application, application=application, on=APPLY_ON)
    assert Application.objects.get(pk=application.pk).status == "draft"


@pytest.fixture
def awarded(grants):
    application = submitted(
        grants.call,
        corporation=grants.members[0],
        theme=grants.theme,
        amounts=((2019, 200_000), (2020, 200_000)),
    )
    return actions.decide(
        application=application, amounts={2019: 200_000, 2020: 150_000}, decided_on=DECIDE_ON
    )


def test_payments_in_tranches_never_above_the_award(awarded):
    actions.record_payment(
        decision=awarded,
        fiscal_year=2019,
        kind="advance",
        amount="150,000",
        paid_on=datetime.date(2019, 7, 1),
    )
    error = refused(
        "payment_above_award",
        actions.record_payment,
        decision=awarded,
        fiscal_year=2019,
        kind="settlement",
        amount=50_001,
        paid_on=datetime.date(2020, 4, 20),
    )
    assert "200,000円" in error.sentence()
    actions.record_payment(
        decision=awarded,
        fiscal_year=2019,
        kind="settlement",
        amount=50_000,
        paid_on=datetime.date(2020, 4, 20),
    )
    refused(
        "beyond_term",
        actions.record_payment,
        decision=awarded,
        fiscal_year=2021,
        kind="advance",
        amount=1,
        paid_on=datetime.date(2021, 5, 1),
    )
    assert Payment.objects.count() == 2


def test_a_final_report_makes_the_unspent_money_a_refund(awarded):
    actions.record_payment(
        decision=awarded,
        fiscal_year=2019,
        kind="advance",
        amount=200_000,
        paid_on=datetime.date(2019, 7, 1),
    )
    report = awarded.reports.get(fiscal_year=2019, kind=GrantReport.Kind.FINAL)
    actions.submit_report(
        report=report, text="実績", spent="180,000", submitted_on=datetime.date(2020, 4, 15)
    )
    refund = Refund.objects.get()
    assert (refund.fiscal_year, refund.amount) == (2019, 20_000)


def test_a_report_after_the_project_closed_is_refused(awarded):
    actions.close_grant(decision=awarded, closed_on=datetime.date(2021, 5, 31))
    report = awarded.reports.get(fiscal_year=2020)
    refused(
        "closed",
        actions.submit_report,
        report=report,
        text="遅れた報告",
        spent=0,
        submitted_on=datetime.date(2021, 6, 1),
    )
    assert GrantReport.objects.get(pk=report.pk).submitted_on is None


def test_an_amendment_is_checked_against_the_same_caps(awarded):
    refused(
        "cap_total",
        actions.request_amendment,
        decision=awarded,
        amounts={"2019": "200,000", "2020": "200,001"},
        reason="増額",
        on=datetime.date(2020, 5, 1),
    )
    amendment = actions.request_amendment(
        decision=awarded,
        amounts={"2019": "200,000", "2020": "200,000"},
        reason="増額",
        on=datetime.date(2020, 5, 1),
    )
    actions.approve_amendment(amendment=amendment, decided_on=datetime.date(2020, 5, 10))
    assert dict(awarded.years.values_list("fiscal_year", "amount")) == {
        2019: 200_000,
        2020: 200_000,
    }
    assert amendment.__class__.objects.get(pk=amendment.pk).previous == {
        "2019": 200_000,
        "2020": 150_000,
    }


def test_an_amendment_never_goes_below_what_is_paid(awarded):
    actions.record_payment(
        decision=awarded,
        fiscal_year=2019,
        kind="advance",
        amount=200_000,
        paid_on=datetime.date(2019, 7, 1),
    )
    amendment = actions.request_amendment(
        decision=awarded,
        amounts={"2019": "100,000", "2020": "150,000"},
        reason="減額",
        on=datetime.date(2020, 1, 10),
    )
    refused("payment_above_award", actions.approve_amendment, amendment=amendment)


def test_a_reviewer_with_a_conflict_is_excluded(grants):
    from sasaeai.testing import factories

    application = submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    reviewer = factories.UserFactory()
    colleague = factories.corporation_staff(grants.members[0])
    stranger = factories.UserFactory()
    actions.add_reviewer(call=grants.call, user=reviewer)
    actions.add_reviewer(call=grants.call, user=colleague)
    actions.submit_review(application=application, reviewer=reviewer, score=4, comment="良い")
    refused(
        "conflict_of_interest",
        actions.submit_review,
        application=application,
        reviewer=colleague,
        score=5,
    )
    refused(
        "not_reviewer", actions.submit_review, application=application, reviewer=stranger, score=3
    )
    actions.declare_conflict(application=application, user=reviewer, reason="理事を兼務")
    assert not application.reviews.exists()
    refused(
        "conflict_of_interest",
        actions.submit_review,
        application=application,
        reviewer=reviewer,
        score=4,
    )


def test_an_application_entered_later_keeps_the_day_it_was_handed_in(grants):
    from django.utils import timezone

    application = submitted(grants.call, corporation=grants.members[0], theme=grants.theme)
    assert timezone.localdate(application.submitted_at) == APPLY_ON
