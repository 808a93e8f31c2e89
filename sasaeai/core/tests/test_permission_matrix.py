"""Every URL pattern declares who may open it, and each persona gets only its scope."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.permissions import AllowAny

from sasaeai.core.access import AUTHENTICATED, CENTER_STAFF, PUBLIC, access_of

# Third-party areas that enforce their own access: Django's admin (staff only), allauth's
# account pages (login, password reset, two-factor: each checks the session itself), the
# language switch, and static files in development.
THIRD_PARTY_PREFIXES = ("admin/", "accounts/", "i18n/", "static/")


def walk(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def own_patterns():
    return [
        (route, entry)
        for route, entry in walk(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(THIRD_PARTY_PREFIXES)
    ]


def test_every_view_is_explicitly_public_or_protected():
    undeclared = [route for route, entry in own_patterns() if access_of(entry.callback) is None]
    assert undeclared == [], f"views that declare no access: {undeclared}"


def test_the_walk_sees_the_project_views():
    routes = {route for route, _entry in own_patterns()}
    assert "dashboard/" in routes
    assert "members/corporations/<int:pk>/" in routes
    assert any(route.startswith("api/v1/") for route in routes)


def test_only_public_api_views_allow_anyone():
    for route, entry in own_patterns():
        view_class = getattr(entry.callback, "cls", None)
        if view_class is None:
            continue
        allows_anyone = AllowAny in getattr(view_class, "permission_classes", [])
        assert allows_anyone == (access_of(entry.callback) == PUBLIC), route


def test_declared_levels_are_known():
    levels = {access_of(entry.callback) for _route, entry in own_patterns()}
    assert levels <= {PUBLIC, AUTHENTICATED, CENTER_STAFF}


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login_from_every_protected_page(client, regions):
    for route, entry in own_patterns():
        if (
            access_of(entry.callback) == PUBLIC
            or "<" in route
            or getattr(entry.callback, "cls", None)
        ):
            continue
        response = client.get("/" + route)
        assert response.status_code == 302, route
        assert response["Location"].startswith(reverse("account_login")), route


# Who sees which corporation: True = visible, False = the same 404 as a missing record.
SCOPE = {
    "center": {"own": True, "other": True, "tottori": False},
    "council": {"own": True, "other": False, "tottori": False},
    "corp_staff": {"own": True, "other": False, "tottori": False},
    "outsider": {"own": False, "other": True, "tottori": False},
}


def corporations_of(p):
    return {
        "own": p.own_corporation,
        "other": p.other_corporation,
        "tottori": p.tottori_corporation,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", SCOPE)
def test_each_persona_opens_only_the_corporations_in_its_scope(client, personas, persona):
    client.force_login(getattr(personas, persona))
    for key, corporation in corporations_of(personas).items():
        response = client.get(reverse("members:corporation-detail", args=[corporation.pk]))
        assert response.status_code == (200 if SCOPE[persona][key] else 404), (persona, key)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", SCOPE)
def test_lists_and_api_show_the_same_scope_as_pages(client, personas, persona):
    client.force_login(getattr(personas, persona))
    expected = {c.pk for key, c in corporations_of(personas).items() if SCOPE[persona][key]}
    page = client.get(reverse("members:corporation-list"))
    api = client.get("/api/v1/corporations/").json()
    assert {c.pk for c in page.context["page"]} == expected
    assert {row["id"] for row in api["results"]} == expected
    assert api["count"] == len(expected)


@pytest.mark.django_db
def test_anonymous_api_callers_see_no_corporation(client, personas):
    response = client.get("/api/v1/corporations/")
    assert response.status_code in {401, 403}
    assert "detail" in response.json()


@pytest.mark.django_db
def test_the_corporation_list_keeps_a_constant_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    from sasaeai.testing.factories import CorporationFactory

    client.force_login(personas.center)
    CorporationFactory.create_batch(30, municipality_id="331015")  # 岡山市北区: ward names
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:corporation-list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 32
