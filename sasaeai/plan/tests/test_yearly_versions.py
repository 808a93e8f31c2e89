"""The yearly counts of events are cached per fiscal year: a write in one year refreshes that
year's figures (and only those), through every kind of write, including the attendance list's
bulk insert and an event moved to another fiscal year."""

import datetime

import pytest
from django.utils import timezone

from sasaeai.core import kpis
from sasaeai.events import actions
from sasaeai.events.models import EventKind
from sasaeai.plan.figures import Figures

D = datetime.date


def at(day, hour=13):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def held(day, title="研修", **fields):
    return actions.create_event(
        prefecture="33",
        sessions=[actions.SessionData(at(day), at(day, 16))],
        title=title,
        kind=EventKind.TRAINING,
        audience="sector",
        **fields,
    )


DAYS = {D(2019, 3, 31), D(2020, 3, 31)}  # the ends of FY2018 and FY2019


def figures():
    wanted = {kpis.get("trainings_held"): DAYS, kpis.get("training_participants"): DAYS}
    reader = Figures("33")
    reader.load_tokens(wanted)
    values = reader.values(wanted)
    return {
        (code, day.year - 1): value for (code, day), value in values.items()
    }  # (code, fiscal year) → value


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


def test_a_write_refreshes_its_fiscal_year_only(personas, commit):
    commit(lambda: held(D(2018, 6, 1)))
    first = figures()
    assert first[("trainings_held", 2018)] == 1
    assert first[("trainings_held", 2019)] == 0
    event = commit(lambda: held(D(2019, 6, 1)))
    second = figures()
    assert second[("trainings_held", 2019)] == 1
    assert second[("trainings_held", 2018)] == 1
    registration = commit(
        lambda: actions.register(event=event, name="岡山 花子", now=at(D(2019, 5, 1)))
    )
    session = event.sessions.get()
    commit(lambda: actions.set_attendance(session=session, present=[registration.pk]))
    assert figures()[("training_participants", 2019)] == 1  # the bulk insert bumped FY2019
    commit(lambda: actions.set_attendance(session=session, present=[]))
    assert figures()[("training_participants", 2019)] == 0


def test_an_event_moved_to_another_year_refreshes_both(personas, commit):
    # Held in March 2019 but entered under FY2019 by mistake, then corrected.
    event = commit(lambda: held(D(2019, 3, 10), fiscal_year=2019))
    before = figures()
    assert (before[("trainings_held", 2018)], before[("trainings_held", 2019)]) == (0, 1)

    def move():
        event.fiscal_year = 2018
        event.save()

    commit(move)
    after = figures()
    assert after[("trainings_held", 2019)] == 0
    assert after[("trainings_held", 2018)] == 1


def test_a_cached_year_is_not_measured_again(personas, commit, django_assert_max_num_queries):
    commit(lambda: held(D(2018, 6, 1)))
    figures()
    commit(lambda: held(D(2019, 6, 1)))
    wanted = {kpis.get("trainings_held"): {D(2019, 3, 31)}}
    reader = Figures("33")
    with django_assert_max_num_queries(1):  # the tokens; FY2018's figure from the cache
        reader.load_tokens(wanted)
        assert reader.values(wanted)[("trainings_held", D(2019, 3, 31))] == 1
