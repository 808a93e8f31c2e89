"""Importing an attendance sheet (出席簿): matching people, reading marks, all or nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sasaeai.core.dates import format_wareki
from sasaeai.core.tabular import TableError
from sasaeai.events import actions
from sasaeai.events.attendance_import import (
    AttendanceImportRefused,
    SessionRef,
    apply_attendance,
    parse_mark,
    plan_attendance,
    session_reference,
)
from sasaeai.events.models import Attendance

pytestmark = pytest.mark.usefixtures("english")


def xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def csv(rows, encoding="utf-8-sig"):
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    return io.BytesIO(text.encode(encoding))


def attended(event):
    """(name, session number, method) of every attendance of the event."""
    return sorted(
        Attendance.objects.filter(session__event=event).values_list(
            "registration__name", "session__number", "method"
        )
    )


def marks(plan):
    return sorted((m.registration.name, m.session.number, m.present) for m in plan.marks)


def errors(plan):
    return [str(error) for error in plan.errors]


@pytest.fixture
def people(course, personas):
    course = actions.change_capacity(event=course, capacity=10)
    return {
        "yamada": actions.register(
            event=course,
            name="山田太郎",
            email="yamada@example.jp",
            corporation=personas.own_corporation,
        ),
        "sato": actions.register(
            event=course, name="佐藤花子", corporation=personas.other_corporation
        ),
        "suzuki": actions.register(event=course, name="鈴木一郎", affiliation="地域住民の会"),
    }


@pytest.mark.django_db
def test_an_excel_sheet_marks_attendance_and_a_second_import_changes_nothing(course, people):
    sheet = xlsx(
        [
            ["No.", "氏名", "所属", "メール", "第1回", "第2回", "第3回"],
            [1, "山田 太郎", None, "Yamada@Example.JP", "○", "×", True],
            [2, "佐藤　花子", None, None, "出席", "欠席", None],
            [3, "鈴木一郎", "地域住民の会", None, 1, 0, "◯"],
            [4, None, None, None, None, None, None],  # a numbered, empty line of the form
        ]
    )
    plan = plan_attendance(sheet, event=course, filename="出席簿.xlsx")
    assert plan.ok, errors(plan)
    assert [s.number for s in plan.sessions] == [1, 2, 3]
    assert plan.unknown_columns == ("No.",)
    assert marks(plan) == [
        ("佐藤花子", 1, True),
        ("佐藤花子", 2, False),
        ("佐藤花子", 3, False),
        ("山田太郎", 1, True),
        ("山田太郎", 2, False),
        ("山田太郎", 3, True),
        ("鈴木一郎", 1, True),
        ("鈴木一郎", 2, False),
        ("鈴木一郎", 3, True),
    ]
    assert (plan.to_add, plan.to_remove, plan.unchanged) == (5, 0, 4)
    assert apply_attendance(plan, by=course.created_by) == 5
    expected = [
        ("佐藤花子", 1, "sheet"),
        ("山田太郎", 1, "sheet"),
        ("山田太郎", 3, "sheet"),
        ("鈴木一郎", 1, "sheet"),
        ("鈴木一郎", 3, "sheet"),
    ]
    assert attended(course) == expected
    before = set(Attendance.objects.values_list("pk", flat=True))
    sheet.seek(0)
    again = plan_attendance(sheet, event=course)
    assert (again.to_add, again.to_remove, again.unchanged) == (0, 0, 9)
    assert apply_attendance(again) == 5
    assert set(Attendance.objects.values_list("pk", flat=True)) == before


@pytest.mark.django_db
def test_a_utf8_csv_with_full_width_headers_keeps_a_qr_check_in_and_removes_an_absence(
    course, people
):
    yamada = people["yamada"]
    for number in (1, 2):
        actions.check_in(
            registration=yamada, session=course.sessions.get(number=number), method="qr"
        )
    sheet = csv([["氏名", "所属", "１回目", "２回目"], ["山田　太郎", "", "○", "×"]])
    plan = plan_attendance(sheet, event=course)
    assert plan.ok, errors(plan)
    assert (plan.to_add, plan.to_remove, plan.unchanged) == (0, 1, 1)
    assert apply_attendance(plan) == 1
    assert attended(course) == [("山田太郎", 1, "qr")]


@pytest.mark.django_db
def test_a_cp932_csv_headed_by_session_dates(course, people):
    days = [timezone.localdate(s.starts_at) for s in course.sessions.order_by("number")]
    headers = [
        "氏名",
        f"{days[0].month}/{days[0].day}",
        format_wareki(days[1], style="short"),
        f"{days[2].month}月{days[2].day}日",
        days[3].isoformat(),
    ]
    sheet = csv([headers, ["佐藤花子", "出", "欠", "", "出"]], encoding="cp932")
    plan = plan_attendance(sheet, event=course, filename="出席簿.csv")
    assert plan.ok, errors(plan)
    assert [s.number for s in plan.sessions] == [1, 2, 4]
    assert [s.number for s in plan.unmarked_sessions] == [3]
    assert apply_attendance(plan) == 2
    assert attended(course) == [("佐藤花子", 1, "sheet"), ("佐藤花子", 4, "sheet")]


@pytest.mark.django_db
def test_a_column_without_any_mark_leaves_its_session_as_it_is(course, people):
    suzuki = people["suzuki"]
    actions.check_in(registration=suzuki, session=course.sessions.get(number=2), method="qr")
    sheet = csv([["氏名", "第1回", "第2回"], ["鈴木一郎", "○", ""], ["佐藤花子", "×", ""]])
    plan = plan_attendance(sheet, event=course)
    assert [s.number for s in plan.unmarked_sessions] == [2]
    assert apply_attendance(plan) == 1
    assert attended(course) == [("鈴木一郎", 1, "sheet"), ("鈴木一郎", 2, "qr")]


@pytest.mark.django_db
def test_a_title_above_the_header_is_skipped(course, people):
    sheet = xlsx(
        [
            ["コミュニティワーカースキルアップ研修 出席簿"],
            [],
            ["氏名", "第一回", "第二回"],
            ["鈴木一郎", "○", "○"],
            ["知らない人", "○", "○"],
        ]
    )
    plan = plan_attendance(sheet, event=course)
    assert errors(plan) == [
        "Row 5, 氏名 “知らない人”: No registration for this event is named “知らない人”."
    ]


@pytest.mark.django_db
def test_two_people_of_one_name_are_told_apart_by_their_organisation(course, personas):
    course = actions.change_capacity(event=course, capacity=10)
    own, other = personas.own_corporation, personas.other_corporation
    actions.register(event=course, name="佐藤花子", corporation=own)
    actions.register(event=course, name="佐藤花子", corporation=other)
    short_name = other.name.removeprefix("社会福祉法人")
    sheet = csv([["氏名", "所属", "第1回"], ["佐藤 花子", short_name, "○"]])
    plan = plan_attendance(sheet, event=course)
    assert plan.ok, errors(plan)
    assert [m.registration.corporation for m in plan.marks] == [other]


@pytest.mark.django_db
def test_every_problem_of_a_sheet_is_reported_and_nothing_is_written(course, personas):
    own, other = personas.own_corporation, personas.other_corporation
    actions.register(event=course, name="佐藤花子", corporation=own)
    actions.register(event=course, name="佐藤花子", corporation=other)
    actions.register(event=course, name="山田太郎", email="yamada@example.jp")
    actions.register(event=course, name="伊藤三郎")  # the course is full: waitlisted
    takahashi = actions.register(event=course, name="高橋次郎")
    actions.cancel_registration(registration=takahashi, staff=True)
    sheet = xlsx(
        [
            ["氏名", "所属", "メール", "第1回", "第７回"],
            ["佐藤花子", None, None, "○", None],
            ["山田太郎", None, None, "済", None],
            ["伊藤三郎", None, None, "○", None],
            ["高橋次郎", None, None, "○", None],
            ["知らない人", None, "who@example.jp", "○", None],
            ["山田 太郎", None, None, "×", None],
            ["鈴木", None, "not an address", "○", None],
        ]
    )
    plan = plan_attendance(sheet, event=course)
    assert not plan.ok
    first, second = own.name, other.name
    assert errors(plan) == [
        "Row 1, 第７回: There is no session 7: this event has 6 sessions.",
        f"Row 2, 氏名 “佐藤花子”: 2 confirmed registrations are named “佐藤花子” ({first}, "
        f"{second}): enter the organisation in “所属” or the email address in “メール” to tell "
        "them apart.",
        "Row 3, 第1回 “済”: Enter ○ or 出席 for present, × or 欠席 (or nothing) for absent.",
        "Row 4, 氏名 “伊藤三郎”: 伊藤三郎 has no confirmed seat (waitlisted), so cannot be "
        "marked present.",
        "Row 5, 氏名 “高橋次郎”: 高橋次郎 has no confirmed seat (cancelled), so cannot be "
        "marked present.",
        "Row 6, 氏名 “知らない人”: No registration for this event has the email address "
        "who@example.jp or the name “知らない人”.",
        "Row 7, 氏名 “山田 太郎”: Row 3 already gives the attendance of 山田太郎.",
        "Row 8, メール “not an address”: Enter a valid email address.",
    ]
    with pytest.raises(AttendanceImportRefused):
        apply_attendance(plan)
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_sheet_without_session_columns(course, people):
    plan = plan_attendance(csv([["氏名", "所属", "備考"], ["鈴木一郎", "", ""]]), event=course)
    assert errors(plan) == [
        "Row 1, header row: No column names a session: head one column per session 第1回, "
        "第2回 … (or 1回目, or the session's date such as 6/15). The columns found are: 氏名, "
        "所属, 備考."
    ]


@pytest.mark.django_db
def test_a_sheet_without_a_name_column_is_refused(course, people):
    with pytest.raises(TableError, match="Required columns are missing: 氏名"):
        plan_attendance(csv([["所属", "第1回"], ["地域住民の会", "○"]]), event=course)


@pytest.mark.django_db
def test_a_date_naming_no_session(course, people):
    day = timezone.localdate(course.sessions.get(number=1).starts_at) - datetime.timedelta(days=1)
    plan = plan_attendance(csv([["氏名", day.isoformat()], ["鈴木一郎", "○"]]), event=course)
    assert errors(plan) == [
        f"Row 1, {day.isoformat()}: No session of this event is on {day.isoformat()}."
    ]


@pytest.mark.django_db
def test_two_columns_for_one_session(course, people):
    day = timezone.localdate(course.sessions.get(number=1).starts_at)
    header = f"{day.month}/{day.day}"
    plan = plan_attendance(csv([["氏名", "第1回", header], ["鈴木一郎", "○", "○"]]), event=course)
    assert errors(plan) == [f"Row 1, {header}: Column “第1回” already gives session 1."]


@pytest.mark.django_db
def test_a_registration_cancelled_after_the_check_is_refused_on_apply(course, people):
    plan = plan_attendance(
        csv([["氏名", "第1回"], ["鈴木一郎", "○"], ["佐藤花子", "○"]]), event=course
    )
    assert plan.ok
    actions.cancel_registration(registration=people["sato"], staff=True)
    with pytest.raises(AttendanceImportRefused) as refused:
        apply_attendance(plan)
    assert [str(e) for e in refused.value.errors] == [
        "Row 3, 氏名 “佐藤花子”: 佐藤花子 no longer has a confirmed seat (cancelled): check the "
        "sheet again."
    ]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("header", "reference"),
    [
        ("第1回", SessionRef(number=1)),
        ("第１回（6/15）", SessionRef(number=1)),
        ("第 2 回", SessionRef(number=2)),
        ("第十二回", SessionRef(number=12)),
        ("第二十一回", SessionRef(number=21)),
        ("3回目", SessionRef(number=3)),
        ("３回", SessionRef(number=3)),
        ("6/15", SessionRef(month_day=(6, 15))),
        ("６月１５日（日）", SessionRef(month_day=(6, 15))),
        ("R7.6.15", SessionRef(date=datetime.date(2025, 6, 15))),
        ("令和7年6月15日", SessionRef(date=datetime.date(2025, 6, 15))),
        ("2025-06-15", SessionRef(date=datetime.date(2025, 6, 15))),
        ("2025-06-15 13:30:00", SessionRef(date=datetime.date(2025, 6, 15))),
        ("氏名", None),
        ("備考", None),
        ("出席回数", None),
        ("第0回", None),
        ("", None),
    ],
)
def test_session_headers(header, reference):
    assert session_reference(header) == reference


@pytest.mark.parametrize(
    ("mark", "present"),
    [
        ("○", True),
        ("◯", True),
        ("出", True),
        ("出席", True),
        ("1", True),
        ("TRUE", True),
        ("true", True),
        ("×", False),
        ("欠", False),
        ("欠席", False),
        ("0", False),
        ("FALSE", False),
    ],
)
def test_marks(mark, present):
    assert parse_mark(mark) is present


@given(st.text(max_size=20))
def test_any_header_is_read_or_ignored_never_a_crash(text):
    reference = session_reference(text)
    assert reference is None or isinstance(reference, SessionRef)


@given(st.text(max_size=10))
def test_any_mark_is_present_absent_or_refused(text):
    try:
        assert parse_mark(text) in (True, False)
    except ValidationError as error:
        assert error.code == "invalid_mark"
