"""Corporate numbers (法人番号).

A corporate number has 13 digits: a check digit followed by a 12-digit base number. The check
digit is 9 − (Σ Pn × Qn mod 9) for n = 1 … 12, where Pn is the n-th digit of the base counted
from its right end and Qn is 1 for odd n and 2 for even n (National Tax Agency specification).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "corporate_number_check_digit",
    "is_valid_corporate_number",
    "make_corporate_number",
    "normalize_corporate_number",
    "validate_corporate_number",
]

CORPORATE_NUMBER_LENGTH = 13
BASE_NUMBER_LENGTH = 12

INVALID_CHARACTERS = _(
    "“%(value)s” is not a corporate number: it may contain only digits, spaces and hyphens."
)
WRONG_LENGTH = _("“%(value)s” is not a corporate number: expected 13 digits but found %(count)s.")
WRONG_CHECK_DIGIT = _(
    "“%(value)s” is not a valid corporate number: its check digit (the first digit) is "
    "%(actual)s but should be %(expected)s for the 12 digits that follow. Please check it for "
    "a typing error."
)

# Spaces and the dashes people type between digit groups, including the long vowel mark ー
# that Japanese input methods produce for a hyphen.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]")


def normalize_corporate_number(value: str) -> str:
    """Return a corporate number as typed, NFKC-normalised and without spaces or hyphens."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))


def _is_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def corporate_number_check_digit(base12: str) -> int:
    """Return the check digit (1–9) of a 12-digit base number."""
    digits = normalize_corporate_number(base12)
    if len(digits) != BASE_NUMBER_LENGTH or not _is_digits(digits):
        msg = f"A corporate base number has 12 digits, not {base12!r}."
        raise ValueError(msg)
    total = sum(
        int(digit) * (2 if n % 2 == 0 else 1) for n, digit in enumerate(reversed(digits), start=1)
    )
    return 9 - total % 9


def make_corporate_number(base12: str) -> str:
    """Return the 13-digit corporate number of a 12-digit base number."""
    digits = normalize_corporate_number(base12)
    return f"{corporate_number_check_digit(digits)}{digits}"


def validate_corporate_number(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a corporate number (a field validator)."""
    number = normalize_corporate_number(value)
    if number and not _is_digits(number):
        raise ValidationError(
            INVALID_CHARACTERS, code="invalid_characters", params={"value": value}
        )
    if len(number) != CORPORATE_NUMBER_LENGTH:
        raise ValidationError(
            WRONG_LENGTH, code="invalid_length", params={"value": value, "count": len(number)}
        )
    expected = corporate_number_check_digit(number[1:])
    if int(number[0]) != expected:
        raise ValidationError(
            WRONG_CHECK_DIGIT,
            code="invalid_check_digit",
            params={"value": value, "actual": number[0], "expected": expected},
        )


def is_valid_corporate_number(value: str) -> bool:
    """Tell whether ``value`` is a corporate number with a correct check digit."""
    try:
        validate_corporate_number(value)
    except ValidationError:
        return False
    return True
