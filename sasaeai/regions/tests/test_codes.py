import pytest
from hypothesis import given
from hypothesis import strategies as st

from sasaeai.regions.codes import (
    InvalidMunicipalityCode,
    infer_kind,
    is_valid_local_government_code,
    municipality_check_digit,
    normalize_local_government_code,
)

pytestmark = pytest.mark.usefixtures("english")


prefectures = st.integers(min_value=1, max_value=47).map(lambda n: f"{n:02d}")
city_parts = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")
codes5 = st.builds(lambda prefecture, city: prefecture + city, prefectures, city_parts)


def remainder(code5: str) -> int:
    return sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True)) % 11


@pytest.mark.parametrize(
    ("code5", "check_digit"),
    [
        ("33100", 7),  # 岡山市
        ("33101", 5),  # 岡山市北区
        ("33102", 3),  # 岡山市中区
        ("33103", 1),  # 岡山市東区
        ("33104", 0),  # 岡山市南区
        ("33586", 0),  # 新庄村
        ("01100", 2),  # 札幌市
        ("13101", 6),  # 千代田区
        ("47382", 1),  # 与那国町
    ],
)
def test_check_digit_of_known_codes(code5, check_digit):
    assert municipality_check_digit(code5) == check_digit


@given(codes5)
def test_a_computed_check_digit_always_validates(code5):
    assert is_valid_local_government_code(f"{code5}{municipality_check_digit(code5)}")


@given(codes5, st.integers(min_value=1, max_value=9))
def test_a_changed_check_digit_is_always_detected(code5, delta):
    wrong = (municipality_check_digit(code5) + delta) % 10
    assert not is_valid_local_government_code(f"{code5}{wrong}")


@given(codes5, st.integers(min_value=0, max_value=4), st.integers(min_value=1, max_value=9))
def test_a_changed_digit_goes_unnoticed_only_between_remainders_0_and_10(code5, position, delta):
    """Remainders 0 and 10 both give check digit 1 (11 and 1): the one blind spot of the rule."""
    digit = (int(code5[position]) + delta) % 10
    changed = code5[:position] + str(digit) + code5[position + 1 :]
    unnoticed = municipality_check_digit(changed) == municipality_check_digit(code5)
    assert unnoticed == ({remainder(code5), remainder(changed)} == {0, 10})


def test_the_blind_spot_exists_even_between_real_codes():
    # 岡山県 330001 and 東京都 130001: one digit apart, both valid.
    assert {remainder("33000"), remainder("13000")} == {0, 10}
    assert is_valid_local_government_code("330001")
    assert is_valid_local_government_code("130001")


@pytest.mark.parametrize("value", ["33100", "331007", "３３１００", "３３１００７", " 33100 "])
def test_normalize_accepts_five_or_six_digits_in_any_width(value):
    assert normalize_local_government_code(value) == "331007"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("331008", "check digit"),
        ("3310", "5 or 6 digits"),
        ("3310077", "5 or 6 digits"),
        ("33-100", "5 or 6 digits"),
        ("", "5 or 6 digits"),
        ("48100", "01 to 47"),
        ("00100", "01 to 47"),
        (33100, "string"),
    ],
)
def test_normalize_rejects_with_the_code_and_the_reason(value, reason):
    with pytest.raises(InvalidMunicipalityCode) as raised:
        normalize_local_government_code(value)
    assert str(value) in str(raised.value)
    assert reason in str(raised.value)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    "value", ["33100", "331008", "33100a", "３３１００７", 331007, None, "481001"]
)
def test_is_valid_rejects_what_is_not_a_valid_six_digit_code(value):
    assert not is_valid_local_government_code(value)


@pytest.mark.parametrize(
    ("code6", "name", "kind"),
    [
        ("131016", "千代田区", "special_ward"),
        ("331007", "岡山市", "designated_city"),
        ("141305", "川崎市", "designated_city"),
        ("331015", "北区", "ward"),
        ("011100", "清田区", "ward"),  # city part ends in 0, yet a ward
        ("332020", "倉敷市", "city"),
        ("333468", "和気町", "town"),
        ("335860", "新庄村", "village"),
    ],
)
def test_infer_kind(code6, name, kind):
    assert infer_kind(code6, name) == kind


@pytest.mark.parametrize(
    ("code6", "name"),
    [("330001", "岡山県"), ("332020", "倉敷町"), ("333468", "和気"), ("131016", "千代田市")],
)
def test_infer_kind_refuses_what_does_not_fit(code6, name):
    with pytest.raises(ValueError, match=code6):
        infer_kind(code6, name)
