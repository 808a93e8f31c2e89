"""Text normalisation for storage and search keys."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sasaeai.core.text import (
    hiragana_to_katakana,
    normalize_text,
    search_key,
    to_fullwidth_katakana,
)

# Every half-width katakana character and voiced pair, and its full-width form.
HALF_PLAIN = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ"
FULL_PLAIN = (
    "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソ"
    "タチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
)
HALF_VOICED = re.findall(".[ﾞﾟ]", "ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞｳﾞﾜﾞｦﾞﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ")
FULL_VOICED = "ガギグゲゴザジズゼゾダヂヅデドバビブベボヴヷヺパピプペポ"
KANA_PAIRS = [
    *zip(HALF_PLAIN, FULL_PLAIN, strict=True),
    *zip(HALF_VOICED, FULL_VOICED, strict=True),
]

# Text that is neither half-width katakana nor a voiced mark, to mix with the pairs.
other_text = st.text(
    alphabet=st.characters(exclude_characters=[chr(c) for c in range(0xFF61, 0xFFA0)]),
    max_size=5,
)
kana_units = st.sampled_from(KANA_PAIRS) | other_text.map(lambda text: (text, text))
half_and_full = st.lists(kana_units, max_size=20).map(
    lambda units: ("".join(half for half, _ in units), "".join(full for _, full in units))
)


# normalize_text


def test_half_width_katakana_becomes_full_width() -> None:
    assert normalize_text("ﾈｯﾄﾜｰｸ") == "ネットワーク"
    assert normalize_text("ｾﾝﾀｰ") == "センター"


def test_full_width_letters_and_digits_become_ascii() -> None:
    assert normalize_text("ＡＢＣ　Ｈ２９．１０．１０") == "ABC H29.10.10"


def test_every_run_of_whitespace_becomes_one_space_and_the_ends_are_trimmed() -> None:
    assert (
        normalize_text(" \u3000岡山\u3000\u3000ささえ愛\t\nセンター \n") == "岡山 ささえ愛 センター"
    )


@pytest.mark.parametrize("text", [None, "", "   ", "\u3000\n\t"])
def test_nothing_and_blank_text_give_an_empty_string(text: str | None) -> None:
    assert normalize_text(text) == ""
    assert normalize_text(text, multiline=True) == ""


def test_multiline_text_keeps_its_line_breaks() -> None:
    text = "\n  一行目　 ﾃｽﾄ\r\n\r\n\r\n 二行目\n三行目\u3000\n\n"
    assert normalize_text(text, multiline=True) == "一行目 テスト\n\n二行目\n三行目"


def test_single_line_text_turns_line_breaks_into_spaces() -> None:
    assert normalize_text("一行目\r\n二行目") == "一行目 二行目"


@given(text=st.text(), multiline=st.booleans())
def test_normalising_twice_changes_nothing(text: str, multiline: bool) -> None:
    once = normalize_text(text, multiline=multiline)
    assert normalize_text(once, multiline=multiline) == once


@given(text=st.text())
def test_normalised_text_has_no_stray_spaces(text: str) -> None:
    normalized = normalize_text(text)
    assert normalized == normalized.strip()
    assert "  " not in normalized
    assert not any(char.isspace() and char != " " for char in normalized)


# to_fullwidth_katakana


def test_every_half_width_katakana_becomes_its_full_width_form() -> None:
    for half, full in KANA_PAIRS:
        assert to_fullwidth_katakana(half) == full


def test_voiced_marks_are_combined_with_the_kana_before_them() -> None:
    assert to_fullwidth_katakana("ｶﾞｲﾄﾞﾌﾞｯｸ") == "ガイドブック"
    assert to_fullwidth_katakana("ﾊﾟﾝﾌﾚｯﾄ") == "パンフレット"
    assert to_fullwidth_katakana("ｳﾞｧｲｵﾘﾝ") == "ヴァイオリン"


def test_a_voiced_mark_that_cannot_combine_is_kept_as_a_full_width_mark() -> None:
    assert to_fullwidth_katakana("ｱﾞ") == "ア゛"
    assert to_fullwidth_katakana("ﾟｶ") == "゜カ"
    assert to_fullwidth_katakana("ｶﾞﾞ") == "ガ゛"


def test_everything_but_half_width_katakana_is_left_unchanged() -> None:
    text = "ＡＢＣ１２３　abc ひらがな カタカナ 漢字 ㈱ ①"
    assert to_fullwidth_katakana(text) == text
    assert to_fullwidth_katakana("ＡＢＣｶﾅ①") == "ＡＢＣカナ①"


@given(pair=half_and_full)
def test_half_width_katakana_in_any_text_becomes_full_width(pair: tuple[str, str]) -> None:
    half, full = pair
    assert to_fullwidth_katakana(half) == full


# hiragana_to_katakana


def test_hiragana_becomes_katakana() -> None:
    assert hiragana_to_katakana("ふくし ねっとわーく") == "フクシ ネットワーク"
    assert hiragana_to_katakana("ぁゔゕゖゝゞ") == "ァヴヵヶヽヾ"


def test_everything_but_hiragana_is_left_unchanged() -> None:
    text = "カタカナ 漢字 ABC ｶﾅ ー 123"
    assert hiragana_to_katakana(text) == text


@given(text=st.text())
def test_hiragana_to_katakana_leaves_no_hiragana_letter(text: str) -> None:
    converted = hiragana_to_katakana(text)
    assert len(converted) == len(text)
    assert not any("ぁ" <= char <= "ゖ" for char in converted)


# search_key


def test_hiragana_katakana_half_width_and_spaces_share_one_key() -> None:
    assert search_key("ふくし　ネット") == "フクシネット"
    assert search_key("ﾌｸｼ ﾈｯﾄ") == "フクシネット"
    assert search_key("フクシネット") == "フクシネット"


def test_letters_are_case_folded_and_full_width_letters_narrowed() -> None:
    assert search_key("ＡＢＣ Def") == search_key("abcdef") == "abcdef"


def test_nothing_gives_an_empty_key() -> None:
    assert search_key(None) == ""
    assert search_key(" \u3000 ") == ""


@given(pair=half_and_full)
def test_half_width_and_full_width_katakana_share_one_key(pair: tuple[str, str]) -> None:
    half, full = pair
    assert search_key(half) == search_key(full)


@given(text=st.text())
def test_a_search_key_is_its_own_key(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert not any(char.isspace() for char in key)


@given(text=st.text())
def test_the_key_of_normalised_text_is_the_key_of_the_text(text: str) -> None:
    assert search_key(normalize_text(text)) == search_key(text)
