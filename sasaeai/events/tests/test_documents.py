"""The papers and calendar files of an event: certificates, reception list, name cards, ics."""

import datetime
import io
import math
import re

import pypdf
import pytest
import segno
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from sasaeai.core.dates import format_wareki
from sasaeai.events import actions, documents
from sasaeai.events.models import Certificate, CheckInMethod, RegistrationStatus

pytestmark = pytest.mark.django_db


def pdf(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF")
    return pypdf.PdfReader(io.BytesIO(data))


def flat(text: str) -> str:
    """Text without white space: letter-spacing and line wraps put spaces into the extraction."""
    return re.sub(r"\s+", "", text)


def text_of(reader: pypdf.PdfReader) -> str:
    return flat("".join(page.extract_text() for page in reader.pages))


def fonts_of(reader: pypdf.PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def register_many(event, count: int, *, corporation=None) -> list:
    return [
        actions.register(event=event, name=f"参加者{n:02d}", corporation=corporation)
        for n in range(1, count + 1)
    ]


def vevents(ics: bytes) -> list:
    return Calendar.from_ical(ics).walk("VEVENT")


# QR codes -------------------------------------------------------------------------------------


def test_qr_svg_is_inline_svg_of_the_segno_code():
    url = "https://sasaeai.example.jp/events/checkin/abc/"
    svg = documents.qr_svg(url)
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert "<path" in svg
    assert 'viewBox="0 0 ' in svg
    expected = segno.make(url, error="m")
    size = expected.symbol_size(scale=4)[0]
    assert f'width="{size}" height="{size}"' in svg
    # The same symbol as segno draws it: the path data is identical.
    assert expected.svg_inline(scale=4, omitsize=True).split(' d="')[1] in svg


def test_checkin_url_is_the_site_url_and_the_registration_token(forum):
    registration = actions.register(event=forum, name="山田 花子")
    url = documents.checkin_url(registration)
    assert url.startswith(settings.SASAEAI_SITE_URL + "/")
    assert url == f"{settings.SASAEAI_SITE_URL}/events/checkin/{registration.token}/"


# Certificates ---------------------------------------------------------------------------------


def complete(course, registrations, *, sessions: int) -> list[Certificate]:
    for session in course.sessions.order_by("number")[:sessions]:
        for registration in registrations:
            actions.check_in(registration=registration, session=session, method=CheckInMethod.QR)
    return actions.issue_certificates(event=course)


def test_certificates_one_landscape_page_each_with_name_title_and_wareki_dates(
    course, personas, django_assert_max_num_queries
):
    a = actions.register(event=course, name="岡山 太郎", corporation=personas.own_corporation)
    b = actions.register(event=course, name="津山 花子", affiliation="津山市社会福祉協議会")
    certificates = complete(course, [a, b], sessions=6)
    assert len(certificates) == 2

    with django_assert_max_num_queries(3):
        reader = pdf(documents.certificates_pdf(certificates))

    assert len(reader.pages) == 2
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    first = flat(reader.pages[0].extract_text())
    assert "修了証" in first
    assert "岡山太郎殿" in first
    assert personas.own_corporation.name in first
    second = flat(reader.pages[1].extract_text())
    assert "津山花子殿" in second and "津山市社会福祉協議会" in second
    assert "コミュニティワーカースキルアップ研修" in first
    assert "全6回" in first and "全課程を修了" in first
    assert certificates[0].number in first
    sessions = list(course.sessions.order_by("starts_at"))
    assert format_wareki(timezone.localtime(sessions[0].starts_at).date()) in first
    assert format_wareki(timezone.localtime(sessions[-1].starts_at).date()) in first
    assert format_wareki(timezone.localdate()) in first  # the issue date
    assert "令和" in first
    assert "岡山ささえ愛センター" in first
    assert any("IPAexMincho" in font for font in fonts_of(reader))


def test_certificate_of_who_completed_with_fewer_than_all_sessions_says_how_many(course):
    registration = actions.register(event=course, name="倉敷 次郎")
    complete(course, [registration], sessions=5)

    text = text_of(pdf(documents.certificates_pdf(Certificate.objects.all())))

    assert "全6回" in text and "5回を受講" in text
    assert "全課程" not in text


def test_certificate_without_organiser_names_the_prefectures_center(forum, personas):
    forum.organiser = ""
    forum.save(update_fields=["organiser"])
    registration = actions.register(event=forum, name="鳥取 三郎")
    complete(forum, [registration], sessions=1)

    text = text_of(pdf(documents.certificates_pdf(Certificate.objects.all())))

    assert personas.okayama_center.short_name in text
    assert "開催日" in text and "全1回" not in text


# Reception list -------------------------------------------------------------------------------


def test_participants_list_confirmed_then_waitlist_without_the_cancelled(course):
    _one, two, _three, _four, five = (
        actions.register(event=course, name=name)
        for name in ["一ノ瀬 一郎", "二宮 二郎", "三浦 三郎", "四方 四郎", "五木 五郎"]
    )
    actions.cancel_registration(registration=two)  # 四方 moves up; 五木 still waits
    five.refresh_from_db()
    assert five.status == RegistrationStatus.WAITLISTED

    reader = pdf(documents.participants_pdf(course))
    text = text_of(reader)

    assert "コミュニティワーカースキルアップ研修" in text
    assert "二宮二郎" not in text
    order = [text.index(name) for name in ["一ノ瀬", "三浦", "四方", "五木"]]
    assert order == sorted(order)
    assert "1一ノ瀬一郎確定2三浦三郎確定3四方四郎確定4五木五郎キャンセル待ち" in text
    assert "第6回" in text and "令和" in text
    page = reader.pages[0]
    assert page.mediabox.height > page.mediabox.width  # portrait
    assert any("IPAex" in font for font in fonts_of(reader))


# Name cards -----------------------------------------------------------------------------------


@pytest.mark.parametrize("confirmed", [1, 10, 11])
def test_name_cards_ten_to_a_page_for_the_confirmed(course, personas, confirmed):
    course.capacity = None
    course.save(update_fields=["capacity"])
    register_many(course, confirmed, corporation=personas.own_corporation)

    reader = pdf(documents.name_cards_pdf(course))

    assert len(reader.pages) == math.ceil(confirmed / 10)
    text = text_of(reader)
    assert "参加者01" in text and f"参加者{confirmed:02d}" in text
    assert personas.own_corporation.name in text
    assert any("IPAexGothic" in font for font in fonts_of(reader))


def test_name_cards_leave_out_the_waitlist_and_carry_each_checkin_code(course, monkeypatch):
    registrations = register_many(course, 4)  # capacity 3: the fourth waits
    drawn = []
    real = documents.qr_svg
    monkeypatch.setattr(documents, "qr_svg", lambda data, **kw: drawn.append(data) or real(data))

    text = text_of(pdf(documents.name_cards_pdf(course)))

    assert "参加者03" in text and "参加者04" not in text
    assert drawn == [documents.checkin_url(r) for r in registrations[:3]]


def test_papers_of_an_event_nobody_registered_for_say_so(forum):
    cards = pdf(documents.name_cards_pdf(forum))
    reception = pdf(documents.participants_pdf(forum))

    assert len(cards.pages) == 1 and "確定した参加者はいません" in text_of(cards)
    assert "申込みはまだありません" in text_of(reception)


# Calendar files -------------------------------------------------------------------------------


def test_event_ics_has_a_vevent_per_session_in_tokyo_time(course):
    session = course.sessions.get(number=2)
    session.online_url = "https://meet.example.jp/abc"
    session.save(update_fields=["online_url"])

    calendar = Calendar.from_ical(documents.event_ics(course))
    events = calendar.walk("VEVENT")

    assert str(calendar["PRODID"]) == "-//Sasae-ai//JP"
    assert len(events) == 6
    second = next(e for e in events if str(e["UID"]) == f"session-{session.pk}@sasaeai")
    start = second.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Tokyo" and start.hour == 13
    assert start == session.starts_at
    assert second.decoded("DTEND") == session.ends_at
    assert str(second["SUMMARY"]) == "コミュニティワーカースキルアップ研修 第2回"
    assert str(second["LOCATION"]) == "岡山県総合福祉会館"
    assert str(second["URL"]) == "https://meet.example.jp/abc"
    assert "https://meet.example.jp/abc" in str(second["DESCRIPTION"])
    assert str(second["STATUS"]) == "CONFIRMED"
    assert calendar.walk("VTIMEZONE")


def test_one_session_event_summary_is_its_title_and_cancelled_shows(forum):
    forum = actions.cancel_event(event=forum, reason="台風のため")

    (event,) = vevents(documents.event_ics(forum))

    assert str(event["SUMMARY"]) == "地域福祉実践フォーラム"
    assert str(event["STATUS"]) == "CANCELLED"
    assert "URL" not in event


def test_public_feed_names_the_calendar_and_holds_every_session(
    course, forum, django_assert_max_num_queries
):
    from sasaeai.events.models import Event

    with django_assert_max_num_queries(2):
        ics = documents.public_feed(Event.objects.all(), name="岡山ささえ愛センター 研修・行事")

    calendar = Calendar.from_ical(ics)
    assert str(calendar["X-WR-CALNAME"]) == "岡山ささえ愛センター 研修・行事"
    assert len(calendar.walk("VEVENT")) == 7
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert len(uids) == 7
    assert all(isinstance(e.decoded("DTSTART"), datetime.datetime) for e in vevents(ics))
