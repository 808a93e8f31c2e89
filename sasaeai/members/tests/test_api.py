import datetime

import pytest

from sasaeai.members import actions
from sasaeai.members.models import MemberType
from sasaeai.testing.factories import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def joined(personas):
    basic = MemberType.objects.get(code="basic-corporation")
    FacilityFactory.create_batch(2, corporation=personas.own_corporation)
    FacilityFactory(corporation=personas.other_corporation)
    FacilityFactory(corporation=personas.tottori_corporation)
    actions.record_membership_event(
        member=personas.own_corporation,
        kind="join",
        effective_date=datetime.date(2018, 6, 1),
        by=personas.center,
        member_type=basic,
    )
    center = personas.okayama_center
    center.settings = {"membership_target": {"rate": 0.7, "deadline": "2020-03-31"}}
    center.save()
    return personas


def test_the_membership_kpi_answers_as_the_issue_says(client, joined):
    client.force_login(joined.center)
    body = client.get(
        "/api/v1/kpis/membership/", {"prefecture": "33", "as_of": "2020-03-31"}
    ).json()
    assert body["as_of"] == "2020-03-31"
    assert (body["numerator"], body["denominator"]) == (2, 3)
    assert body["rate"] == pytest.approx(2 / 3)
    assert body["by_corporation"] == pytest.approx(1 / 2)
    assert body["by_council"] is None  # no council registered
    assert (body["target"], body["deadline"]) == (0.7, "2020-03-31")


def test_the_kpi_takes_the_plans_target_without_reading_the_center(client, joined, monkeypatch):
    """The plan's target wins over the center's setting, and then the center is not read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sasaeai.core import kpis as core_kpis

    planned = core_kpis.TargetValue(0.75, datetime.date(2021, 3, 31))
    monkeypatch.setattr(core_kpis, "target_of", lambda prefecture, code: planned)
    client.force_login(joined.center)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(
            "/api/v1/kpis/membership/", {"prefecture": "33", "as_of": "2020-03-31"}
        ).json()
    assert (body["target"], body["deadline"]) == (0.75, "2021-03-31")
    assert not [q for q in queries if 'FROM "regions_center"' in q["sql"]]


def test_the_kpi_falls_back_to_the_centers_target_reading_the_plan_once(client, joined):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(joined.center)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(
            "/api/v1/kpis/membership/", {"prefecture": "33", "as_of": "2020-03-31"}
        ).json()
    assert (body["target"], body["deadline"]) == (0.7, "2020-03-31")  # the center's setting
    assert len([q for q in queries if 'FROM "plan_target"' in q["sql"]]) == 1
    assert len([q for q in queries if 'FROM "regions_center"' in q["sql"]]) == 1


def test_the_kpi_reads_a_wareki_date_and_refuses_a_bad_one(client, joined):
    client.force_login(joined.center)
    body = client.get("/api/v1/kpis/membership/", {"prefecture": "33", "as_of": "H30.3末"}).json()
    assert (body["as_of"], body["numerator"]) == ("2018-03-31", 0)
    bad = client.get("/api/v1/kpis/membership/", {"prefecture": "33", "as_of": "H29.2.30"})
    assert bad.status_code == 400
    assert "H29.2.30" in bad.json()["as_of"][0]


def test_the_kpi_of_another_prefecture_is_refused(client, joined):
    client.force_login(joined.center)
    response = client.get("/api/v1/kpis/membership/", {"prefecture": "31"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("center", 3), ("council", 2), ("corp_staff", 2), ("outsider", 1)],
)
def test_facilities_are_scoped(client, joined, persona, expected):
    client.force_login(getattr(joined, persona))
    assert client.get("/api/v1/facilities/").json()["count"] == expected


def test_memberships_are_scoped(client, joined):
    client.force_login(joined.center)
    assert client.get("/api/v1/memberships/").json()["count"] == 1
    client.force_login(joined.outsider)
    assert client.get("/api/v1/memberships/").json()["count"] == 0


def test_corporations_filter_by_member_and_municipality(client, joined):
    client.force_login(joined.center)
    members = client.get("/api/v1/corporations/", {"member": "1"}).json()
    assert [row["id"] for row in members["results"]] == [joined.own_corporation.pk]
    kurashiki = client.get("/api/v1/corporations/", {"municipality": "33202"}).json()
    assert [row["id"] for row in kurashiki["results"]] == [joined.other_corporation.pk]
    bad = client.get("/api/v1/corporations/", {"municipality": "x"})
    assert bad.status_code == 400
    assert "municipality" in bad.json()


def test_memberships_filter_by_area_and_kind(client, joined):
    client.force_login(joined.center)
    assert client.get("/api/v1/memberships/", {"municipality": "332038"}).json()["count"] == 1
    assert client.get("/api/v1/memberships/", {"municipality": "332020"}).json()["count"] == 0
    assert client.get("/api/v1/memberships/", {"kind": "withdraw"}).json()["count"] == 0
    assert (
        client.get("/api/v1/memberships/", {"prefecture": "33", "kind": "join"}).json()["count"]
        == 1
    )
    bad = client.get("/api/v1/memberships/", {"kind": "left"})
    assert bad.status_code == 400
    assert "kind" in bad.json()


def test_a_corporation_without_sector_and_a_withdrawal_without_type_are_null_in_the_schema():
    """Found by the API fuzz: ``"sector_group": null`` (a corporation not yet classified) and
    ``"member_type": null`` (a withdrawal) where the schema promised a string."""
    from sasaeai.testing.openapi import component

    assert component("Corporation")["properties"]["sector_group"]["nullable"] is True
    assert component("MembershipEvent")["properties"]["member_type"]["nullable"] is True
