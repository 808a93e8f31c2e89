"""Schedules: stored as RFC 5545 rules, read out in Japanese, refused when they cannot occur."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sasaeai.activities import schedule as s

D = datetime.date
T = datetime.time


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (s.Schedule(s.WEEKLY, D(2019, 4, 1), weekdays=(2,), start_time=T(15), end_time=T(18)),
         "毎週水曜日 15:00〜18:00"),
        (s.Schedule(s.WEEKLY, D(2019, 4, 1), weekdays=(0, 2)), "毎週月曜日・水曜日"),
        (s.Schedule(s.WEEKLY, D(2019, 4, 1), weekdays=(4,), interval=2), "隔週金曜日"),
        (s.Schedule(s.MONTHLY_NTH, D(2019, 4, 1), weekdays=(5,), nth=2, start_time=T(10)),
         "毎月第2土曜日 10:00〜"),
        (s.Schedule(s.MONTHLY_NTH, D(2019, 4, 1), weekdays=(4,), nth=-1), "毎月最終金曜日"),
        (s.Schedule(s.MONTHLY_DAY, D(2019, 4, 1), day=15), "毎月15日"),
        (s.Schedule(s.DATES, D(2019, 4, 1), dates=(D(2019, 4, 5), D(2019, 5, 5))),
         "2019年4月5日、2019年5月5日"),
    ],
)  # fmt: skip
def test_schedules_read_in_japanese_and_survive_their_rule(schedule, text):
    assert s.japanese(schedule) == text
    rule = s.to_rule(schedule)
    assert s.from_rule(rule, schedule.start_time, schedule.end_time) == schedule
    s.check(schedule)


def test_the_rule_is_rfc_5545_and_gives_the_next_dates():
    schedule = s.Schedule(s.MONTHLY_NTH, D(2019, 4, 1), weekdays=(5,), nth=2)
    rule = s.to_rule(schedule)
    assert "RRULE:FREQ=MONTHLY;BYDAY=2SA" in rule
    assert s.occurrences(rule, after=D(2019, 4, 1), limit=3) == [
        D(2019, 4, 13), D(2019, 5, 11), D(2019, 6, 8),
    ]  # fmt: skip


def test_weekdays_the_schedule_can_fall_on():
    assert s.weekdays_of(s.Schedule(s.WEEKLY, D(2019, 4, 1), weekdays=(4, 0))) == (0, 4)
    assert s.weekdays_of(s.Schedule(s.DATES, D(2019, 4, 1), dates=(D(2019, 4, 6),))) == (5,)
    assert s.weekdays_of(s.Schedule(s.MONTHLY_DAY, D(2019, 4, 1), day=1)) == tuple(range(7))


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("schedule", "field", "words"),
    [
        (s.Schedule(s.WEEKLY, D(2019, 4, 1)), "weekdays", "at least one day"),
        (s.Schedule(s.WEEKLY, D(2019, 4, 1), weekdays=(1,), start_time=T(18), end_time=T(15)),
         "end_time", "after the start"),
        (s.Schedule(s.WEEKLY, D(2019, 4, 1), weekdays=(1,), until=D(2019, 3, 1)),
         "until", "before the first"),
        # 30 February: a monthly day that never comes between its first and last day.
        (s.Schedule(s.MONTHLY_DAY, D(2020, 2, 1), day=30, until=D(2020, 2, 29)),
         "schedule", "never occurs"),
        (s.Schedule(s.MONTHLY_DAY, D(2020, 2, 1), day=32), "day", "between 1 and 31"),
        (s.Schedule(s.MONTHLY_NTH, D(2020, 2, 1), weekdays=(1,), nth=6), "nth", "1st to 5th"),
        (s.Schedule(s.DATES, D(2020, 2, 1)), "dates", "at least one date"),
        (s.Schedule(s.WEEKLY, D(2020, 2, 3), weekdays=(6,), until=D(2020, 2, 7)),
         "schedule", "never occurs"),
    ],
)  # fmt: skip
def test_schedules_that_cannot_occur_are_refused_with_a_reason(schedule, field, words):
    with pytest.raises(ValidationError) as caught:
        s.check(schedule)
    assert words in " ".join(caught.value.message_dict[field])
