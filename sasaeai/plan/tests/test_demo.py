"""On the demo: every target of the Okayama plan on any date of the plan, and the plan's API
gives the same values as the KPI endpoints of the apps that own the records."""

import datetime

import pytest

from sasaeai.demo import load_demo
from sasaeai.plan.measuring import Status, read_plan
from sasaeai.plan.models import Plan


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            load_demo()
            yield Plan.objects.get(prefecture_id="33")
            transaction.set_rollback(True)


@pytest.fixture
def staff_client(client, demo):
    from sasaeai.accounts.models import User

    client.force_login(User.objects.get(username="center-okayama"))
    return client


def by_code(payload):
    return {item["code"]: item for item in payload["kpis"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day", ["2018-04-01", "2019-03-31", "2020-03-31", "2021-09-30", "2023-03-31"]
)
def test_every_target_has_a_value_and_a_status_on_any_date_of_the_plan(demo, day):
    as_of = datetime.date.fromisoformat(day)
    reading = read_plan(demo, as_of, today=datetime.date(2026, 11, 28))
    assert len(reading.readings) == demo.targets.count() == 12
    for r in reading.readings:
        assert r.status in Status.values
        if r.target is not None and r.code != "survey_doing_share":
            assert r.value is not None, r.code


@pytest.mark.django_db
def test_the_seed_networks_hold_on_the_demo(demo):
    today = datetime.date(2026, 11, 28)
    at = {
        day: {r.code: r for r in read_plan(demo, day, today=today).readings}
        for day in (datetime.date(2018, 4, 1), datetime.date(2019, 3, 31))
    }
    assert at[datetime.date(2018, 4, 1)]["networks_established"].baseline == 5
    assert at[datetime.date(2019, 3, 31)]["networks_established"].value == 7
    assert at[datetime.date(2019, 3, 31)]["municipalities_engaged"].value == 18


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2019-03-31", "2020-03-31", "2022-06-30"])
def test_the_api_agrees_with_the_apps_own_endpoints(staff_client, day):
    plan = staff_client.get("/api/v1/kpis/", {"prefecture": "33", "as_of": day})
    assert plan.status_code == 200, plan.content
    kpis = by_code(plan.json())
    membership = staff_client.get(
        "/api/v1/kpis/membership/", {"prefecture": "33", "as_of": day}
    ).json()
    assert kpis["membership_rate"]["value"] == pytest.approx(membership["rate"])
    assert kpis["membership_rate"]["target"] == membership["target"] == 0.7
    assert kpis["membership_rate"]["deadline"] == membership["deadline"] == "2020-03-31"
    networks = staff_client.get("/api/v1/kpis/networks/", {"prefecture": "33", "as_of": day}).json()
    assert kpis["networks_established"]["value"] == networks["established"]
    assert kpis["networks_established"]["target"] == networks["target"]
    for item in kpis.values():
        assert {"code", "label", "value", "target", "deadline", "status", "pillar"} <= set(item)


@pytest.mark.django_db
def test_the_survey_kpi_agrees_with_the_survey_endpoint_for_the_latest_year(staff_client):
    kpis = by_code(staff_client.get("/api/v1/kpis/", {"prefecture": "33"}).json())
    assert kpis["survey_doing_share"]["value"] is not None
    latest = max(
        year
        for year in range(2018, 2027)
        if staff_client.get(
            "/api/v1/kpis/survey/", {"prefecture": "33", "fiscal_year": year}
        ).json()["responses"]
    )
    survey = staff_client.get(
        "/api/v1/kpis/survey/", {"prefecture": "33", "fiscal_year": latest}
    ).json()
    assert kpis["survey_doing_share"]["value"] == pytest.approx(survey["doing_share"])


@pytest.mark.django_db
def test_the_public_api_shows_published_targets_only(client, demo):
    kpis = by_code(client.get("/api/v1/kpis/", {"prefecture": "33", "as_of": "2019-03-31"}).json())
    assert "grants_awarded" not in kpis
    assert kpis["networks_established"]["value"] == 7


@pytest.mark.django_db
def test_bad_dates_get_clear_messages(client, demo):
    before = client.get("/api/v1/kpis/", {"prefecture": "33", "as_of": "2017-01-01"})
    assert before.status_code == 400
    assert "2018-04-01" in before.json()["as_of"][0]
    wrong = client.get("/api/v1/kpis/", {"prefecture": "33", "as_of": "someday"})
    assert wrong.status_code == 400


@pytest.mark.django_db
def test_every_series_equals_the_measure_on_each_date(demo):
    """A KPI measured for many dates at once must give what it gives for one date."""
    from sasaeai.core import kpis

    days = [datetime.date(2017, 3, 31), datetime.date(2018, 4, 1), datetime.date(2018, 5, 25)]
    days += [datetime.date(year, month, 1) for year in range(2018, 2024) for month in (3, 9)]
    days += [datetime.date(2019, 3, 31), datetime.date(2020, 3, 31), datetime.date(2026, 11, 28)]
    with_series = [kpi for kpi in kpis.registered() if kpi.measure_series is not None]
    assert {k.code for k in with_series} >= {
        "membership_rate",
        "networks_established",
        "municipalities_engaged",
        "survey_doing_share",
        "trainings_held",
        "training_participants",
        "activities_registered",
        "model_projects_shared",
        "cases_published",
        "proposals_made",
    }
    for kpi in with_series:
        series = kpi.measure_series("33", sorted(days))
        for day in days:
            one = kpi.measure("33", day)
            assert series[day] == pytest.approx(one), (kpi.code, day)
