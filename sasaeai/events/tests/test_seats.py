"""Seats, the waitlist and the rules of registration."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from sasaeai.events import actions
from sasaeai.events.models import Event, Registration, RegistrationStatus

from .conftest import at

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"
pytestmark = pytest.mark.usefixtures("english")


def reg(event, name, **kwargs):
    return actions.register(event=event, name=name, **kwargs)


def statuses(event):
    return list(event.registrations.order_by("created_at", "id").values_list("name", "status"))


@pytest.mark.django_db
def test_seats_then_waitlist_then_promotion_in_order(course, personas):
    a = reg(course, "一郎", corporation=personas.own_corporation)
    reg(course, "二郎", corporation=personas.own_corporation)
    reg(course, "三郎", corporation=personas.other_corporation)
    d = reg(course, "四郎", corporation=personas.other_corporation)
    e = reg(course, "五郎", corporation=personas.other_corporation)
    assert (d.status, e.status) == (WAITLISTED, WAITLISTED)
    actions.cancel_registration(registration=a)
    assert dict(statuses(course)) == {
        "一郎": CANCELLED,
        "二郎": CONFIRMED,
        "三郎": CONFIRMED,
        "四郎": CONFIRMED,  # the first of the waitlist
        "五郎": WAITLISTED,
    }
    d.refresh_from_db()
    assert d.promoted_at is not None


@pytest.mark.django_db
def test_mail_on_registration_and_promotion(forum, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = reg(forum, "県民 一", email="a@example.jp")
        reg(forum, "県民 二", email="b@example.jp")
        reg(forum, "県民 三", email="c@example.jp")
    assert [m.to for m in mail.outbox] == [["a@example.jp"], ["b@example.jp"], ["c@example.jp"]]
    assert "キャンセル待ち" in mail.outbox[2].body
    assert a.token in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_registration(registration=a)
    assert [m.to for m in mail.outbox] == [["c@example.jp"]]
    assert "繰り上がり" in mail.outbox[0].subject


@pytest.mark.django_db
def test_capacity_never_below_confirmed_and_more_seats_promote(course):
    for name in "ABCDE":
        reg(course, name)
    with pytest.raises(ValidationError, match="below the 3 confirmed"):
        actions.change_capacity(event=course, capacity=2)
    actions.change_capacity(event=course, capacity=4)
    assert [s for _n, s in statuses(course)].count(CONFIRMED) == 4


@pytest.mark.django_db
def test_registration_after_the_deadline_or_for_a_cancelled_event(course):
    course.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    course.save()
    with pytest.raises(ValidationError, match="closed"):
        reg(course, "遅い人")
    course.registration_closes_at = None
    course.save()
    actions.cancel_event(event=course, reason="台風のため")
    with pytest.raises(ValidationError, match="cancelled"):
        reg(course, "誰か")
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_same_person_cannot_register_twice(course, personas):
    reg(course, "岡山 太郎", email="Taro@example.jp")
    with pytest.raises(ValidationError, match="already registered"):
        reg(course, "岡山太郎", email="taro@example.jp ")
    reg(course, "津山 花子", corporation=personas.own_corporation)
    with pytest.raises(ValidationError, match="already registered"):
        reg(course, "津山　花子", corporation=personas.own_corporation)
    assert course.registrations.count() == 2


@pytest.mark.django_db
def test_a_cancelled_person_may_register_again(course):
    first = reg(course, "再登録", email="x@example.jp")
    actions.cancel_registration(registration=first)
    assert reg(course, "再登録", email="x@example.jp").status == CONFIRMED


@pytest.mark.django_db
def test_per_organisation_limit(course, personas):
    course.per_organisation_limit = 1
    course.save()
    reg(course, "一人目", corporation=personas.own_corporation)
    with pytest.raises(ValidationError, match="limit"):
        reg(course, "二人目", corporation=personas.own_corporation)


@pytest.mark.django_db
def test_cancellation_cutoff_for_the_registrant_not_for_staff(course):
    r = reg(course, "締切後")
    course.cancellation_cutoff = timezone.now() - datetime.timedelta(hours=1)
    course.save()
    with pytest.raises(ValidationError, match="no longer be cancelled"):
        actions.cancel_registration(registration=r)
    actions.cancel_registration(registration=r, staff=True)
    r.refresh_from_db()
    assert r.status == CANCELLED


@pytest.mark.django_db
def test_sessions_that_overlap_or_end_before_they_start(personas):
    day = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError, match="ends before it starts"):
        actions.create_event(
            prefecture="33",
            sessions=[actions.SessionData(at(day, 15), at(day, 13))],
            kind="training",
            title="x",
            audience="sector",
        )
    with pytest.raises(ValidationError, match="overlap"):
        actions.create_event(
            prefecture="33",
            sessions=[
                actions.SessionData(at(day, 13), at(day, 16)),
                actions.SessionData(at(day, 15), at(day, 17)),
            ],
            kind="course",
            title="x",
            audience="sector",
        )
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_completion_five_of_six_and_certificates_once(course, personas):
    people = [reg(course, n) for n in ("全出席", "5回", "4回")]
    sessions = list(course.sessions.order_by("starts_at"))
    for person, count in zip(people, (6, 5, 4), strict=True):
        for session in sessions[:count]:
            actions.check_in(registration=person, session=session, method="list")
    issued = actions.issue_certificates(event=course)
    assert [c.registration.name for c in issued] == ["全出席", "5回"]
    assert issued[0].number.endswith("-001")
    assert actions.issue_certificates(event=course) == []  # never twice


@pytest.mark.django_db
def test_only_confirmed_people_check_in(course):
    for name in "ABC":
        reg(course, name)
    waiting = reg(course, "D")
    with pytest.raises(ValidationError, match="no confirmed seat"):
        actions.check_in(registration=waiting, session=course.sessions.first(), method="qr")


@pytest.mark.django_db
def test_reminders_go_once(forum, django_capture_on_commit_callbacks):
    from sasaeai.events.reminders import send_reminders

    reg(forum, "県民", email="r@example.jp")
    mail.outbox.clear()
    first_day = timezone.localdate(forum.sessions.first().starts_at)
    today = first_day - datetime.timedelta(days=forum.reminder_days)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=today) == 1
        assert send_reminders(today=today) == 0
        assert send_reminders(today=today - datetime.timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [["r@example.jp"]]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; the SQLite test database is in memory (CI runs both)",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_for_the_last_seats_never_overbook(forum):
    count = 40
    barrier = threading.Barrier(count)
    outcomes = []

    def attempt(number):
        try:
            barrier.wait(timeout=10)
            outcomes.append(reg(Event.objects.get(pk=forum.pk), f"参加者{number}").status)
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == [CONFIRMED, WAITLISTED], outcomes
    assert outcomes.count(CONFIRMED) == forum.capacity == 2
    assert Registration.objects.filter(event=forum).count() == count  # none lost
    assert (
        Registration.objects.filter(event=forum, status=RegistrationStatus.CONFIRMED).count() == 2
    )


@pytest.mark.django_db
def test_remind_events_command(forum):
    from io import StringIO

    from django.core.management import call_command

    reg(forum, "県民", email="cmd@example.jp")
    out = StringIO()
    call_command("remind_events", stdout=out)
    assert "リマインド" in out.getvalue() or "reminders queued" in out.getvalue()


@pytest.mark.django_db
def test_insert_rows_calls_a_callable_default_for_each_row(forum):
    from sasaeai.core.db.bulk import insert_rows

    rows = [
        {"event_id": forum.pk, "status": CONFIRMED, "name": f"一括{n}", "person_key": f"k{n}"}
        for n in range(3)
    ]
    assert insert_rows(Registration, rows, now=timezone.now()) == 3
    tokens = set(Registration.objects.values_list("token", flat=True))
    assert len(tokens) == 3  # each row its own token, not one for all


@pytest.mark.django_db
def test_a_registration_mail_sent_again_by_a_rerun_task_is_the_same_message(
    forum, django_capture_on_commit_callbacks
):
    from sasaeai.events.tasks import send_registration_mail

    with django_capture_on_commit_callbacks(execute=True):
        registration = actions.register(event=forum, name="県民 一", email="a@example.jp")
    send_registration_mail.call(registration.pk, "registered")  # the task run again
    send_registration_mail.call(registration.pk, "reminder")
    first, rerun, reminder = (m.extra_headers["Message-ID"] for m in mail.outbox)
    assert first == rerun != reminder
