"""Import of an event's attendance sheet (出席簿) as reception staff keep it in Excel or CSV:
check everything first, then write all of it or nothing; importing it again changes nothing.

One row per person: 氏名 (required), 所属 and メール (optional), and one column per session
headed 第1回, 1回目, 第一回 or the session's date (6/15, R7.6.15, 2025-06-15), holding ○, 出,
出席, 1 or TRUE for present and ×, 欠, 欠席, 0 or nothing for absent. A column with no mark at
all is a session not yet taken on this sheet: its attendance is left as it is. Rows are matched
to the event's confirmed registrations by email, else by name (and 所属 when two share a name).
A title row above the header (「第3回研修 出席簿」) is skipped.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import JapaneseDateError, parse_japanese_date
from sasaeai.core.tabular import (
    Column,
    HeaderMatch,
    RowError,
    SourceRow,
    TableSpec,
    header_key,
    match_headers,
    open_table,
    parse_rows,
    parse_text,
)
from sasaeai.core.tabular.errors import join_names
from sasaeai.core.text import search_key

from .models import Attendance, CheckInMethod, Event, Registration, RegistrationStatus, Session

__all__ = [
    "AttendanceImportRefused",
    "AttendancePlan",
    "Mark",
    "apply_attendance",
    "parse_mark",
    "plan_attendance",
    "session_reference",
]

BAD_MARK = _("Enter ○ or 出席 for present, × or 欠席 (or nothing) for absent.")
UNKNOWN_PERSON = _("No registration for this event is named “%(name)s”.")
UNKNOWN_PERSON_OR_EMAIL = _(
    "No registration for this event has the email address %(email)s or the name “%(name)s”."
)
AMBIGUOUS_PERSON = _(
    "%(count)s confirmed registrations are named “%(name)s” (%(organisations)s): enter the "
    "organisation in “%(organisation)s” or the email address in “%(email)s” to tell them apart."
)
NOT_CONFIRMED = _("%(name)s has no confirmed seat (%(status)s), so cannot be marked present.")
DUPLICATE_ROW = _("Row %(row)s already gives the attendance of %(name)s.")
NO_SESSION_ON_DATE = _("No session of this event is on %(date)s.")
SESSIONS_ON_SAME_DATE = _(
    "Sessions %(numbers)s are all on %(date)s: head the columns by session number (%(example)s)."
)
SAME_SESSION = _("Column “%(other)s” already gives session %(number)s.")
NO_SESSION_COLUMN = _(
    "No column names a session: head one column per session %(example)s (or %(other)s, or "
    "the session's date such as %(date)s). The columns found are: %(found)s."
)
HEADER_ROW = _("header row")
NO_LONGER_CONFIRMED = _(
    "%(name)s no longer has a confirmed seat (%(status)s): check the sheet again."
)

_NUMBER_EXAMPLE = "第1回, 第2回 …"
# How many rows below the engine's header row may still hold the real one, under a title.
_HEADER_SEARCH = 10

_PRESENT = ("○", "◯", "〇", "●", "出", "出席", "1", "TRUE", "レ", "✓", "✔")
_ABSENT = ("×", "✕", "✖", "x", "欠", "欠席", "0", "FALSE", "-", "ー")
_MARKS = {
    search_key(mark): value
    for marks, value in ((_PRESENT, True), (_ABSENT, False))
    for mark in marks
}


def parse_mark(text: str) -> bool:
    """Present (○, 出, 出席, 1, TRUE) or absent (×, 欠, 欠席, 0, FALSE)."""
    value = _MARKS.get(search_key(text))
    if value is None:
        raise ValidationError(BAD_MARK, code="invalid_mark")
    return value


def _parse_email(text: str) -> str:
    validate_email(text)  # its message is Django's own, translated
    return text.lower()


FIXED_SPEC = TableSpec(
    (
        Column(
            "name",
            (
                "氏名",
                "名前",
                "お名前",
                "参加者",
                "参加者名",
                "参加者氏名",
                "受講者",
                "受講者名",
                "name",
            ),
            required=True,
            parse=parse_text(100),
        ),
        Column(
            "organisation",
            (
                "所属",
                "所属先",
                "所属名",
                "法人名",
                "団体名",
                "事業所",
                "事業所名",
                "organisation",
                "affiliation",
            ),
            parse=parse_text(200),
        ),
        Column(
            "email",
            ("メール", "メールアドレス", "Eメール", "E-mail", "mail", "email"),
            parse=_parse_email,
        ),
    )
)
_IDENTITY_HEADERS = frozenset(column.header for column in FIXED_SPEC.columns)
_NAME_KEYS = {header_key(h) for h in FIXED_SPEC.column("name").headers} | {"name"}


# Session headers ------------------------------------------------------------------------------

_KANJI_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")}
_NUMBER = r"([0-9]{1,3}|[一二三四五六七八九十]{1,3})"
_ORDINAL = re.compile(rf"^第{_NUMBER}回")  # 第1回, 第１回（6/15）, 第一回
_COUNT = re.compile(rf"^{_NUMBER}回目?(?:$|[(（])")  # 1回目, 1回, 1回目(6/15)
# 6/15, 6月15日(日): a month and day, with the day of the week.
_MONTH_DAY = re.compile(r"^([0-9]{1,2})(?:/|月)([0-9]{1,2})日?(?:\(.{1,3}\))?$")


class SessionRef(NamedTuple):
    """What a header names: a session number, a full date, or a month and day."""

    number: int | None = None
    date: datetime.date | None = None
    month_day: tuple[int, int] | None = None


def _number(text: str) -> int:
    """1, 12, 一, 十, 十二, 二十一; -1 for what is not a number."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _KANJI_DIGITS[text] if len(text) == 1 else -1
    tens, _ten, ones = text.partition("十")
    tens_value = _KANJI_DIGITS.get(tens, -1) if tens else 1
    ones_value = _KANJI_DIGITS.get(ones, -1) if ones else 0
    return -1 if min(tens_value, ones_value) < 0 else tens_value * 10 + ones_value


def session_reference(header: str) -> SessionRef | None:
    """Read a session column's header: 第1回, 1回目, 第一回, 6/15, R7.6.15, 2025-06-15."""
    key = search_key(header)
    if not key:
        return None
    for pattern in (_ORDINAL, _COUNT):
        match = pattern.match(key)
        if match and _number(match[1]) > 0:
            return SessionRef(number=_number(match[1]))
    match = _MONTH_DAY.match(key)
    if match:
        return SessionRef(month_day=(int(match[1]), int(match[2])))
    try:
        parsed = parse_japanese_date(header)
    except JapaneseDateError:
        return None
    # A time after an Excel date-time, or the day of the week, may follow the date.
    return SessionRef(date=parsed.value) if len(parsed.note) <= 10 else None


def _sessions_on(sessions: Sequence[Session], ref: SessionRef) -> list[Session]:
    def day(session: Session) -> datetime.date:
        return timezone.localdate(session.starts_at)

    if ref.number is not None:
        return [s for s in sessions if s.number == ref.number]
    if ref.date is not None:
        return [s for s in sessions if day(s) == ref.date]
    return [s for s in sessions if (day(s).month, day(s).day) == ref.month_day]


def _session_error(sessions: Sequence[Session], ref: SessionRef, found: list[Session]) -> str:
    if ref.number is not None:
        count = len(sessions)
        message = ngettext(
            "There is no session %(number)s: this event has %(count)s session.",
            "There is no session %(number)s: this event has %(count)s sessions.",
            count,
        )
        return message % {"number": ref.number, "count": count}
    if ref.date is not None:
        date = ref.date.isoformat()
    else:
        month, day = ref.month_day
        date = f"{month}/{day}"
    if not found:
        return str(NO_SESSION_ON_DATE) % {"date": date}
    return str(SESSIONS_ON_SAME_DATE) % {
        "numbers": join_names(str(s.number) for s in found),
        "date": date,
        "example": _NUMBER_EXAMPLE,
    }


# The plan -------------------------------------------------------------------------------------


class Mark(NamedTuple):
    """One cell of the sheet: whether a registration attended a session."""

    registration: Registration
    session: Session
    present: bool


@dataclass
class AttendancePlan:
    """What a sheet would change; ``errors`` empty means it can be applied."""

    event: Event
    marks: list[Mark] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The sessions the sheet marks, and those whose column holds no mark (left unchanged).
    sessions: list[Session] = field(default_factory=list)
    unmarked_sessions: list[Session] = field(default_factory=list)
    unknown_columns: tuple[str, ...] = ()
    # Registration pk → the sheet's row number, for messages.
    rows: dict[int, int] = field(default_factory=dict)
    # Against the records when planned: attendances to add, to remove, already as marked.
    to_add: int = 0
    to_remove: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def present(self) -> int:
        return sum(1 for mark in self.marks if mark.present)


class AttendanceImportRefused(Exception):
    """A plan with errors, or one that no longer fits the records; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


class _Below:
    """The rows under the header, for ``parse_rows`` (the header may sit under a title)."""

    def __init__(self, rows: list[SourceRow], encoding: str) -> None:
        self._rows = rows
        self.encoding = encoding

    def rows(self) -> Iterator[SourceRow]:
        return iter(self._rows)


def _names_a_person(cells: Sequence[str]) -> bool:
    return any(header_key(cell) in _NAME_KEYS for cell in cells)


def _header(headers: list[str], rows: list[SourceRow]) -> tuple[int, list[str], list[SourceRow]]:
    """The header row's number, its cells and the rows below it.

    The engine's header (the first non-empty row) if it names a 氏名 column, else the first
    row under it that does (the engine's header was a title); else the engine's header, which
    then fails with the engine's message for missing columns.
    """
    if not _names_a_person(headers):
        for position, row in enumerate(rows[:_HEADER_SEARCH]):
            if _names_a_person(row.cells):
                return row.number, row.cells, rows[position + 1 :]
    # Nothing but empty rows lies between the engine's header and the first data row.
    return (rows[0].number - 1 if rows else 1), headers, rows


def _columns(
    plan: AttendancePlan, number: int, headers: list[str], sessions: list[Session]
) -> tuple[TableSpec, HeaderMatch]:
    """The spec of this sheet: the fixed columns and one column per session it names."""
    fixed = match_headers(headers, FIXED_SPEC).require()
    used = set(fixed.indexes.values())
    columns = list(FIXED_SPEC.columns)
    indexes = dict(fixed.indexes)
    unknown: list[str] = []
    by_session: dict[int, str] = {}
    for index, header in enumerate(headers):
        if index in used or not header.strip():
            continue
        ref = session_reference(header)
        if ref is None:
            unknown.append(header)
            continue
        found = _sessions_on(sessions, ref)
        if len(found) != 1:
            message = _session_error(sessions, ref, found)
            plan.errors.append(RowError(number, header, "", message))
            continue
        session = found[0]
        if session.pk in by_session:
            message = str(SAME_SESSION) % {
                "other": by_session[session.pk],
                "number": session.number,
            }
            plan.errors.append(RowError(number, header, "", message))
            continue
        by_session[session.pk] = header
        key = f"session-{session.pk}"
        columns.append(Column(key, (header,), parse=parse_mark))
        indexes[key] = index
    if not by_session and not plan.errors:
        message = str(NO_SESSION_COLUMN) % {
            "example": _NUMBER_EXAMPLE,
            "other": "1回目",
            "date": "6/15",
            "found": join_names(h for h in headers if h.strip()),
        }
        plan.errors.append(RowError(number, str(HEADER_ROW), "", message))
    plan.sessions = [s for s in sessions if s.pk in by_session]
    plan.unknown_columns = tuple(unknown)
    spec = TableSpec(columns)
    return spec, HeaderMatch(spec=spec, headers=tuple(headers), indexes=indexes)


def plan_attendance(source, *, event: Event, filename: str = "") -> AttendancePlan:
    """Read and check a whole attendance sheet; write nothing. ``TableError`` for a file that
    cannot be read or has no 氏名 column."""
    plan = AttendancePlan(event=event)
    sessions = list(event.sessions.order_by("number"))
    with open_table(source, filename=filename) as table:
        number, headers, below = _header(table.headers, list(table.rows()))
        spec, match = _columns(plan, number, headers, sessions)
        parsed = list(parse_rows(_Below(below, table.encoding), spec, match))
    people = _People(event, spec)
    cells: list[tuple[int, Registration, dict[str, object]]] = []
    marked: set[int] = set()
    for row in parsed:
        if all(value is None for value in row.values.values()):
            continue  # a numbered but empty line of the form
        plan.errors.extend(row.errors)
        if any(error.column in _IDENTITY_HEADERS for error in row.errors):
            continue  # who it is cannot be told: its error says why
        registration = people.match(plan, row.number, row.values)
        if registration is None:
            continue
        if registration.pk in plan.rows:
            message = str(DUPLICATE_ROW) % {
                "row": plan.rows[registration.pk],
                "name": registration.name,
            }
            plan.errors.append(
                RowError(row.number, _header_of(spec, "name"), str(row.values["name"]), message)
            )
            continue
        plan.rows[registration.pk] = row.number
        cells.append((row.number, registration, row.values))
        marked |= {s.pk for s in plan.sessions if row.values.get(f"session-{s.pk}") is not None}
    plan.unmarked_sessions = [s for s in plan.sessions if s.pk not in marked]
    plan.sessions = [s for s in plan.sessions if s.pk in marked]
    for _number, registration, values in cells:
        for session in plan.sessions:
            present = bool(values.get(f"session-{session.pk}"))
            plan.marks.append(Mark(registration, session, present))
    plan.errors.sort(key=lambda error: error.row)
    _compare(plan)
    return plan


def _header_of(spec: TableSpec, key: str) -> str:
    return spec.column(key).header


class _People:
    """The event's registrations by email and by name, to match the sheet's rows."""

    def __init__(self, event: Event, spec: TableSpec) -> None:
        self.spec = spec
        self.by_email: dict[str, list[Registration]] = defaultdict(list)
        self.by_name: dict[str, list[Registration]] = defaultdict(list)
        registrations = event.registrations.select_related("corporation", "council")
        for registration in registrations.order_by("created_at", "id"):
            if registration.email:
                self.by_email[registration.email.strip().lower()].append(registration)
            self.by_name[search_key(registration.name)].append(registration)

    def match(self, plan: AttendancePlan, number: int, values: dict) -> Registration | None:
        name, email = values.get("name"), values.get("email")
        if not name:
            return None  # its error is the engine's: the name is required
        candidates = self.by_email.get(email, []) if email else []
        column = "email" if candidates else "name"
        candidates = candidates or self.by_name.get(search_key(name), [])
        found = self._check(name, email, values.get("organisation"), candidates)
        if isinstance(found, Registration):
            return found
        value = email if column == "email" else name
        plan.errors.append(RowError(number, _header_of(self.spec, column), value, found))
        return None

    def _check(self, name, email, organisation, candidates) -> Registration | str:
        """The one confirmed registration of this person, or why there is none."""
        if not candidates:
            message = UNKNOWN_PERSON_OR_EMAIL if email else UNKNOWN_PERSON
            return str(message) % {"name": name, "email": email}
        confirmed = [r for r in candidates if r.status == RegistrationStatus.CONFIRMED]
        if not confirmed:
            # A waitlisted registration says more than an earlier cancelled one.
            other = min(candidates, key=lambda r: r.status != RegistrationStatus.WAITLISTED)
            return str(NOT_CONFIRMED) % {"name": other.name, "status": other.get_status_display()}
        if len(confirmed) > 1 and organisation:
            for exact in (True, False):
                same = [r for r in confirmed if _same_organisation(r, organisation, exact=exact)]
                if same:
                    confirmed = same
                    break
        if len(confirmed) > 1:
            return str(AMBIGUOUS_PERSON) % {
                "count": len(confirmed),
                "name": name,
                "organisations": join_names(r.organisation or "–" for r in confirmed),
                "organisation": _header_of(self.spec, "organisation"),
                "email": _header_of(self.spec, "email"),
            }
        return confirmed[0]


_LEGAL_FORMS = ("社会福祉法人", "(福)", "(社福)", "社福")


def _organisation_key(text: str) -> str:
    key = search_key(text)
    for form in _LEGAL_FORMS:
        key = key.removeprefix(search_key(form))
    return key


def _same_organisation(registration: Registration, organisation: str, *, exact: bool) -> bool:
    """The sheet's 所属 names the registration's corporation, council or affiliation, the
    same (``exact``) or as part of it: staff often drop 社会福祉法人 or shorten the name."""
    wanted = _organisation_key(organisation)
    if not wanted:
        return False
    names = (registration.corporation, registration.council, registration.affiliation)
    for name in filter(None, (_organisation_key(str(n or "")) for n in names)):
        if wanted == name or (not exact and (wanted in name or name in wanted)):
            return True
    return False


def _existing(marks: Sequence[Mark]) -> dict[tuple[int, int], Attendance]:
    registrations = {mark.registration.pk for mark in marks}
    sessions = {mark.session.pk for mark in marks}
    attendances = Attendance.objects.filter(
        registration_id__in=registrations, session_id__in=sessions
    )
    return {(a.registration_id, a.session_id): a for a in attendances}


def _compare(plan: AttendancePlan) -> None:
    if not plan.marks:
        return
    existing = _existing(plan.marks)
    for mark in plan.marks:
        have = (mark.registration.pk, mark.session.pk) in existing
        if mark.present and not have:
            plan.to_add += 1
        elif have and not mark.present:
            plan.to_remove += 1
        else:
            plan.unchanged += 1


# Applying -------------------------------------------------------------------------------------


def apply_attendance(plan: AttendancePlan, *, by=None) -> int:
    """Write a checked plan, all or nothing: an attendance (method “sheet”) for each present
    mark that has none, none for each absent mark. Return the number of present marks, each
    of which now has its attendance."""
    if not plan.ok:
        raise AttendanceImportRefused(plan.errors)
    user = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        # The event's lock serialises this with cancellations, which change who is confirmed.
        Event.objects.select_for_update().get(pk=plan.event.pk)
        _check_still_confirmed(plan)
        existing = _existing(plan.marks)
        for mark in plan.marks:
            attendance = existing.get((mark.registration.pk, mark.session.pk))
            if mark.present and attendance is None:
                # One by one, not in bulk: each attendance gets its audit entry.
                Attendance.objects.create(
                    registration=mark.registration,
                    session=mark.session,
                    method=CheckInMethod.SHEET,
                    checked_in_by=user,
                )
            elif attendance is not None and not mark.present:
                attendance.delete()
    return plan.present


def _check_still_confirmed(plan: AttendancePlan) -> None:
    statuses = dict(Registration.objects.filter(pk__in=list(plan.rows)).values_list("pk", "status"))
    errors = []
    for mark in {m.registration.pk: m for m in plan.marks if m.present}.values():
        registration = mark.registration
        status = statuses.get(registration.pk)
        if status != RegistrationStatus.CONFIRMED:
            label = RegistrationStatus(status).label if status else gettext("deleted")
            message = str(NO_LONGER_CONFIRMED) % {"name": registration.name, "status": label}
            name_header = FIXED_SPEC.column("name").header
            errors.append(
                RowError(plan.rows[registration.pk], name_header, registration.name, message)
            )
    if errors:
        raise AttendanceImportRefused(sorted(errors, key=lambda error: error.row))
