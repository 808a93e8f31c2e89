import datetime

import pytest
from django.utils import timezone

from sasaeai.events import actions
from sasaeai.events.models import Audience, EventKind


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def course(personas):
    """The six-session community worker course, from June, 3 seats, 5 of 6 to complete."""
    first = timezone.localdate() + datetime.timedelta(days=30)
    sessions = [
        actions.SessionData(
            at(first + datetime.timedelta(weeks=w), 13),
            at(first + datetime.timedelta(weeks=w), 16),
            venue="岡山県総合福祉会館",
        )
        for w in range(6)
    ]
    return actions.create_event(
        prefecture="33",
        sessions=sessions,
        kind=EventKind.COURSE,
        title="コミュニティワーカースキルアップ研修",
        audience=Audience.SECTOR,
        capacity=3,
        completion_min_sessions=5,
        organiser="岡山ささえ愛センター",
        by=personas.center,
    )


@pytest.fixture
def forum(personas):
    day = timezone.localdate() + datetime.timedelta(days=20)
    return actions.create_event(
        prefecture="33",
        sessions=[actions.SessionData(at(day, 13), at(day, 17), venue="岡山市民会館")],
        kind=EventKind.FORUM,
        title="地域福祉実践フォーラム",
        audience=Audience.PUBLIC,
        capacity=2,
        by=personas.center,
    )
