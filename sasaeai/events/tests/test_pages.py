"""The issue's walk on the pages: the course, two corporations, the waitlist, attendance,
certificates; the public registers for the forum without an account."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from sasaeai.events import actions
from sasaeai.events.models import Certificate, Event, Registration

pytestmark = pytest.mark.django_db


def test_the_whole_course_walk(client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.center)
    first = timezone.localdate() + datetime.timedelta(days=40)
    lines = "\n".join(
        f"{(first + datetime.timedelta(weeks=w)).isoformat()} 13:00-16:00 岡山県総合福祉会館"
        for w in range(6)
    )
    response = client.post(
        "/events/new/",
        {
            "kind": "course",
            "title": "コミュニティワーカースキルアップ研修",
            "pillar": "people",
            "audience": "sector",
            "sessions": lines,
            "capacity": "1",
            "completion_min_sessions": "5",
            "reminder_days": "3",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get()
    assert event.sessions.count() == 6

    # Staff of two corporations register: the second is waitlisted.
    client.force_login(personas.corp_staff)
    client.post(
        f"/events/{event.pk}/",
        {
            "form": "staff",
            "name": "津山 一郎",
            "email": "ichiro@example.jp",
            "organisation": f"corporation:{personas.own_corporation.pk}",
        },
    )
    client.force_login(personas.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/events/{event.pk}/",
            {
                "form": "staff",
                "name": "倉敷 二郎",
                "email": "jiro@example.jp",
                "organisation": f"corporation:{personas.other_corporation.pk}",
            },
        )
    ichiro, jiro = Registration.objects.order_by("id")
    assert (ichiro.status, jiro.status) == ("confirmed", "waitlisted")
    # The outsider cannot cancel the other corporation's registration.
    assert client.post(f"/events/registrations/{ichiro.pk}/cancel/").status_code == 404
    # 一郎 cancels: 二郎 is promoted and told by mail.
    client.force_login(personas.corp_staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/registrations/{ichiro.pk}/cancel/")
    jiro.refresh_from_db()
    assert jiro.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["jiro@example.jp"]]

    # Attendance on the tablet list for five sessions; certificates for who completed.
    client.force_login(personas.center)
    for session in event.sessions.order_by("starts_at")[:5]:
        client.post(f"/events/{event.pk}/sessions/{session.pk}/attendance/", {"present": [jiro.pk]})
    assert client.get(f"/events/{event.pk}/manage/").status_code == 200
    client.post(f"/events/{event.pk}/certificates/")
    certificate = Certificate.objects.get()
    assert certificate.registration == jiro
    pdf = client.get(f"/events/{event.pk}/certificates/")
    assert pdf["Content-Type"] == "application/pdf"


def test_the_public_registers_for_the_forum_without_an_account(
    client, forum, django_capture_on_commit_callbacks
):
    page = client.get(f"/events/{forum.pk}/").content.decode()
    assert forum.title in page and 'name="email"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/events/{forum.pk}/",
            {
                "form": "public",
                "name": "県民 花子",
                "affiliation": "",
                "email": "hanako@example.jp",
            },
        )
    registration = Registration.objects.get()
    assert response.url == f"/events/r/{registration.token}/"
    assert registration.token in mail.outbox[0].body
    manage = client.get(response.url).content.decode()
    assert "県民 花子" in manage and "<svg" in manage  # the check-in code
    client.post(response.url, {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_a_sector_event_is_hidden_from_the_public(client, course):
    assert client.get(f"/events/{course.pk}/").status_code == 404
    assert course.title not in client.get("/events/").content.decode()


def test_only_the_center_manages(client, course, personas):
    for persona in (personas.council, personas.corp_staff):
        client.force_login(persona)
        assert client.get(f"/events/{course.pk}/manage/").status_code == 404
        assert client.get(f"/events/{course.pk}/participants.pdf").status_code == 404


def test_evaluation_after_the_event_started(client, personas):
    past = timezone.now() - datetime.timedelta(hours=3)
    event = actions.create_event(
        prefecture="33",
        sessions=[actions.SessionData(past, past + datetime.timedelta(hours=2))],
        kind="training",
        title="コミュニティソーシャルワーク研修",
        audience="public",
    )
    registration = actions.register(event=event, name="参加者", email="e@example.jp")
    client.post(
        f"/events/r/{registration.token}/",
        {"action": "evaluate", "overall": "5", "usefulness": "4", "comment": "役に立った"},
    )
    registration.refresh_from_db()
    assert (registration.evaluation.overall, registration.evaluation.usefulness) == (5, 4)
    client.force_login(personas.center)
    page = client.get(f"/events/{event.pk}/manage/").content.decode()
    assert "役に立った" in page


def test_qr_check_in_by_center_staff(client, course, personas):
    registration = actions.register(event=course, name="QR 太郎")
    session = course.sessions.order_by("starts_at").first()
    url = f"/events/checkin/{registration.token}/"
    client.force_login(personas.corp_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.center)
    assert "QR 太郎" in client.get(url).content.decode()
    client.post(url, {"session": session.pk})
    client.post(url, {"session": session.pk})  # twice is once
    assert registration.attendances.count() == 1


def test_ics_and_public_feed(client, forum, course):
    ics = client.get(f"/events/{forum.pk}/event.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content
    feed = client.get("/events/feed.ics").content.decode()
    assert forum.title in feed and course.title not in feed


def test_members_only_events_refuse_a_non_member(client, personas):
    day = timezone.now() + datetime.timedelta(days=5)
    event = actions.create_event(
        prefecture="33",
        sessions=[actions.SessionData(day, day + datetime.timedelta(hours=2))],
        kind="committee",
        title="会員限定部会",
        audience="members",
    )
    client.force_login(personas.corp_staff)
    page = client.post(
        f"/events/{event.pk}/",
        {
            "form": "staff",
            "name": "非会員",
            "organisation": f"corporation:{personas.own_corporation.pk}",
        },
    ).content.decode()
    assert not Registration.objects.exists()
    assert "会員" in page
    assert "会員ではありません" in page  # the refusal, not only the navigation


def test_history_shows_the_organisation_s_trainings(client, course, personas):
    actions.register(event=course, name="履歴 一", corporation=personas.own_corporation)
    actions.register(event=course, name="他法人", corporation=personas.other_corporation)
    client.force_login(personas.corp_staff)
    page = client.get("/events/history/").content.decode()
    assert "履歴 一" in page and "他法人" not in page


def test_event_list_keeps_a_constant_number_of_queries(
    client, course, forum, personas, django_assert_max_num_queries
):
    client.force_login(personas.center)
    for n in range(5):
        actions.register(event=course, name=f"p{n}")
    with django_assert_max_num_queries(12):
        client.get("/events/")


def test_reports_page_and_workbook(client, personas):
    past = timezone.now() - datetime.timedelta(days=2)
    event = actions.create_event(
        prefecture="33",
        sessions=[actions.SessionData(past, past + datetime.timedelta(hours=2))],
        kind="training",
        title="過去の研修",
        audience="sector",
    )
    registration = actions.register(
        event=event, name="受講者", corporation=personas.own_corporation
    )
    actions.check_in(registration=registration, session=event.sessions.get(), method="list")
    client.force_login(personas.center)
    page = client.get("/events/reports/").content.decode()
    assert "津山市" in page
    workbook = client.get("/events/reports/", {"format": "xlsx"})
    assert workbook.content[:2] == b"PK"
    client.force_login(personas.council)
    assert client.get("/events/reports/").status_code == 404


def test_attendance_sheet_upload_preview_confirm(client, course, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    actions.register(event=course, name="出席 一郎")
    client.force_login(personas.center)
    sheet = "氏名,第1回,第2回\n出席 一郎,○,×\n".encode("cp932")
    preview = client.post(
        f"/events/{course.pk}/attendance/import/",
        {"file": SimpleUploadedFile("出席簿.csv", sheet)},
    )
    token = preview.context["token"]
    client.post(f"/events/{course.pk}/attendance/import/", {"token": token})
    assert Registration.objects.get().attendances.count() == 1
    bad = "氏名,第1回\n知らない人,○\n".encode()
    page = client.post(
        f"/events/{course.pk}/attendance/import/", {"file": SimpleUploadedFile("x.csv", bad)}
    ).content.decode()
    assert "知らない人" in page


def test_the_organiser_edits_details_and_adds_a_session(client, course, personas):
    from sasaeai.events.forms import EventEditForm

    client.force_login(personas.center)
    data = {k: v for k, v in EventEditForm.initial_of(course).items() if v is not None}
    last = course.sessions.order_by("-starts_at").first().starts_at
    extra = timezone.localdate(last) + datetime.timedelta(weeks=1)
    data.update(
        {
            "description": "修了者には修了証を発行します。",
            "sessions": f"{extra.isoformat()} 13:00-16:00 会館",
        }
    )
    response = client.post(f"/events/{course.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    course.refresh_from_db()
    assert course.description.startswith("修了者")
    assert course.sessions.count() == 7
    overlapping = {**data, "sessions": f"{extra.isoformat()} 14:00-15:00 会館"}
    page = client.post(f"/events/{course.pk}/edit/", overlapping)
    assert page.status_code == 200
    assert course.sessions.count() == 7
    client.force_login(personas.council)
    assert client.get(f"/events/{course.pk}/edit/").status_code == 404
