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


def test_public_dashboard_shows_published_targets_only(client, plan):
    target = plan.targets.get(kpi_code="networks_established")
    target.is_public = False
    target.save()
    response = client.get("/plan/", {"as_of": "2019-03-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "市町村域でのネットワーク設置" not in html
    assert "ネットワーク設置済み・検討中の市町村" in html
    assert "csrfmiddlewaretoken" not in html  # cacheable: no form token


def test_public_dashboard_follows_a_write(client, plan, django_capture_on_commit_callbacks):
    from sasaeai.networks.models import MunicipalNetwork

    def engaged():
        response = client.get("/plan/", {"as_of": "2019-03-31"})
        return next(
            r for r in response.context["reading"].readings if r.code == "networks_established"
        )

    assert engaged().value == 7
    cached = client.get("/plan/", {"as_of": "2019-03-31"})
    assert cached.context is None  # the same version: served from the page cache
    with django_capture_on_commit_callbacks(execute=True):
        MunicipalNetwork.objects.create(
            prefecture_id="33", name="新しい連絡会", established_on=datetime.date(2018, 6, 1)
        )
    assert engaged().value == 8


def test_council_sees_its_municipality(client, personas, plan):
    client.force_login(personas.council)
    response = client.get("/plan/area/", {"as_of": "2019-03-31"})
    assert response.status_code == 200
    codes = {r.code for r in response.context["reading"].readings}
    assert "municipalities_engaged" in codes and "networks_established" not in codes
    engaged = next(
        r for r in response.context["reading"].readings if r.code == "municipalities_engaged"
    )
    assert engaged.value == 1  # 津山市 has had its network since H29.10.10
    assert client.get("/plan/area/", {"municipality": "332020"}).status_code == 404


def test_corporation_staff_have_no_area_dashboard(client, personas, plan):
    client.force_login(personas.corp_staff)
    assert client.get("/plan/area/").status_code == 404


def test_national_view_is_for_superusers(client, personas, plan):
    from sasaeai.accounts.models import User

    client.force_login(personas.center)
    assert client.get("/plan/national/").status_code == 404
    admin = User.objects.create_superuser("root", "root@example.jp", "pw-pw-pw-pw")
    client.force_login(admin)
    response = client.get("/plan/national/", {"as_of": "2019-03-31"})
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["by_code"]["networks_established"].value == 7


def test_a_warm_dashboard_reads_a_constant_number_of_rows(client, personas, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sasaeai.networks.models import MunicipalNetwork

    client.force_login(personas.center)

    def warm_queries():
        client.get("/plan/center/", {"as_of": "2019-03-31"})  # fills the figures' cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/plan/center/", {"as_of": "2019-03-31"}).status_code == 200
        return len(queries)

    few = warm_queries()
    for n in range(20):
        MunicipalNetwork.objects.create(
            prefecture_id="33", name=f"連絡会{n}", established_on=datetime.date(2018, 6, 1)
        )
    from django.core.cache import cache

    cache.clear()
    assert warm_queries() == few
    assert few <= 12


def test_the_apps_pages_show_the_plans_targets(client, personas, plan):
    target = plan.targets.get(kpi_code="networks_established")
    target.value = 16
    target.save()
    networks = client.get("/api/v1/kpis/networks/", {"prefecture": "33", "as_of": "2019-03-31"})
    assert networks.json()["target"] == 16
    client.force_login(personas.center)
    membership = client.get("/api/v1/kpis/membership/", {"prefecture": "33"}).json()
    assert (membership["target"], membership["deadline"]) == (0.7, "2020-03-31")


def test_center_staff_change_a_target(client, personas, plan):
    client.force_login(personas.center)
    target = plan.targets.get(kpi_code="networks_established")
    response = client.post(
        f"/plan/targets/{target.pk}/edit/",
        {
            "pillar": target.pillar_id,
            "kpi_code": "networks_established",
            "label": target.label,
            "value": "16",
            "deadline": "2020-03-31",
            "baseline_on": "2018-03-31",
            "is_public": "on",
            "order": 1,
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == 16
