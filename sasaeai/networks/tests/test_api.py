import pytest

pytestmark = pytest.mark.django_db


def test_the_network_kpi_answers_as_the_issue_says(client, seeded):
    body = client.get("/api/v1/kpis/networks/", {"prefecture": "33", "as_of": "2019-03-31"}).json()
    assert body == {
        "as_of": "2019-03-31",
        "prefecture": "33",
        "established": 7,
        "municipalities_established": 7,
        "municipalities_considering": 11,
        "municipalities_none": 9,
        "municipalities_total": 27,
        "by_status": {
            "none": 9,
            "meetings": 9,
            "study": 2,
            "established": 7,
            "active": 0,
            "dormant": 0,
        },
        "target": 15,
        "deadline": "2020-03-31",
    }


def test_the_kpi_reads_wareki_and_gives_the_2018_figures(client, seeded):
    body = client.get("/api/v1/kpis/networks/", {"prefecture": "33", "as_of": "H30.3.31"}).json()
    assert (body["as_of"], body["established"], body["municipalities_established"]) == (
        "2018-03-31",
        5,
        5,
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"prefecture": "3"}, "prefecture"),
        ({"prefecture": "99"}, "prefecture"),
        ({}, "prefecture"),
        ({"prefecture": "33", "as_of": "H31.2.30"}, "as_of"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(client, seeded, params, field):
    for url in ("/api/v1/kpis/networks/", "/api/v1/networks/", "/api/v1/municipality-status/"):
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert field in response.json()


def test_networks_as_of_a_date(client, seeded):
    at_2018 = client.get("/api/v1/networks/", {"prefecture": "33", "as_of": "2018-03-31"}).json()
    at_2019 = client.get("/api/v1/networks/", {"prefecture": "33", "as_of": "2019-03-31"}).json()
    assert (at_2018["count"], at_2019["count"]) == (5, 7)
    soja = next(n for n in at_2019["results"] if n["nickname"] == "ふくしネットそうじゃ")
    assert soja["established_on"] == "2017-07-01"
    assert soja["area"] == [{"code": "332089", "name": "総社市"}]


def test_municipality_status_has_one_row_per_municipality(client, seeded):
    body = client.get(
        "/api/v1/municipality-status/", {"prefecture": "33", "as_of": "2019-03-31"}
    ).json()
    assert body["count"] == len(body["results"]) == 27
    rows = {row["name"]: row for row in body["results"]}
    assert rows["津山市"] == {
        "code": "332038",
        "name": "津山市",
        "status": "established",
        "since": "2017-10-10",
        "network": {"id": rows["津山市"]["network"]["id"], "name": "津山市社会福祉施設連絡会"},
    }
    assert rows["瀬戸内市"]["status"] == "study"
    assert rows["倉敷市"]["status"] == "meetings"
    assert rows["和気町"] == {
        "code": "333468",
        "name": "和気町",
        "status": "none",
        "since": None,
        "network": None,
    }
    assert "北区" not in rows  # wards are in their city


def test_municipality_status_keeps_a_constant_number_of_queries(
    client, seeded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get("/api/v1/municipality-status/", {"prefecture": "33"})
