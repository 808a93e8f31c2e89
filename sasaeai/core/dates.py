"""Japanese dates (和暦) and fiscal years (年度).

Reads the dates written in the center's documents (``H29.10.10``, ``平成30年5月25日``,
``H31.3末``, ``R1.5.1``, full-width digits, trailing marks such as ``＊``) and writes dates and
fiscal years back in the Japanese forms.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sasaeai.core.errors import UserInputError

__all__ = [
    "ERAS",
    "Era",
    "FiscalYearStyle",
    "JapaneseDateError",
    "ParsedDate",
    "WarekiStyle",
    "era_of",
    "fiscal_year",
    "fiscal_year_label",
    "fiscal_year_range",
    "format_wareki",
    "month_end",
    "parse_fiscal_year",
    "parse_japanese_date",
]

WarekiStyle = Literal["long", "short"]
FiscalYearStyle = Literal["western", "wareki", "wareki_start"]

# Fiscal years read by parse_fiscal_year: from the first Meiji year to the last one whose
# March 31 is still a valid date.
MIN_FISCAL_YEAR = 1868
MAX_FISCAL_YEAR = datetime.MAXYEAR - 1

DATE_EMPTY = _("Enter a date, for example H29.10.10, 平成29年10月10日, R1.5.1 or 2019-04-01.")
DATE_UNREADABLE = _(
    "Cannot read the date “%(value)s”: expected a date such as H29.10.10, 平成29年10月10日, "
    "R1.5.1 or 2019-04-01."
)
FISCAL_YEAR_EMPTY = _("Enter a fiscal year, for example H31, 平成31年度, 令和元年度 or 2019年度.")
FISCAL_YEAR_UNREADABLE = _(
    "Cannot read the fiscal year “%(value)s”: expected a fiscal year such as H31, 平成31年度, "
    "R1年度, 令和元年度, 2019年度 or FY2019."
)
ERA_YEAR_ZERO = _("“%(value)s” does not exist: era years start at 1 (元年).")
YEAR_OUT_OF_RANGE = _("“%(value)s” is out of range: the year must be between %(min)s and %(max)s.")
NO_SUCH_MONTH = _("“%(value)s” does not exist: there is no month %(month)s.")
NO_SUCH_DAY = _(
    "“%(value)s” does not exist: month %(month)s of %(year)s has no day %(day)s "
    "(it has %(days)s days)."
)
BEFORE_ERA = _("“%(value)s” does not exist: the %(era)s era began on %(start)s.")
AFTER_ERA = _("“%(value)s” does not exist: the %(era)s era ended on %(end)s.")
BEFORE_MEIJI = _(
    "%(value)s has no Japanese era name: the first supported era, 明治, began on %(start)s."
)


class JapaneseDateError(UserInputError, ValueError):
    """A text that cannot be read as a Japanese date or fiscal year, or a date with no era."""


@dataclass(frozen=True)
class Era:
    """A Japanese era (元号): its kanji name, its initial letter and its first and last days."""

    name: str
    letter: str
    start: datetime.date
    end: datetime.date | None = None
    read_after_end: bool = False

    def year_of(self, western_year: int) -> int:
        """Return the era year (1 = 元年) of a western year."""
        return western_year - self.start.year + 1

    def western_year(self, era_year: int) -> int:
        """Return the western year of an era year (1 = 元年)."""
        return self.start.year + era_year - 1


# Meiji was proclaimed on 1868-10-23 and applied from the start of that year, when Japan still
# used the lunisolar calendar; Meiji dates are read as Gregorian dates from 1868-01-01.
MEIJI = Era("明治", "M", datetime.date(1868, 1, 1), datetime.date(1912, 7, 29))
TAISHO = Era("大正", "T", datetime.date(1912, 7, 30), datetime.date(1926, 12, 24))
SHOWA = Era("昭和", "S", datetime.date(1926, 12, 25), datetime.date(1989, 1, 7))
# Documents kept writing H31.5.1, H32 ... H34 after the era changed on 2019-05-01.
HEISEI = Era(
    "平成", "H", datetime.date(1989, 1, 8), datetime.date(2019, 4, 30), read_after_end=True
)
REIWA = Era("令和", "R", datetime.date(2019, 5, 1))

ERAS: tuple[Era, ...] = (MEIJI, TAISHO, SHOWA, HEISEI, REIWA)

# Each era is written as its initial letter, its name, or the first kanji of its name (平29.4.1).
_ERA_BY_TOKEN: dict[str, Era] = {
    token: era for era in ERAS for token in (era.letter, era.name, era.name[0])
}
_ERA_PATTERN = "|".join(sorted(map(re.escape, _ERA_BY_TOKEN), key=len, reverse=True))
_YEAR_PATTERN = rf"(?:(?P<era>{_ERA_PATTERN})\s*(?P<era_year>[0-9]{{1,4}}|元)|(?P<year>[0-9]{{4}}))"

_DATE = re.compile(
    rf"""\s*{_YEAR_PATTERN}
    \s*(?:[./-]|年)\s*(?P<month>[0-9]{{1,2}})\s*
    (?:(?:[./-]|月)\s*(?P<day>[0-9]{{1,2}})(?:\s*日)?
      |(?:[./-]|月)?\s*(?P<month_end>末)日?)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_FISCAL_YEAR = re.compile(rf"\s*(?:FY\s*)?{_YEAR_PATTERN}\s*(?:年度)?\s*", re.IGNORECASE)
# What may not follow a date directly: it would be part of a longer, unreadable date.
_NOT_A_NOTE = re.compile(r"[0-9A-Za-z./-]")


@dataclass(frozen=True)
class ParsedDate:
    """A date read from text, with the mark or note written after it (``＊``, ``（予定）``)."""

    value: datetime.date
    note: str = ""


def month_end(year: int, month: int) -> datetime.date:
    """Return the last day of a month."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def era_of(d: datetime.date) -> Era:
    """Return the era in force on a date; raise ``JapaneseDateError`` before Meiji."""
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    raise JapaneseDateError(
        BEFORE_MEIJI,
        code="before_meiji",
        params={"value": d.isoformat(), "start": MEIJI.start.isoformat()},
    )


def _long_year(era_year: int) -> str:
    return "元" if era_year == 1 else str(era_year)


def format_wareki(d: datetime.date, *, style: WarekiStyle = "long") -> str:
    """Write a date in the Japanese calendar: ``令和元年5月1日`` (long) or ``R1.5.1`` (short)."""
    era = era_of(d)
    era_year = era.year_of(d.year)
    if style == "short":
        return f"{era.letter}{era_year}.{d.month}.{d.day}"
    return f"{era.name}{_long_year(era_year)}年{d.month}月{d.day}日"


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC-normalize ``text`` and map each normalized position back to ``text``."""
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char)
        pieces.append(piece)
        offsets.extend([index] * len(piece))
    offsets.append(len(text))
    return "".join(pieces), offsets


def _error(message: str | Promise, code: str, value: str, **params: object) -> JapaneseDateError:
    return JapaneseDateError(message, code=code, params={"value": value, **params})


def _western_year(match: re.Match[str], value: str) -> tuple[int, Era | None]:
    """Return the western year of a matched date or fiscal year, and its era if written."""
    if match["year"]:
        return int(match["year"]), None
    era = _ERA_BY_TOKEN[match["era"].upper()]
    era_year = 1 if match["era_year"] == "元" else int(match["era_year"])
    if era_year == 0:
        raise _error(ERA_YEAR_ZERO, "year_zero", value)
    return era.western_year(era_year), era


def _check_year(year: int, value: str, *, low: int, high: int) -> None:
    if not low <= year <= high:
        raise _error(YEAR_OUT_OF_RANGE, "year_out_of_range", value, min=low, max=high)


def _make_date(match: re.Match[str], value: str) -> datetime.date:
    year, era = _western_year(match, value)
    _check_year(year, value, low=datetime.MINYEAR, high=datetime.MAXYEAR)
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise _error(NO_SUCH_MONTH, "no_such_month", value, month=month)
    if match["month_end"]:
        d = month_end(year, month)
    else:
        d = _make_day(year, month, int(match["day"]), value)
    if era is not None:
        _check_not_before_era(d, era, value)
        _check_not_after_era(d, era, value)
    return d


def _make_day(year: int, month: int, day: int, value: str) -> datetime.date:
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise _error(NO_SUCH_DAY, "no_such_day", value, year=year, month=month, day=day, days=days)
    return datetime.date(year, month, day)


def _check_not_before_era(d: datetime.date, era: Era, value: str) -> None:
    if d < era.start:
        raise _error(BEFORE_ERA, "before_era", value, era=era.name, start=era.start.isoformat())


def _check_not_after_era(d: datetime.date, era: Era, value: str) -> None:
    if era.end is not None and d > era.end and not era.read_after_end:
        raise _error(AFTER_ERA, "after_era", value, era=era.name, end=era.end.isoformat())


def parse_japanese_date(text: str) -> ParsedDate:
    """Read a Japanese or western date; a mark or note written after it is kept in ``note``.

    Accepts ``H29.10.10``, ``H29/10/10``, ``平成29年10月10日``, ``令和元年5月1日``, ``H31.3末``
    (last day of the month), ``2019-04-01``, ``2019年4月1日``, full-width forms and a trailing
    ``＊`` or ``（予定）``. Heisei dates after the era ended (``H32.4.1``) are read as written.
    """
    value = text.strip()
    if not value:
        raise _error(DATE_EMPTY, "empty", value)
    normalized, offsets = _normalize_with_offsets(text)
    match = _DATE.match(normalized)
    if match is None or _NOT_A_NOTE.match(normalized, match.end()):
        raise _error(DATE_UNREADABLE, "unreadable", value)
    note = text[offsets[match.end()] :].strip()
    return ParsedDate(value=_make_date(match, value), note=note)


def fiscal_year(d: datetime.date) -> int:
    """Return the fiscal year (年度, April 1 – March 31) of a date, named by its April's year."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_range(fy: int) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of a fiscal year."""
    return datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)


def parse_fiscal_year(text: str) -> int:
    """Read a fiscal year: ``H31``, ``平成31年度``, ``R1年度``, ``令和元年度``, ``2019年度``,
    ``2019`` or ``FY2019``. Heisei years after the era ended (``H32`` = 2020) are accepted.
    """
    value = text.strip()
    if not value:
        raise _error(FISCAL_YEAR_EMPTY, "empty", value)
    match = _FISCAL_YEAR.fullmatch(unicodedata.normalize("NFKC", text))
    if match is None:
        raise _error(FISCAL_YEAR_UNREADABLE, "unreadable", value)
    fy, era = _western_year(match, value)
    _check_year(fy, value, low=MIN_FISCAL_YEAR, high=MAX_FISCAL_YEAR)
    if era is not None:
        # A fiscal year exists in an era if any of its days does.
        first, last = fiscal_year_range(fy)
        _check_not_before_era(last, era, value)
        _check_not_after_era(first, era, value)
    return fy


def _fiscal_year_era(fy: int, style: FiscalYearStyle) -> Era:
    first, last = fiscal_year_range(fy)
    if style == "wareki_start":
        return era_of(first)
    era = era_of(last)
    # An era that began in January–March (平成: 1989-01-08) names the next fiscal year
    # (平成元年度 = 1989), not the one it began in (昭和63年度 = 1988).
    return era if era.start.year <= fy else era_of(first)


def fiscal_year_label(fy: int, *, style: FiscalYearStyle = "western") -> str:
    """Name a fiscal year: ``2019年度`` (western), ``令和元年度`` (wareki: the era on its last
    day) or ``平成31年度`` (wareki_start: the era on its first day).
    """
    if style == "western":
        return f"{fy}年度"
    era = _fiscal_year_era(fy, style)
    return f"{era.name}{_long_year(era.year_of(fy))}年度"


def end_of_day(d: datetime.date) -> datetime.datetime:
    """The first instant after ``d`` in the project's time zone (Japan): records timed before
    it happened on or before ``d``."""
    from django.utils import timezone

    return timezone.make_aware(
        datetime.datetime.combine(d + datetime.timedelta(days=1), datetime.time.min)
    )
