"""Events are tagged with the center's themes (制度の狭間の課題), on the page and in the API."""

import datetime

import pytest
from django.utils import timezone

from sasaeai.events.models import Event
from sasaeai.projects.models import Theme

pytestmark = pytest.mark.django_db


def _post(client, themes):
    day = timezone.localdate() + datetime.timedelta(days=30)
    return client.post(
        "/events/new/",
        {
            "kind": "training",
            "title": "子どもの居場所づくり研修",
            "pillar": "people",
            "audience": "sector",
            "sessions": f"{day.isoformat()} 13:00-16:00 岡山県総合福祉会館",
            "reminder_days": "3",
            "themes": [theme.pk for theme in themes],
        },
    )


def test_an_event_carries_the_themes_of_its_prefecture(client, personas):
    kodomo = Theme.objects.create(prefecture_id="33", code="T05", name="子どもの居場所・学習支援")
    Theme.objects.create(prefecture_id="33", code="T09", name="子ども食堂（地域食堂）")
    client.force_login(personas.center)
    response = _post(client, [kodomo])
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get()
    assert [t.code for t in event.themes.all()] == ["T05"]
    assert "子どもの居場所・学習支援" in client.get(f"/events/{event.pk}/").content.decode()
    body = client.get(f"/api/v1/events/{event.pk}/").json()
    assert body["themes"] == ["T05"]


def test_a_theme_of_another_prefecture_is_not_offered(client, personas):
    tottori = Theme.objects.create(prefecture_id="31", code="T01", name="鳥取のテーマ")
    client.force_login(personas.center)
    response = _post(client, [tottori])
    assert response.status_code == 200
    assert "themes" in response.context["form"].errors
    assert not Event.objects.exists()
