"""全国地方公共団体コード: the 6-digit local government code of 総務省.

The first five digits are JIS X 0402 (two for the prefecture, JIS X 0401, three for the city
part); the sixth is a check digit. Wards of designated cities (行政区) carry codes of their own
although they are not local governments.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Weights of 総務省's check digit, for the five digits of the JIS X 0402 code.
CHECK_WEIGHTS = (6, 5, 4, 3, 2)

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_DIGITS = re.compile(r"[0-9]+")

# The values of ``models.MunicipalityKind``; kept here as plain strings so that this module
# imports no model.
CITY = "city"
DESIGNATED_CITY = "designated_city"
WARD = "ward"
SPECIAL_WARD = "special_ward"
TOWN = "town"
VILLAGE = "village"

# 東京都: its wards are special wards (特別区), each a local government of its own.
TOKYO = "13"


class InvalidMunicipalityCode(ValueError):
    """A value that is not a valid 全国地方公共団体コード (or JIS X 0402 code)."""

    def __init__(self, value: object, reason: str):
        self.value = value
        self.reason = reason
        super().__init__(
            _("%(code)s is not a valid local government code: %(reason)s")
            % {"code": value, "reason": reason}
        )


def municipality_check_digit(code5: str) -> int:
    """The check digit of a 5-digit JIS X 0402 code.

    総務省's rule: the digits times 6, 5, 4, 3, 2, summed; 11 minus the remainder of the sum
    divided by 11; the ones digit of that (so 10 gives 0 and 11 gives 1).
    """
    if len(code5) != 5 or not code5.isascii() or not code5.isdigit():
        raise InvalidMunicipalityCode(code5, _("expected 5 digits"))
    total = sum(int(digit) * weight for digit, weight in zip(code5, CHECK_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def _prefecture_in_range(code: str) -> bool:
    return 1 <= int(code[:2]) <= 47


def is_valid_local_government_code(code6: str) -> bool:
    """Whether ``code6`` is six ASCII digits, of prefecture 01–47, with the right check digit."""
    if not isinstance(code6, str) or len(code6) != 6 or not _DIGITS.fullmatch(code6):
        return False
    return _prefecture_in_range(code6) and municipality_check_digit(code6[:5]) == int(code6[5])


def normalize_local_government_code(value: str) -> str:
    """The 6-digit code for ``value``: 5 digits get their check digit, 6 digits have it checked.

    Full-width digits and surrounding spaces are accepted.
    """
    if not isinstance(value, str):
        raise InvalidMunicipalityCode(value, _("expected a string of 5 or 6 digits"))
    text = value.strip().translate(_FULL_WIDTH_DIGITS)
    if not _DIGITS.fullmatch(text) or len(text) not in (5, 6):
        raise InvalidMunicipalityCode(value, _("expected 5 or 6 digits"))
    if not _prefecture_in_range(text):
        raise InvalidMunicipalityCode(value, _("the prefecture part must be 01 to 47"))
    expected = municipality_check_digit(text[:5])
    if len(text) == 5:
        return f"{text}{expected}"
    if int(text[5]) != expected:
        raise InvalidMunicipalityCode(
            value,
            _("the check digit is %(actual)s but should be %(expected)s")
            % {"actual": text[5], "expected": expected},
        )
    return text


def infer_kind(code6: str, name: str) -> str:
    """The kind of municipality (a ``MunicipalityKind`` value) that ``code6`` and ``name`` denote.

    JIS X 0402 city part 100–199: in Tokyo the special wards; elsewhere the designated cities
    (city part ending in 0, name ending in 市) and their wards (name ending in 区). 201–299:
    cities. Otherwise towns (町) and villages (村), told apart by the name's last character.
    """
    city_part = int(code6[2:5])
    if city_part == 0:
        raise ValueError(_("%(code)s is the code of a prefecture.") % {"code": code6})
    last = name[-1:]
    if 100 <= city_part <= 199:
        if code6[:2] == TOKYO and last == "区":
            return SPECIAL_WARD
        if code6[:2] != TOKYO and city_part % 10 == 0 and last == "市":
            return DESIGNATED_CITY
        if code6[:2] != TOKYO and last == "区":
            return WARD
    elif 201 <= city_part <= 299:
        if last == "市":
            return CITY
    elif last == "町":
        return TOWN
    elif last == "村":
        return VILLAGE
    raise ValueError(
        _("Cannot tell the kind of municipality of %(code)s %(name)s.")
        % {"code": code6, "name": name}
    )
