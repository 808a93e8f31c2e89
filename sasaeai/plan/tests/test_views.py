"""The center's dashboard: every target on a date, for the center's staff only."""

import datetime
from pathlib import Path

import pytest

from sasaeai.networks import importing
from sasaeai.plan.loading import DATA, load_plan_file


@pytest.fixture
def plan(personas):
    importing.import_networks(
        Path(importing.__file__).parent / "data" / "okayama-h31.csv", prefecture="33"
    )
    return load_plan_file("33", DATA / "okayama-2018.json")


def test_center_dashboard_shows_every_target_on_the_date(client, personas, plan):
    client.force_login(personas.center)
    response = client.get("/plan/center/", {"as_of": "2019-03-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "市町村域でのネットワーク設置" in html
    assert "県内福祉施設・事業所、社協加入率" in html
    assert "<svg" in html and "<table" in html
    networks = next(
        r for r in response.context["reading"].readings if r.code == "networks_established"
    )
    assert networks.value == 7


def test_a_date_before_the_plan_gets_a_message(client, personas, plan):
    client.force_login(personas.center)
    response = client.get("/plan/center/", {"as_of": "2018-03-01"})
    assert response.status_code == 200
    assert "2018-04-01" in response.content.decode()
    assert "reading" not in response.context


def test_others_get_404(client, personas, plan):
    for user in (personas.council, personas.corp_staff):
        client.force_login(user)
        assert client.get("/plan/center/").status_code == 404


def test_target_page_and_its_edit(client, personas, plan):
    client.force_login(personas.center)
    target = plan.targets.get(kpi_code="networks_established")
    page = client.get(f"/plan/targets/{target.pk}/", {"as_of": "2019-03-31"})
    assert page.status_code == 200
    assert page.context["reading"].value == 7
    response = client.post(
        f"/plan/targets/{target.pk}/edit/",
        {
            "pillar": target.pillar_id,
            "kpi_code": "networks_established",
            "label": target.label,
            "value": "15",
            "deadline": "2017-01-01",
            "baseline_on": "2018-03-31",
            "order": 1,
        },
    )
    assert response.status_code == 200
    assert "2017-01-01" in response.content.decode()
    target.refresh_from_db()
    assert target.deadline == datetime.date(2020, 3, 31)
