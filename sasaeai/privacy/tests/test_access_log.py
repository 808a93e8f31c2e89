"""Viewing personal data writes an access entry naming the user and the object."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from sasaeai.events.models import Event
from sasaeai.surveys.models import Round

pytestmark = pytest.mark.django_db


def _accesses(model, pk):
    return LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(model),
        object_id=pk,
    )


def test_the_registration_list_of_an_event_is_recorded(client, personas, hanako):
    client.force_login(personas.center)
    assert client.get(f"/events/{hanako.event.pk}/manage/").status_code == 200
    client.get(f"/events/{hanako.event.pk}/participants.pdf")
    entries = _accesses(Event, hanako.event.pk)
    assert [(e.actor, e.additional_data["viewed"]) for e in entries.order_by("pk")] == [
        (personas.center, "registrations"),
        (personas.center, "participants.pdf"),
    ]


def test_free_text_answers_are_recorded_the_shared_view_is_not(client, personas, hanako):
    client.force_login(personas.center)
    client.get(f"/surveys/rounds/{hanako.round.pk}/results/?shared=1")
    assert not _accesses(Round, hanako.round.pk).exists()
    client.get(f"/surveys/rounds/{hanako.round.pk}/results/")
    assert _accesses(Round, hanako.round.pk).get().actor == personas.center


def test_a_page_refused_records_nothing(client, personas, hanako):
    client.force_login(personas.outsider)
    assert client.get(f"/events/{hanako.event.pk}/manage/").status_code == 404
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_registrations_of_the_api_are_recorded(client, personas, hanako):
    client.force_login(personas.center)
    assert client.get(f"/api/v1/events/{hanako.event.pk}/registrations/").status_code == 200
    entry = _accesses(Event, hanako.event.pk).get()
    assert (entry.actor, entry.additional_data) == (
        personas.center,
        {"viewed": "registrations (API)"},
    )
