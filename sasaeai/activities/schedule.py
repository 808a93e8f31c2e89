"""When an activity takes place: RFC 5545 recurrence rules, checked and read out in Japanese.

An activity's schedule is stored as the text of an iCalendar recurrence (``DTSTART`` with one
``RRULE`` or an ``RDATE`` list), read back with python-dateutil's ``rrulestr``. Four kinds are
offered, the ones activities keep: weekly on given weekdays (every n weeks), monthly on the nth
weekday (第2土曜日, 最終金曜日), monthly on a day of the month (15日), and a list of dates.
Times of day are kept beside the rule. A schedule that can never occur is refused with a message
that says why, so the directory never lists an activity without a date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEEKLY = "weekly"
MONTHLY_NTH = "monthly_nth"
MONTHLY_DAY = "monthly_day"
DATES = "dates"
KINDS = (WEEKLY, MONTHLY_NTH, MONTHLY_DAY, DATES)

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = Python's weekday()
JAPANESE_DAYS = ("月", "火", "水", "木", "金", "土", "日")
LOOKAHEAD = datetime.timedelta(days=2 * 366)  # an open-ended rule must occur within two years
MAX_DATES = 100


@dataclass(frozen=True)
class Schedule:
    kind: str
    starts_on: datetime.date
    weekdays: tuple[int, ...] = ()  # 0 = Monday, as datetime.weekday()
    interval: int = 1
    nth: int | None = None  # 1..5, or -1 for the last
    day: int | None = None  # day of the month, 1..31
    dates: tuple[datetime.date, ...] = ()
    until: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    note: str = field(default="", compare=False)


def _day_text(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def to_rule(schedule: Schedule) -> str:
    """The iCalendar text of ``schedule`` (times of day are kept apart)."""
    lines = [f"DTSTART;VALUE=DATE:{_day_text(schedule.starts_on)}"]
    if schedule.kind == DATES:
        # dateutil reads RDATE date-times only: midnight, floating (the activity's local day).
        days = ",".join(f"{_day_text(day)}T000000" for day in sorted(set(schedule.dates)))
        lines.append(f"RDATE:{days}")
        return "\n".join(lines)
    parts = []
    if schedule.kind == WEEKLY:
        parts = ["FREQ=WEEKLY"]
        if schedule.interval > 1:
            parts.append(f"INTERVAL={schedule.interval}")
        parts.append("BYDAY=" + ",".join(ICAL_DAYS[d] for d in sorted(set(schedule.weekdays))))
    elif schedule.kind == MONTHLY_NTH:
        day = ICAL_DAYS[schedule.weekdays[0]] if schedule.weekdays else ""
        parts = ["FREQ=MONTHLY", f"BYDAY={schedule.nth}{day}"]
    elif schedule.kind == MONTHLY_DAY:
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={schedule.day}"]
    if schedule.until:
        parts.append(f"UNTIL={_day_text(schedule.until)}")
    lines.append("RRULE:" + ";".join(parts))
    return "\n".join(lines)


def _date(text: str) -> datetime.date:
    return datetime.datetime.strptime(text[:8], "%Y%m%d").date()


def from_rule(
    rule: str,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
) -> Schedule:
    """The Schedule a stored rule says (the inverse of ``to_rule``)."""
    values: dict[str, str] = {}
    for line in rule.strip().splitlines():
        name, _sep, value = line.partition(":")
        values[name.split(";")[0].upper()] = value.strip()
    starts_on = _date(values["DTSTART"])
    if "RDATE" in values:
        dates = tuple(_date(item) for item in values["RDATE"].split(","))
        return Schedule(DATES, starts_on, dates=dates, start_time=start_time, end_time=end_time)
    parts = dict(part.split("=", 1) for part in values["RRULE"].split(";"))
    until = _date(parts["UNTIL"]) if "UNTIL" in parts else None
    common = {"until": until, "start_time": start_time, "end_time": end_time}
    if parts["FREQ"] == "WEEKLY":
        days = tuple(ICAL_DAYS.index(day) for day in parts["BYDAY"].split(","))
        interval = int(parts.get("INTERVAL", 1))
        return Schedule(WEEKLY, starts_on, weekdays=days, interval=interval, **common)
    if "BYMONTHDAY" in parts:
        return Schedule(MONTHLY_DAY, starts_on, day=int(parts["BYMONTHDAY"]), **common)
    byday = parts["BYDAY"]
    nth, day = int(byday[:-2]), ICAL_DAYS.index(byday[-2:])
    return Schedule(MONTHLY_NTH, starts_on, weekdays=(day,), nth=nth, **common)


def occurrences(
    rule: str, *, after: datetime.date, before: datetime.date | None = None, limit: int = 5
) -> list[datetime.date]:
    """Up to ``limit`` dates of ``rule`` on or after ``after`` (and before ``before``)."""
    recurrence = rrulestr(rule, forceset=True)
    start = datetime.datetime.combine(after, datetime.time())
    found = []
    for moment in recurrence.xafter(start, count=limit, inc=True):
        if before is not None and moment.date() >= before:
            break
        found.append(moment.date())
    return found


def check(schedule: Schedule) -> None:
    """Raise a ValidationError naming the field when ``schedule`` is malformed or can never
    occur; return quietly otherwise."""
    errors = _shape_errors(schedule)
    if schedule.start_time and schedule.end_time and schedule.end_time <= schedule.start_time:
        errors["end_time"] = _("The end time must come after the start time.")
    if schedule.until and schedule.until < schedule.starts_on:
        errors["until"] = _("The last date comes before the first date.")
    if errors:
        raise ValidationError(errors)
    horizon = schedule.until + datetime.timedelta(days=1) if schedule.until else None
    horizon = horizon or schedule.starts_on + LOOKAHEAD
    if not occurrences(to_rule(schedule), after=schedule.starts_on, before=horizon, limit=1):
        raise ValidationError(
            {"schedule": _("This schedule never occurs: no date between its first and last day.")}
        )


def _shape_errors(schedule: Schedule) -> dict[str, str]:
    if schedule.kind not in KINDS:
        return {"kind": _("Choose how the activity repeats.")}
    if schedule.kind == WEEKLY:
        if not schedule.weekdays:
            return {"weekdays": _("Choose at least one day of the week.")}
        if not 1 <= schedule.interval <= 4:
            return {"interval": _("Repeat every 1 to 4 weeks.")}
    if schedule.kind == MONTHLY_NTH:
        if len(schedule.weekdays) != 1:
            return {"weekdays": _("Choose one day of the week for a monthly schedule.")}
        if schedule.nth not in (1, 2, 3, 4, 5, -1):
            return {"nth": _("Choose the 1st to 5th or the last weekday of the month.")}
    if schedule.kind == MONTHLY_DAY and not (schedule.day and 1 <= schedule.day <= 31):
        return {"day": _("The day of the month is between 1 and 31.")}
    if schedule.kind == DATES:
        if not schedule.dates:
            return {"dates": _("Give at least one date.")}
        if len(schedule.dates) > MAX_DATES:
            return {"dates": _("Give at most %(count)d dates.") % {"count": MAX_DATES}}
    return {}


def weekdays_of(schedule: Schedule) -> tuple[int, ...]:
    """The days of the week the activity can fall on (0 = Monday), for the directory's search."""
    if schedule.kind == DATES:
        return tuple(sorted({day.weekday() for day in schedule.dates}))
    if schedule.kind == MONTHLY_DAY:
        return tuple(range(7))
    return tuple(sorted(set(schedule.weekdays)))


def _days(weekdays) -> str:
    return "・".join(f"{JAPANESE_DAYS[day]}曜日" for day in sorted(set(weekdays)))


def _times(schedule: Schedule) -> str:
    if schedule.start_time and schedule.end_time:
        return f" {schedule.start_time:%H:%M}〜{schedule.end_time:%H:%M}"
    if schedule.start_time:
        return f" {schedule.start_time:%H:%M}〜"
    return ""


def _date_ja(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def japanese(schedule: Schedule) -> str:
    """The schedule as people say it: 毎週水曜日 15:00〜18:00, 毎月第2土曜日, 隔週月曜日 …"""
    if schedule.kind == WEEKLY:
        if schedule.interval == 1:
            text = f"毎週{_days(schedule.weekdays)}"
        elif schedule.interval == 2:
            text = f"隔週{_days(schedule.weekdays)}"
        else:
            text = f"{schedule.interval}週ごとの{_days(schedule.weekdays)}"
    elif schedule.kind == MONTHLY_NTH:
        which = "最終" if schedule.nth == -1 else f"第{schedule.nth}"
        text = f"毎月{which}{_days(schedule.weekdays)}"
    elif schedule.kind == MONTHLY_DAY:
        text = f"毎月{schedule.day}日"
    else:
        dates = sorted(set(schedule.dates))
        text = "、".join(_date_ja(day) for day in dates[:5])
        if len(dates) > 5:
            text += f" ほか（全{len(dates)}回）"
    return text + _times(schedule)
