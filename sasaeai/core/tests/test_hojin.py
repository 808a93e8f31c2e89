"""Corporate numbers (法人番号)."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from sasaeai.core.hojin import (
    corporate_number_check_digit,
    is_valid_corporate_number,
    make_corporate_number,
    normalize_corporate_number,
    validate_corporate_number,
)

# Published corporate numbers: National Tax Agency, National Diet Library, Toyota Motor.
PUBLISHED_NUMBERS = ["7000012050002", "1000011000005", "1180301018771"]

base_numbers = st.text(alphabet="0123456789", min_size=12, max_size=12)


pytestmark = pytest.mark.usefixtures("english")


def error_of(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_corporate_number(value)
    return caught.value


@pytest.mark.parametrize("number", PUBLISHED_NUMBERS)
def test_published_corporate_numbers_are_valid(number: str) -> None:
    assert is_valid_corporate_number(number)
    validate_corporate_number(number)


@pytest.mark.parametrize("number", PUBLISHED_NUMBERS)
def test_the_check_digit_of_a_published_number_is_its_first_digit(number: str) -> None:
    assert corporate_number_check_digit(number[1:]) == int(number[0])
    assert make_corporate_number(number[1:]) == number


def test_the_check_digit_is_computed_from_the_right_end_with_weights_one_and_two() -> None:
    # 000012050002: 2×1 + 0×2 + 0×1 + 0×2 + 5×1 + 0×2 + 2×1 + 1×2 = 11; 9 − 11 mod 9 = 7.
    assert corporate_number_check_digit("000012050002") == 7


@pytest.mark.parametrize(
    "typed",
    [
        "7-0000-1205-0002",
        "7 0000 1205 0002",
        " 7000012050002\n",
        "７０００ー０１２０－５０００２",
        "7\u30000000\u20101205\u22120002",
    ],
)
def test_spaces_hyphens_and_full_width_digits_are_ignored(typed: str) -> None:
    assert normalize_corporate_number(typed) == "7000012050002"
    assert is_valid_corporate_number(typed)


def test_a_wrong_check_digit_is_reported_with_the_expected_digit() -> None:
    error = error_of("8000012050002")
    assert error.code == "invalid_check_digit"
    assert error.params == {"value": "8000012050002", "actual": "8", "expected": 7}
    assert error.messages == [
        "“8000012050002” is not a valid corporate number: its check digit (the first digit) is 8 "
        "but should be 7 for the 12 digits that follow. Please check it for a typing error."
    ]


@pytest.mark.parametrize(
    ("value", "count"), [("", 0), ("700001205000", 12), ("70000120500021", 14)]
)
def test_a_number_without_13_digits_is_reported_with_its_length(value: str, count: int) -> None:
    error = error_of(value)
    assert error.code == "invalid_length"
    assert error.messages == [
        f"“{value}” is not a corporate number: expected 13 digits but found {count}."
    ]


@pytest.mark.parametrize("value", ["700001205000A", "T7000012050002", "7000.0120.5000.2"])
def test_a_number_with_other_characters_is_reported_as_such(value: str) -> None:
    error = error_of(value)
    assert error.code == "invalid_characters"
    assert error.messages == [
        f"“{value}” is not a corporate number: it may contain only digits, spaces and hyphens."
    ]
    assert not is_valid_corporate_number(value)


def test_the_validator_works_on_a_django_form_field() -> None:
    field = forms.CharField(validators=[validate_corporate_number])
    assert field.clean("7000012050002") == "7000012050002"
    with pytest.raises(ValidationError):
        field.clean("8000012050002")


@pytest.mark.parametrize("base", ["", "12345678901", "1234567890123", "12345678901X"])
def test_a_base_number_must_have_12_digits(base: str) -> None:
    with pytest.raises(ValueError, match="12 digits"):
        corporate_number_check_digit(base)


def test_the_check_digit_cannot_tell_a_0_from_a_9() -> None:
    # Swapping 0 and 9 changes the weighted sum by 9 or 18, which mod 9 does not see.
    assert is_valid_corporate_number("7900012050002")
    assert is_valid_corporate_number("7000012050992")


@given(base=base_numbers)
def test_a_made_number_is_always_valid(base: str) -> None:
    number = make_corporate_number(base)
    assert len(number) == 13
    assert number[1:] == base
    assert number[0] != "0"
    assert is_valid_corporate_number(number)


@given(
    base=base_numbers,
    position=st.integers(min_value=0, max_value=12),
    digit=st.sampled_from("0123456789"),
)
def test_changing_one_digit_of_a_valid_number_makes_it_invalid(
    base: str, position: int, digit: str
) -> None:
    number = make_corporate_number(base)
    assume(digit != number[position])
    # A 0 and a 9 in the base number are indistinguishable to the check digit (see above).
    assume(position == 0 or {digit, number[position]} != {"0", "9"})
    changed = number[:position] + digit + number[position + 1 :]
    assert not is_valid_corporate_number(changed)


@given(base=base_numbers)
def test_a_number_with_a_check_digit_of_0_is_never_valid(base: str) -> None:
    assert not is_valid_corporate_number("0" + base)
