"""One person, 岡山 花子, known to several apps of Okayama, and to an event in Tottori."""

import copy
import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sasaeai.events import actions as events
from sasaeai.events.models import Audience, EventKind
from sasaeai.publishing.models import Subscriber
from sasaeai.surveys import actions as surveys
from sasaeai.surveys import definition
from sasaeai.surveys.tests.fixtures import DEFINITION, deadline
from sasaeai.testing.factories import corporation_staff

EMAIL = "hanako@example.jp"


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def held_event(prefecture: str, title: str, *, by=None):
    """An event with one session, 20 days ahead (``move_back`` puts it in the past)."""
    day = timezone.localdate() + datetime.timedelta(days=20)
    event = events.create_event(
        prefecture=prefecture,
        sessions=[events.SessionData(at(day, 13), at(day, 16), venue="会館")],
        kind=EventKind.TRAINING,
        title=title,
        audience=Audience.PUBLIC,
        capacity=10,
        by=by,
    )
    return event


def move_back(event, days_ago: int) -> None:
    past = timezone.localdate() - datetime.timedelta(days=days_ago)
    event.sessions.update(starts_at=at(past, 13), ends_at=at(past, 16))


@pytest.fixture
def hanako(personas):
    okayama = held_event("33", "地域福祉コーディネーター研修", by=personas.center)
    registration = events.register(event=okayama, name="岡山 花子", email=EMAIL)
    other = events.register(event=okayama, name="倉敷 次郎", email="jiro@example.jp")
    session = okayama.sessions.get()
    move_back(okayama, 10)
    session.refresh_from_db()
    events.check_in(registration=registration, session=session, method="qr")
    events.check_in(registration=other, session=session, method="qr")

    tottori = held_event("31", "鳥取県の研修")
    far = events.register(event=tottori, name="岡山 花子", email=EMAIL)

    subscriber = Subscriber.objects.create(
        prefecture_id="33", email=EMAIL, confirmed_at=timezone.now()
    )
    survey = definition.import_definition(copy.deepcopy(DEFINITION), prefecture="33")
    round_ = surveys.create_round(
        survey=survey,
        title="令和元年度 取組状況調査",
        target_kind="corporations",
        deadline=deadline(),
    )
    invitation = round_.invitations.get(corporation=personas.own_corporation)
    invitation.email = EMAIL
    invitation.save()
    surveys.save_answers(
        invitation=invitation,
        raw={
            "doing": "yes",
            "what": ["kodomo"],
            "comment": "岡山花子です。子ども食堂の相談をしたい",
        },
    )
    user = corporation_staff(
        personas.own_corporation,
        username="hanako",
        email=EMAIL,
        last_name="岡山",
        first_name="花子",
    )
    return SimpleNamespace(
        registration=registration,
        other=other,
        event=okayama,
        far=far,
        subscriber=subscriber,
        invitation=invitation,
        round=round_,
        user=user,
    )
