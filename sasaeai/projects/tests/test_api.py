import datetime

import pytest

from sasaeai.projects import actions
from sasaeai.projects.tests import helpers

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.urls("sasaeai.projects.tests.api_urls")]


def test_themes_of_a_prefecture_are_public(client, themes, tottori):
    body = client.get("/api/v1/themes/", {"prefecture": "33"}).json()
    assert body["count"] == 12
    assert body["results"][4]["code"] == "T05"
    assert body["results"][4]["name"] == "子どもの居場所・学習支援の仕組み"
    assert client.get("/api/v1/themes/", {"prefecture": "31"}).json()["count"] == 1


@pytest.mark.parametrize("params", [{}, {"prefecture": "3"}, {"prefecture": "99"}])
def test_themes_need_a_prefecture(client, themes, params):
    response = client.get("/api/v1/themes/", params)
    assert response.status_code == 400
    assert "prefecture" in response.json()


def test_model_projects_are_scoped_like_the_pages(client, personas, themes, members):
    project = helpers.model_project(themes)
    actions.set_status(project=project, status="running", effective_on=D(2018, 6, 1))
    actions.designate_site(project=project, corporation=members["own"], designated_on=D(2018, 7, 1))
    helpers.model_project(themes, title="計画中")
    public = client.get("/api/v1/model-projects/", {"prefecture": "33"}).json()
    assert [row["title"] for row in public["results"]] == [project.title]
    row = public["results"][0]
    assert row["theme"] == "T05" and row["status"] == "running"
    assert row["sites"][0]["municipality"] == "332038"
    assert [h["status"] for h in row["history"]] == ["planned", "running"]
    client.force_login(personas.center)
    staff = client.get("/api/v1/model-projects/", {"prefecture": "33"}).json()
    assert staff["count"] == 2
    assert client.get("/api/v1/model-projects/", {"status": "nope"}).status_code == 400


def test_the_api_list_keeps_a_constant_number_of_queries(
    client, themes, members, django_assert_max_num_queries
):
    for i in range(12):
        project = helpers.model_project(themes, title=f"事業{i}")
        actions.set_status(project=project, status="running", effective_on=D(2018, 6, 1))
        actions.designate_site(
            project=project, corporation=members["own"], designated_on=D(2018, 7, 1)
        )
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/model-projects/").json()["count"] == 12


def test_a_site_is_a_corporation_or_a_network_so_each_may_be_null_in_the_schema():
    """Found by the API fuzz: a corporation's site answered ``"network": null`` where the
    schema promised a string."""
    from sasaeai.testing.openapi import component

    site = component("Site")["properties"]
    assert site["corporation"]["nullable"] is True
    assert site["network"]["nullable"] is True
