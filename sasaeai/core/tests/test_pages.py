"""The public pages: Japanese first, English selectable, honest about what is not built."""

import json

import pytest
from django.urls import reverse

from sasaeai.core.pillars import PILLARS

pytestmark = pytest.mark.django_db

NAV = [
    "気運づくり",
    "市町村域ネットづくり",
    "モデルづくり",
    "ひとづくり",
    "見える化",
    "ソーシャルアクション",
]


def test_the_home_page_is_in_japanese_with_the_six_pillars_in_the_plans_order(client, personas):
    html = client.get(reverse("publishing:home")).content.decode()
    assert '<html lang="ja">' in html
    assert "岡山ささえ愛センター" in html
    positions = [html.index(label) for label in NAV]
    assert positions == sorted(positions)
    assert "計画の進捗" in html


def test_every_pillar_page_says_honestly_that_its_work_is_not_built_yet(client, personas):
    for pillar in PILLARS:
        html = client.get(reverse("core:pillar-detail", args=[pillar.slug])).content.decode()
        assert ("準備中" in html) == (not pillar.url_name), pillar.slug


def test_an_unknown_pillar_is_not_found(client):
    assert client.get("/pillars/nothing/").status_code == 404


def test_an_english_browser_still_gets_japanese_until_english_is_chosen(client, personas):
    html = client.get(reverse("publishing:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert '<html lang="ja">' in html.decode()


def test_english_can_be_chosen(client, personas):
    client.get(reverse("core:choose-language"), {"language": "en", "next": "/"})
    html = client.get(reverse("publishing:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Building momentum" in html


def test_the_language_switch_stays_on_this_site(client):
    response = client.get(
        reverse("core:choose-language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = client.get(reverse("core:choose-language"), {"language": "xx", "next": "/plan/"})
    assert response["Location"] == "/plan/"
    assert "django_language" not in response.cookies


def test_no_page_loads_anything_from_another_host(client, personas):
    client.force_login(personas.center)
    for url in ["/", "/dashboard/", "/members/corporations/", "/accounts/login/", "/api/docs/"]:
        html = client.get(url).content.decode()
        for attribute in ('src="http', 'href="http', "src='http", "href='http"):
            assert attribute not in html, (url, attribute)


def test_the_health_endpoint_checks_the_database(client):
    # The whole answer, the queue and the failures: test_healthz.py.
    body = client.get("/healthz").json()
    assert (body["status"], body["database"]) == ("ok", "ok")


def test_a_server_error_answers_json_to_api_clients_and_a_page_to_people(rf):
    from sasaeai.core.api import server_error

    api = server_error(rf.get("/api/v1/corporations/"))
    assert api.status_code == 500
    assert "保存" in json.loads(api.content)["detail"]
    page = server_error(rf.get("/members/corporations/"))
    assert page.status_code == 500
    assert "エラーが発生しました" in page.content.decode()


def test_the_start_page_keeps_a_constant_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.center)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("mypage"))
    assert response.status_code == 200
    assert response.context["corporation_count"] == 2
