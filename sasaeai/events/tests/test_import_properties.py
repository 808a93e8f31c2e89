"""Property tests of the attendance sheet import (出席簿): whatever names, marks and encoding
a sheet holds, it is applied whole or refused with row errors in Japanese and nothing
written; applying a sheet again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from sasaeai.core.tabular import TableError
from sasaeai.events import actions
from sasaeai.events.attendance_import import (
    AttendanceImportRefused,
    apply_attendance,
    plan_attendance,
)
from sasaeai.events.models import Attendance, Registration
from sasaeai.testing.tables import (
    FORMATS,
    IMPORT_SETTINGS,
    assert_row_errors_in_japanese,
    fingerprint,
    suffix,
    table_bytes,
    undecodable,
)

pytestmark = pytest.mark.django_db

HEADER = ["氏名", "所属", "メール", "第1回", "第2回", "第3回"]
# How a person's name is written on a sheet: as registered, with spaces, half-width kana.
NAMES = {
    "山田太郎": ["山田太郎", "山田 太郎", "山田　太郎"],
    "佐藤花子": ["佐藤花子", " 佐藤花子 "],
    "ヤマダケン": ["ヤマダケン", "ﾔﾏﾀﾞｹﾝ"],
}
STRANGERS = ["謎の人", "鈴木一郎"]
VALID_MARKS = ["○", "◯", "×", "出席", "欠席", "1", "0", ""]
MARKS = [*VALID_MARKS, "？", "遅刻"]


@pytest.fixture
def people(course):
    course = actions.change_capacity(event=course, capacity=10)
    return [actions.register(event=course, name=name) for name in NAMES]


def attendance():
    return fingerprint(Attendance.objects.all(), Registration.objects.all())


@st.composite
def sheet_rows(draw, clean=False):
    """A row naming a registered person (however written) or a stranger, with marks of
    every kind; ``clean`` rows name registered people with marks that can be read."""
    person = draw(st.sampled_from([*NAMES] if clean else [*NAMES, *STRANGERS]))
    name = draw(st.sampled_from(NAMES.get(person, [person])))
    marks = VALID_MARKS if clean else MARKS
    return [name, "", "", *(draw(st.sampled_from(marks)) for _ in range(3))]


sheets = st.booleans().flatmap(
    lambda clean: st.lists(
        sheet_rows(clean),
        min_size=1,
        max_size=6,
        unique_by=(lambda row: "".join(row[0].split()).replace("ﾔﾏﾀﾞｹﾝ", "ヤマダケン"))
        if clean
        else None,
    )
)


def _plan(course, fmt, data):
    return plan_attendance(io.BytesIO(data), event=course, filename=f"出席簿.{suffix(fmt)}")


@IMPORT_SETTINGS
@given(rows=sheets, fmt=st.sampled_from(FORMATS))
def test_an_attendance_sheet_is_applied_whole_or_not_at_all(course, people, rows, fmt):
    data = table_bytes(fmt, HEADER, rows)
    with transaction.atomic():
        before = attendance()
        plan = _plan(course, fmt, data)
        if not plan.ok:
            with pytest.raises(AttendanceImportRefused):
                apply_attendance(plan)
            assert attendance() == before, "a refused sheet wrote something"
            assert_row_errors_in_japanese(plan.errors)
            event("refused")
        else:
            apply_attendance(plan)
            for mark in plan.marks:
                held = Attendance.objects.filter(
                    registration=mark.registration, session=mark.session
                ).exists()
                assert held == mark.present, mark
            event("committed")
            after = attendance()
            again = _plan(course, fmt, data)
            assert (again.to_add, again.to_remove) == (0, 0)
            apply_attendance(again)
            assert attendance() == after
        transaction.set_rollback(True)


def test_undecodable_bytes_are_refused_in_japanese_and_write_nothing(course, people):
    before = attendance()
    with pytest.raises(TableError) as refusal:
        plan_attendance(io.BytesIO(undecodable(HEADER)), event=course, filename="x.csv")
    assert attendance() == before
    assert any("\u3040" <= c <= "\u9fff" for c in str(refusal.value))
