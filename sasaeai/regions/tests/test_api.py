"""The public reference-data API: prefectures and municipalities with 6-digit codes."""

import pytest

pytestmark = pytest.mark.django_db

OKAYAMA_27 = {
    "331007", "332020", "332038", "332046", "332054", "332071", "332089", "332097", "332101",
    "332119", "332127", "332135", "332143", "332151", "332160", "333468", "334235", "334456",
    "334618", "335860", "336068", "336220", "336238", "336432", "336637", "336661", "336815",
}  # fmt: skip


def test_the_47_prefectures_are_listed_with_two_digit_codes(client, regions):
    body = client.get("/api/v1/prefectures/").json()
    assert body["count"] == 47
    assert {"count", "next", "previous", "results"} <= body.keys()
    assert body["results"][32] == {"code": "33", "name": "岡山県", "kana": "オカヤマケン"}


def test_okayama_has_exactly_its_27_municipalities(client, regions):
    body = client.get("/api/v1/municipalities/", {"prefecture": "33"}).json()
    assert body["count"] == 27
    assert {row["code"] for row in body["results"]} == OKAYAMA_27
    tsuyama = next(row for row in body["results"] if row["code"] == "332038")
    assert tsuyama == {
        "code": "332038",
        "name": "津山市",
        "kana": "ツヤマシ",
        "kind": "city",
        "prefecture": "33",
        "parent": None,
        "is_active": True,
    }


def test_include_wards_adds_okayama_citys_four_wards(client, regions):
    body = client.get("/api/v1/municipalities/", {"prefecture": "33", "include_wards": "1"})
    rows = body.json()["results"]
    wards = {row["name"] for row in rows if row["kind"] == "ward"}
    assert len(rows) == 31
    assert wards == {"北区", "中区", "東区", "南区"}
    assert all(row["parent"] == "331007" for row in rows if row["kind"] == "ward")


def test_a_municipality_is_found_by_its_five_or_six_digit_code(client, regions):
    assert client.get("/api/v1/municipalities/332038/").json()["name"] == "津山市"
    assert client.get("/api/v1/municipalities/33203/").json()["code"] == "332038"


def test_a_wrong_municipality_code_is_rejected_naming_the_code_in_japanese(client, regions):
    response = client.get("/api/v1/municipalities/332039/")
    assert response.status_code == 400
    message = response.json()["code"][0]
    assert "332039" in message
    assert "検査数字" in message


def test_a_malformed_prefecture_filter_says_what_was_expected(client, regions):
    response = client.get("/api/v1/municipalities/", {"prefecture": "okayama"})
    assert response.status_code == 400
    assert "33" in response.json()["prefecture"][0]


def test_an_unknown_api_address_answers_json(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "見つかりませんでした。"


def test_the_municipality_list_keeps_a_constant_number_of_queries(
    client, regions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get("/api/v1/municipalities/", {"page_size": "500"})


def test_a_wrong_municipality_code_is_documented_as_400():
    """Found by the API fuzz: the 400 for a code that fails its check digit was undocumented."""
    from sasaeai.testing.openapi import responses

    assert "400" in responses("GET", "/api/v1/municipalities/{code}/")


def test_an_unknown_api_address_answers_json_to_any_method_without_csrf(regions):
    """Found by the API fuzz: DELETE to an address the router does not match, with a session
    cookie, answered Django's HTML CSRF page instead of the API's JSON 404."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "not-a-session"
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/registrations/-1.5e-58/")
        assert response.status_code == 404, method
        assert response.json()["detail"] == "見つかりませんでした。"
