"""Cell parsers for table specs.

Each receives a cell as a normalised, non-empty string (NFKC: full-width digits are ASCII,
half-width katakana full-width, spaces trimmed) and returns its value or raises
``ValidationError`` with a message for the person who typed it.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.core.dates import JapaneseDateError, parse_japanese_date
from sasaeai.core.hojin import normalize_corporate_number, validate_corporate_number
from sasaeai.core.text import normalize_text, search_key

from .errors import join_names

__all__ = [
    "parse_bool",
    "parse_choice",
    "parse_corporate_number",
    "parse_date",
    "parse_int",
    "parse_text",
]

TOO_LONG = _("Enter at most %(max)s characters (this has %(count)s).")
NOT_AN_INTEGER = _("Enter a whole number, for example 12 or 1,200.")
TOO_SMALL = _("Enter a number of at least %(min)s.")
TOO_BIG = _("Enter a number of at most %(max)s.")
NOT_A_BOOL = _("Enter はい or いいえ (○, ×, 1, 0, TRUE and FALSE are also accepted).")
NOT_A_CHOICE = _("Enter one of: %(choices)s.")
NOTE_AFTER_DATE = _("Remove “%(note)s” written after the date.")

# Grouped thousands as Excel writes them in a CSV (1,200), or plain digits.
_INTEGER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)")
# A time of day after a date: Excel date-times are read as “2019-04-01 09:30:00”.
_TIME_OF_DAY = re.compile(r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?")

_TRUE = ("はい", "○", "◯", "〇", "1", "TRUE", "yes")
_FALSE = ("いいえ", "×", "✕", "0", "FALSE", "no")
_BOOLS = {word: value for words, value in ((_TRUE, True), (_FALSE, False)) for word in words}


def parse_text(max_length: int | None = None) -> Callable[[str], str]:
    """Return a parser that keeps the text, refusing more than ``max_length`` characters."""

    def parse(text: str) -> str:
        if max_length is not None and len(text) > max_length:
            raise ValidationError(
                TOO_LONG, code="max_length", params={"max": max_length, "count": len(text)}
            )
        return text

    return parse


def parse_int(min_value: int | None = None, max_value: int | None = None) -> Callable[[str], int]:
    """Return a parser of whole numbers (``1200``, ``1,200``, ``＋１２``) within the bounds."""

    def parse(text: str) -> int:
        if not _INTEGER.fullmatch(text):
            raise ValidationError(NOT_AN_INTEGER, code="invalid")
        value = int(text.replace(",", ""))
        if min_value is not None and value < min_value:
            raise ValidationError(TOO_SMALL, code="min_value", params={"min": min_value})
        if max_value is not None and value > max_value:
            raise ValidationError(TOO_BIG, code="max_value", params={"max": max_value})
        return value

    return parse


# Pure functions of the cell's text, cached: a file repeats the same dates and 法人番号 (every
# facility row names its corporation). A cell in error raises again each time (not cached).
@functools.lru_cache(maxsize=65536)
def parse_date(text: str) -> datetime.date:
    """Read a date: 和暦 (``H29.10.10``, ``平成29年10月10日``, ``R1.5.1``) or ISO from Excel.

    A time of day after the date (an Excel date-time) is ignored; any other note after it
    (``＊``, ``（予定）``) is refused rather than silently dropped.
    """
    if len(text) == 10 and text[4] == "-" == text[7]:
        # ISO, as dates from Excel arrive: the common case, read without the 和暦 machinery.
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass  # Not a real date (2019-02-30): parse_japanese_date says why.
    try:
        parsed = parse_japanese_date(text)
    except JapaneseDateError as error:
        raise ValidationError(error.message, code=error.code, params=error.params) from error
    if parsed.note and not _TIME_OF_DAY.fullmatch(parsed.note):
        raise ValidationError(NOTE_AFTER_DATE, code="note", params={"note": parsed.note})
    return parsed.value


@functools.lru_cache(maxsize=65536)
def parse_corporate_number(text: str) -> str:
    """Read a 法人番号 (hyphens, spaces, full-width digits allowed); return its 13 digits."""
    validate_corporate_number(text)
    return normalize_corporate_number(text)


_MISSING = object()


class _Labels:
    """Labels matched exactly first (the common case), then by search key (ｶﾅ, かな, case)."""

    def __init__(self, choices: Mapping[str, object]) -> None:
        self.exact = {normalize_text(label): value for label, value in choices.items()}
        self.by_key = {search_key(label): value for label, value in choices.items()}

    def get(self, text: str) -> object:
        value = self.exact.get(text, _MISSING)
        return self.by_key.get(search_key(text), _MISSING) if value is _MISSING else value


_BOOL_LABELS = _Labels(_BOOLS)


def parse_bool(text: str) -> bool:
    """Read yes or no: はい/いいえ, ○/×, 1/0, TRUE/FALSE (as Excel writes them), yes/no."""
    value = _BOOL_LABELS.get(text)
    if value is _MISSING:
        raise ValidationError(NOT_A_BOOL, code="invalid")
    return value


def parse_choice(choices: Mapping[str, object]) -> Callable[[str], object]:
    """Return a parser of the labels of ``choices`` (label → value), matched by search key."""
    labels = _Labels(choices)
    names = tuple(choices)

    def parse(text: str) -> object:
        value = labels.get(text)
        if value is _MISSING:
            raise ValidationError(
                NOT_A_CHOICE, code="invalid_choice", params={"choices": join_names(names)}
            )
        return value

    return parse
