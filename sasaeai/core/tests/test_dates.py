"""Japanese dates (和暦) and fiscal years (年度)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import get_args

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sasaeai.core.dates import (
    ERAS,
    HEISEI,
    REIWA,
    FiscalYearStyle,
    JapaneseDateError,
    ParsedDate,
    WarekiStyle,
    era_of,
    fiscal_year,
    fiscal_year_label,
    fiscal_year_range,
    format_wareki,
    month_end,
    parse_fiscal_year,
    parse_japanese_date,
)

FIRST_DAY = date(1868, 1, 1)
LAST_DAY = date(2100, 12, 31)
dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
fiscal_years = st.integers(min_value=1868, max_value=2100)
wareki_styles = st.sampled_from(get_args(WarekiStyle))
fiscal_year_styles = st.sampled_from(get_args(FiscalYearStyle))


pytestmark = pytest.mark.usefixtures("english")


def error_of(text: str) -> JapaneseDateError:
    with pytest.raises(JapaneseDateError) as caught:
        parse_japanese_date(text)
    return caught.value


def fiscal_year_error_of(text: str) -> JapaneseDateError:
    with pytest.raises(JapaneseDateError) as caught:
        parse_fiscal_year(text)
    return caught.value


def to_fullwidth_ascii(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# Reading dates


@pytest.mark.parametrize(
    "text",
    [
        "H29.10.10",
        "h29.10.10",
        "H29/10/10",
        "H29-10-10",
        "平成29年10月10日",
        "平成29.10.10",
        "Ｈ２９．１０．１０",
        "Ｈ２９／１０／１０",
        "平成２９年１０月１０日",
        "  H29.10.10  ",
        "\u3000H29.10.10\u3000",
        "H 29 . 10 . 10",
        "平成 29 年 10 月 10 日",
        "㍻29年10月10日",
        "平29.10.10",
        "2017-10-10",
        "2017/10/10",
        "2017.10.10",
        "2017年10月10日",
        "２０１７－１０－１０",
    ],
)
def test_a_date_is_read_in_every_documented_form(text: str) -> None:
    assert parse_japanese_date(text) == ParsedDate(value=date(2017, 10, 10), note="")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R1.5.1", date(2019, 5, 1)),
        ("r1.5.1", date(2019, 5, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("2019-04-01", date(2019, 4, 1)),
        ("2019/4/1", date(2019, 4, 1)),
        ("2019.4.1", date(2019, 4, 1)),
        ("2019年4月1日", date(2019, 4, 1)),
        ("M1.1.1", date(1868, 1, 1)),
        ("明治45年7月29日", date(1912, 7, 29)),
        ("T1.7.30", date(1912, 7, 30)),
        ("大正15年12月24日", date(1926, 12, 24)),
        ("S1.12.25", date(1926, 12, 25)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("H1.1.8", date(1989, 1, 8)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("H31.4.30", date(2019, 4, 30)),
    ],
)
def test_dates_of_every_era_are_read(text: str, expected: date) -> None:
    assert parse_japanese_date(text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H29.10.10＊", date(2017, 10, 10)),
        ("H29.2.6", date(2017, 2, 6)),
        ("H29.7.1", date(2017, 7, 1)),
        ("H29.4.11", date(2017, 4, 11)),
        ("H30.5.25", date(2018, 5, 25)),
        ("平成30年5月25日", date(2018, 5, 25)),
        ("H30.8.22", date(2018, 8, 22)),
        ("H29.6.1", date(2017, 6, 1)),
        ("H31.3末", date(2019, 3, 31)),
        ("H30.3末", date(2018, 3, 31)),
    ],
)
def test_the_dates_written_in_the_seed_are_read(text: str, expected: date) -> None:
    assert parse_japanese_date(text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H31.3末", date(2019, 3, 31)),
        ("平成31年3月末", date(2019, 3, 31)),
        ("平成31年3月末日", date(2019, 3, 31)),
        ("H31.3.末", date(2019, 3, 31)),
        ("Ｈ３１．３末", date(2019, 3, 31)),
        ("H30.3末", date(2018, 3, 31)),
        ("H28.2末", date(2016, 2, 29)),
        ("H29.2末", date(2017, 2, 28)),
        ("2019年4月末", date(2019, 4, 30)),
    ],
)
def test_end_of_month_means_the_last_day_of_that_month(text: str, expected: date) -> None:
    assert parse_japanese_date(text).value == expected


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("H29.10.10＊", "＊"),
        ("H29.10.10*", "*"),
        ("H29.10.10（予定）", "（予定）"),
        ("H29.10.10(予定)", "(予定)"),
        ("H29.10.10 予定", "予定"),
        ("H29.10.10\u3000予定 ", "予定"),
        ("平成29年10月10日※", "※"),
        ("Ｈ２９．１０．１０＊", "＊"),
        ("H31.3末（予定）", "（予定）"),
    ],
)
def test_a_trailing_mark_is_ignored_for_the_date_but_kept_as_the_note(text: str, note: str) -> None:
    parsed = parse_japanese_date(text)
    assert parsed.note == note
    assert parsed.value in {date(2017, 10, 10), date(2019, 3, 31)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H31.5.1", date(2019, 5, 1)),
        ("H32.4.1", date(2020, 4, 1)),
        ("平成33年3月31日", date(2021, 3, 31)),
        ("H34.3末", date(2022, 3, 31)),
        ("H50.1.1", date(2038, 1, 1)),
    ],
)
def test_heisei_dates_written_after_the_era_changed_are_read(text: str, expected: date) -> None:
    assert parse_japanese_date(text).value == expected


@pytest.mark.parametrize(
    ("text", "era", "start"),
    [
        ("令和元年4月1日", "令和", "2019-05-01"),
        ("R1.4.30", "令和", "2019-05-01"),
        ("H1.1.7", "平成", "1989-01-08"),
        ("昭和元年12月24日", "昭和", "1926-12-25"),
        ("T1.7.29", "大正", "1912-07-30"),
    ],
)
def test_a_date_before_its_era_began_is_rejected_naming_the_era_start(
    text: str, era: str, start: str
) -> None:
    error = error_of(text)
    assert error.code == "before_era"
    assert str(error) == f"“{text}” does not exist: the {era} era began on {start}."


@pytest.mark.parametrize(
    ("text", "era", "end"),
    [
        ("S64.1.8", "昭和", "1989-01-07"),
        ("昭和65年1月1日", "昭和", "1989-01-07"),
        ("T15.12.25", "大正", "1926-12-24"),
        ("M45.7.30", "明治", "1912-07-29"),
    ],
)
def test_a_date_after_its_era_ended_is_rejected_naming_the_era_end(
    text: str, era: str, end: str
) -> None:
    error = error_of(text)
    assert error.code == "after_era"
    assert str(error) == f"“{text}” does not exist: the {era} era ended on {end}."


@pytest.mark.parametrize("text", ["H29.2.30", "H29.2.29", "H29.4.31", "H29.2.0", "2019-02-29"])
def test_a_day_that_does_not_exist_is_rejected(text: str) -> None:
    error = error_of(text)
    assert error.code == "no_such_day"
    assert f"“{text}” does not exist" in str(error)


def test_the_rejected_day_message_says_how_many_days_the_month_has() -> None:
    assert str(error_of("H29.2.30")) == (
        "“H29.2.30” does not exist: month 2 of 2017 has no day 30 (it has 28 days)."
    )


def test_a_leap_day_is_read() -> None:
    assert parse_japanese_date("H28.2.29").value == date(2016, 2, 29)


@pytest.mark.parametrize("text", ["H29.13.1", "H29.0.1", "2019-13-01"])
def test_a_month_that_does_not_exist_is_rejected(text: str) -> None:
    error = error_of(text)
    assert error.code == "no_such_month"


@pytest.mark.parametrize("text", ["H0.1.1", "令和0年5月1日"])
def test_era_year_zero_is_rejected(text: str) -> None:
    assert error_of(text).code == "year_zero"


def test_a_year_beyond_the_calendar_is_rejected() -> None:
    assert error_of("H9999.1.1").code == "year_out_of_range"


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty_input_is_rejected(text: str) -> None:
    error = error_of(text)
    assert error.code == "empty"
    assert (
        str(error) == "Enter a date, for example H29.10.10, 平成29年10月10日, R1.5.1 or 2019-04-01."
    )


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "H29.10",
        "H29",
        "20171010",
        "2017-10-10T10:00",
        "H29.10.100",
        "H29.10.10.5",
        "X29.10.10",
        "29.10.10",
        "予定 H29.10.10",
    ],
)
def test_unreadable_text_is_rejected_with_a_message_naming_it(text: str) -> None:
    error = error_of(text)
    assert error.code == "unreadable"
    assert str(error) == (
        f"Cannot read the date “{text}”: expected a date such as H29.10.10, 平成29年10月10日, "
        "R1.5.1 or 2019-04-01."
    )


def test_a_date_error_is_a_value_error() -> None:
    assert isinstance(error_of("abc"), ValueError)


def test_a_date_error_can_be_raised_again_as_a_validation_error() -> None:
    error = error_of("H29.2.30")
    again = ValidationError(error.message, code=error.code, params=error.params)
    assert again.messages == [str(error)]


# Writing dates


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (date(2020, 4, 1), "令和2年4月1日", "R2.4.1"),
        (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (date(2017, 10, 10), "平成29年10月10日", "H29.10.10"),
        (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        (date(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
        (date(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
        (date(1868, 1, 1), "明治元年1月1日", "M1.1.1"),
    ],
)
def test_a_date_is_written_in_the_japanese_calendar(day: date, long: str, short: str) -> None:
    assert format_wareki(day) == long
    assert format_wareki(day, style="long") == long
    assert format_wareki(day, style="short") == short


def test_a_date_before_meiji_has_no_japanese_era() -> None:
    with pytest.raises(JapaneseDateError) as caught:
        format_wareki(date(1867, 12, 31))
    assert caught.value.code == "before_meiji"
    assert "1867-12-31" in str(caught.value)


def test_the_era_of_a_date_is_the_era_in_force_that_day() -> None:
    assert era_of(date(2019, 4, 30)) is HEISEI
    assert era_of(date(2019, 5, 1)) is REIWA


def test_eras_follow_each_other_without_gaps() -> None:
    for earlier, later in pairwise(ERAS):
        assert earlier.end is not None
        assert earlier.end + timedelta(days=1) == later.start


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2019, 3, date(2019, 3, 31)),
        (2016, 2, date(2016, 2, 29)),
        (2017, 2, date(2017, 2, 28)),
        (2019, 12, date(2019, 12, 31)),
    ],
)
def test_month_end_is_the_last_day_of_the_month(year: int, month: int, expected: date) -> None:
    assert month_end(year, month) == expected


@given(day=dates, style=wareki_styles)
def test_every_date_is_read_back_from_its_japanese_form(day: date, style: WarekiStyle) -> None:
    assert parse_japanese_date(format_wareki(day, style=style)).value == day


@given(day=dates)
def test_every_date_is_read_back_from_its_western_forms(day: date) -> None:
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day:%Y年%m月%d日}"):
        assert parse_japanese_date(text).value == day


@given(day=dates, style=wareki_styles)
def test_full_width_dates_read_like_half_width_dates(day: date, style: WarekiStyle) -> None:
    text = format_wareki(day, style=style)
    assert parse_japanese_date(to_fullwidth_ascii(text)).value == day


@given(
    day=dates,
    note=st.sampled_from(["＊", "*", "※", "（予定）", "(予定)", "予定", "見込み"]),
    gap=st.sampled_from(["", " ", "\u3000"]),
)
def test_a_note_written_after_any_date_is_kept(day: date, note: str, gap: str) -> None:
    parsed = parse_japanese_date(f"{format_wareki(day, style='short')}{gap}{note}")
    assert parsed == ParsedDate(value=day, note=note)


@given(year=st.integers(min_value=1868, max_value=2100), month=st.integers(1, 12))
def test_end_of_month_is_read_for_every_month(year: int, month: int) -> None:
    last = month_end(year, month)
    era = era_of(last)
    assert parse_japanese_date(f"{era.letter}{era.year_of(year)}.{month}末").value == last


# Fiscal years


@pytest.mark.parametrize(
    "text",
    [
        "H31",
        "h31",
        "H31年度",
        "平成31年度",
        "R1",
        "R1年度",
        "令和元年度",
        "R元年度",
        "2019年度",
        "2019",
        "FY2019",
        "fy2019",
        "FY 2019",
        "Ｈ３１年度",
        "２０１９年度",
        "ＦＹ２０１９",
        " 令和元年度\u3000",
    ],
)
def test_a_fiscal_year_is_read_in_every_documented_form(text: str) -> None:
    assert parse_fiscal_year(text) == 2019


@pytest.mark.parametrize(
    ("text", "expected"),
    [("H30", 2018), ("H32", 2020), ("H33年度", 2021), ("平成34年度", 2022), ("Ｈ３４", 2022)],
)
def test_heisei_fiscal_years_written_after_the_era_changed_are_read(
    text: str, expected: int
) -> None:
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("昭和63年度", 1988), ("平成元年度", 1989), ("大正15年度", 1926), ("昭和元年度", 1926)],
)
def test_fiscal_years_around_an_era_change_are_read(text: str, expected: int) -> None:
    assert parse_fiscal_year(text) == expected


def test_a_fiscal_year_entirely_after_its_era_ended_is_rejected() -> None:
    error = fiscal_year_error_of("昭和64年度")
    assert error.code == "after_era"
    assert str(error) == "“昭和64年度” does not exist: the 昭和 era ended on 1989-01-07."


@pytest.mark.parametrize("text", ["abc", "H31.4", "2019年", "19", "FY", "令和", "平成31年度末"])
def test_an_unreadable_fiscal_year_is_rejected_with_a_message_naming_it(text: str) -> None:
    error = fiscal_year_error_of(text)
    assert error.code == "unreadable"
    assert f"Cannot read the fiscal year “{text}”" in str(error)


def test_an_empty_fiscal_year_is_rejected() -> None:
    assert fiscal_year_error_of(" ").code == "empty"


@pytest.mark.parametrize("text", ["R0", "令和0年度"])
def test_fiscal_era_year_zero_is_rejected(text: str) -> None:
    assert fiscal_year_error_of(text).code == "year_zero"


@pytest.mark.parametrize("text", ["1867", "0999年度", "9999"])
def test_a_fiscal_year_outside_the_calendar_is_rejected(text: str) -> None:
    assert fiscal_year_error_of(text).code == "year_out_of_range"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 3, 31), 2018),
        (date(2019, 4, 1), 2019),
        (date(2019, 12, 31), 2019),
        (date(2020, 1, 1), 2019),
    ],
)
def test_the_fiscal_year_runs_from_april_to_march(day: date, expected: int) -> None:
    assert fiscal_year(day) == expected


def test_the_fiscal_year_range_is_its_first_and_last_day() -> None:
    assert fiscal_year_range(2019) == (date(2019, 4, 1), date(2020, 3, 31))


@pytest.mark.parametrize(
    ("fy", "western", "wareki", "wareki_start"),
    [
        (2018, "2018年度", "平成30年度", "平成30年度"),
        (2019, "2019年度", "令和元年度", "平成31年度"),
        (2020, "2020年度", "令和2年度", "令和2年度"),
        (2022, "2022年度", "令和4年度", "令和4年度"),
        (1988, "1988年度", "昭和63年度", "昭和63年度"),
        (1989, "1989年度", "平成元年度", "平成元年度"),
        (1926, "1926年度", "昭和元年度", "大正15年度"),
        (1912, "1912年度", "大正元年度", "明治45年度"),
    ],
)
def test_a_fiscal_year_is_named_in_each_style(
    fy: int, western: str, wareki: str, wareki_start: str
) -> None:
    assert fiscal_year_label(fy) == western
    assert fiscal_year_label(fy, style="western") == western
    assert fiscal_year_label(fy, style="wareki") == wareki
    assert fiscal_year_label(fy, style="wareki_start") == wareki_start


@given(day=dates)
def test_the_fiscal_year_of_any_date_contains_that_date(day: date) -> None:
    first, last = fiscal_year_range(fiscal_year(day))
    assert first <= day <= last


@given(fy=fiscal_years)
def test_consecutive_fiscal_years_are_contiguous(fy: int) -> None:
    assert fiscal_year_range(fy)[1] + timedelta(days=1) == fiscal_year_range(fy + 1)[0]


@given(fy=fiscal_years, style=fiscal_year_styles)
def test_every_fiscal_year_label_is_read_back_as_its_year(fy: int, style: FiscalYearStyle) -> None:
    assert parse_fiscal_year(fiscal_year_label(fy, style=style)) == fy
