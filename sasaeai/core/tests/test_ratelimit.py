"""Rate limits of the public forms: the N+1th request from one address in a window gets 429
with Retry-After and writes nothing; another address is unaffected; guesses of mailed links
are limited without counting the owner of a real link."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from sasaeai.core.ratelimit import client_address

pytestmark = pytest.mark.django_db

LIMITS = {
    "event-registration": (2, 3600),
    "newsletter-subscription": (2, 3600),
    "survey-answer": (3, 3600),
    "token-link-miss": (2, 3600),
}
ONE = {"REMOTE_ADDR": "203.0.113.7"}
OTHER = {"REMOTE_ADDR": "198.51.100.9"}


@pytest.fixture(autouse=True)
def limits(settings):
    settings.SASAEAI_RATE_LIMITS = LIMITS
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def forum(regions):
    from sasaeai.events import actions
    from sasaeai.events.models import Audience, EventKind

    start = timezone.now() + datetime.timedelta(days=20)
    return actions.create_event(
        prefecture="33",
        sessions=[actions.SessionData(start, start + datetime.timedelta(hours=3), venue="会館")],
        kind=EventKind.FORUM,
        title="地域福祉実践フォーラム",
        audience=Audience.PUBLIC,
        capacity=50,
    )


def register(client, forum, n, address):
    data = {"form": "public", "name": f"岡山 {n}", "email": f"p{n}@example.jp"}
    return client.post(f"/events/{forum.pk}/", data, **address)


def test_the_third_registration_from_one_address_is_refused_and_writes_nothing(client, forum):
    from sasaeai.events.models import Registration

    assert [register(client, forum, n, ONE).status_code for n in range(2)] == [302, 302]
    refused = register(client, forum, 2, ONE)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "no-store" in refused["Cache-Control"]
    page = refused.content.decode()
    assert "リクエストが多すぎます" in page
    assert Registration.objects.filter(event=forum).count() == 2
    assert register(client, forum, 3, OTHER).status_code == 302
    assert Registration.objects.filter(event=forum).count() == 3


def test_reading_the_event_page_is_not_limited(client, forum):
    for _ in range(4):
        assert client.get(f"/events/{forum.pk}/", **ONE).status_code == 200


def test_the_newsletter_subscription_is_limited(client, regions):
    from sasaeai.publishing.models import Subscriber

    for n in range(2):
        client.post("/newsletters/subscribe/", {"email": f"s{n}@example.jp"}, **ONE)
    count = Subscriber.objects.count()
    refused = client.post("/newsletters/subscribe/", {"email": "s9@example.jp"}, **ONE)
    assert refused.status_code == 429
    assert Subscriber.objects.count() == count


def test_guessing_survey_links_is_limited_but_the_real_link_still_opens(client, regions):
    assert client.get("/surveys/a/guess-1/", **ONE).status_code == 404
    assert client.get("/surveys/a/guess-2/", **ONE).status_code == 404
    assert client.get("/surveys/a/guess-3/", **ONE).status_code == 429
    assert client.post("/surveys/a/guess-4/", {}, **ONE).status_code == 429
    assert client.get("/surveys/a/guess-5/", **OTHER).status_code == 404


def test_guessing_registration_links_is_limited(client, regions):
    for n in range(2):
        assert client.get(f"/events/r/guess-{n}/", **ONE).status_code == 404
    assert client.get("/events/r/guess-9/", **ONE).status_code == 429


def test_the_owner_of_a_real_link_is_never_counted(client, forum):
    from sasaeai.events import actions

    registration = actions.register(event=forum, name="岡山 花子", email="hanako@example.jp")
    for _ in range(5):
        assert client.get(f"/events/r/{registration.token}/", **ONE).status_code == 200


def test_signed_in_staff_are_not_limited(client, forum, personas):
    client.force_login(personas.center)
    for _ in range(4):
        response = client.post("/newsletters/subscribe/", {"email": "x@example.jp"}, **ONE)
        assert response.status_code != 429


def test_the_api_gets_json(rf):
    from sasaeai.core.ratelimit import too_many_requests

    response = too_many_requests(rf.post("/api/v1/anything/"), 30)
    assert response.status_code == 429 and response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"


@override_settings(SASAEAI_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_is_the_one_nginx_saw(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == "203.0.113.7"


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1", REMOTE_ADDR="203.0.113.7")
    assert client_address(request) == "203.0.113.7"
