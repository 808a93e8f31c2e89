import datetime

import pytest
from django.utils import timezone

from sasaeai.events import actions
from sasaeai.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def test_center_staff_create_a_one_session_event_in_one_request(client, personas):
    client.force_login(personas.center)
    starts = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    response = client.post(
        "/api/v1/events/",
        {"title": "説明会", "kind": "briefing", "starts_at": starts.isoformat(), "capacity": 2},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["capacity"], body["confirmed_count"], body["waitlist_count"]) == (2, 0, 0)
    assert len(body["sessions"]) == 1
    event = Event.objects.get(pk=body["id"])
    assert event.sessions.get().ends_at == starts + datetime.timedelta(hours=2)


@pytest.mark.parametrize("persona", ["council", "corp_staff", "anonymous"])
def test_others_cannot_create_events(client, personas, persona):
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))
    response = client.post(
        "/api/v1/events/",
        {"title": "x", "kind": "training", "starts_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert response.status_code in {401, 403}
    assert not Event.objects.exists()


def test_register_confirmed_then_waitlisted_then_409_when_closed(client, forum):
    url = f"/api/v1/events/{forum.pk}/registrations/"
    statuses = [
        client.post(
            url, {"name": f"県民{n}", "email": f"p{n}@example.jp"}, content_type="application/json"
        )
        for n in range(3)
    ]
    assert [r.status_code for r in statuses] == [201, 201, 201]
    assert [r.json()["status"] for r in statuses] == ["confirmed", "confirmed", "waitlisted"]
    detail = client.get(f"/api/v1/events/{forum.pk}/").json()
    assert (detail["confirmed_count"], detail["waitlist_count"]) == (2, 1)
    duplicate = client.post(
        url, {"name": "県民0", "email": "P0@example.jp"}, content_type="application/json"
    )
    assert duplicate.status_code == 400
    forum.registration_closes_at = timezone.now() - datetime.timedelta(seconds=1)
    forum.save()
    closed = client.post(url, {"name": "遅刻"}, content_type="application/json")
    assert closed.status_code == 409
    assert closed.json()["code"] == "closed"


def test_a_sector_event_needs_an_account(client, course):
    response = client.post(
        f"/api/v1/events/{course.pk}/registrations/",
        {"name": "匿名"},
        content_type="application/json",
    )
    assert response.status_code == 404  # not shown to the public at all
    assert not Registration.objects.exists()


def test_corporation_staff_register_for_their_corporation_only(client, course, personas):
    client.force_login(personas.corp_staff)
    url = f"/api/v1/events/{course.pk}/registrations/"
    ok = client.post(
        url,
        {"name": "職員A", "corporation": personas.own_corporation.pk},
        content_type="application/json",
    )
    assert ok.status_code == 201
    other = client.post(
        url,
        {"name": "職員B", "corporation": personas.other_corporation.pk},
        content_type="application/json",
    )
    assert other.status_code == 400


def test_the_organiser_lists_registrations_others_do_not(client, forum, personas):
    actions.register(event=forum, name="県民", email="k@example.jp")
    assert client.get(f"/api/v1/events/{forum.pk}/registrations/").status_code == 404
    client.force_login(personas.center)
    body = client.get(f"/api/v1/events/{forum.pk}/registrations/").json()
    assert [r["name"] for r in body["results"]] == ["県民"]


def test_delete_cancels_and_promotes(client, forum, personas):
    client.force_login(personas.center)
    first = actions.register(event=forum, name="一")
    actions.register(event=forum, name="二")
    waiting = actions.register(event=forum, name="三")
    response = client.delete(f"/api/v1/registrations/{first.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    client.force_login(personas.outsider)
    second = Registration.objects.get(name="二")
    assert client.delete(f"/api/v1/registrations/{second.pk}/").status_code == 404


def test_public_events_are_listed_for_anyone_sector_events_for_staff(
    client, forum, course, personas
):
    titles = {e["title"] for e in client.get("/api/v1/events/").json()["results"]}
    assert titles == {forum.title}
    client.force_login(personas.corp_staff)
    titles = {e["title"] for e in client.get("/api/v1/events/").json()["results"]}
    assert titles == {forum.title, course.title}


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_id_that_is_not_a_number_is_not_found(client, personas, method):
    """Found by the API fuzz: ``/events/null/registrations/`` answered 500."""
    client.force_login(personas.center)
    response = getattr(client, method)("/api/v1/events/null/registrations/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_cancelling_is_documented_as_200_with_the_registration_or_409():
    """Found by the API fuzz: DELETE answered 200 with the cancelled registration, while the
    schema promised 204 and no body."""
    from sasaeai.testing.openapi import responses

    answers = responses("DELETE", "/api/v1/registrations/{id}/")
    assert "204" not in answers
    assert answers["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Registration"
    }
    assert "409" in answers


def test_a_registration_without_an_email_address_fits_the_schema():
    """Found by the API fuzz: a registration taken without an address answered
    ``"email": ""``, which the schema's ``format: email`` refused."""
    import jsonschema

    from sasaeai.testing.openapi import component

    email = component("Registration")["properties"]["email"]
    jsonschema.validate("", email, format_checker=jsonschema.FormatChecker())
