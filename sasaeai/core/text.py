"""Text normalisation for storage and for search keys.

Names in the center's documents mix full-width and half-width forms (``ﾈｯﾄﾜｰｸ``, ``ｾﾝﾀｰ``,
``Ｈ２９``), ideographic spaces and hiragana or katakana spellings of the same word.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["hiragana_to_katakana", "normalize_text", "search_key", "to_fullwidth_katakana"]

# ぁ (U+3041) … ゖ (U+3096) and the iteration marks ゝゞ sit 0x60 below their katakana.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in [*range(0x3041, 0x3097), 0x309D, 0x309E]}

# Half-width katakana (U+FF61–U+FF9D), optionally followed by a voiced mark ﾞ or ﾟ, or a
# voiced mark on its own.
_HALFWIDTH_KANA = re.compile(r"([\uff61-\uff9d])([\uff9e\uff9f]?)|([\uff9e\uff9f])")
_COMBINING_MARK = {"\uff9e": "\u3099", "\uff9f": "\u309a"}
_SPACING_MARK = {"\uff9e": "\u309b", "\uff9f": "\u309c"}

# Case and kana folding can expose new compositions; folding stops well before this.
_MAX_FOLDS = 8


def _collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def _join_lines(lines: list[str]) -> str:
    """Join lines, dropping blank lines at either end and keeping one blank line in a run."""
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def normalize_text(text: str | None, *, multiline: bool = False) -> str:
    """Normalise text for storage: NFKC, whitespace runs collapsed to one space, trimmed.

    With ``multiline=True`` line breaks are kept (as ``\\n``): each line is normalised, blank
    lines at either end are dropped and runs of blank lines become one. ``None`` gives ``""``.
    """
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is cheaper than a pass
        text = unicodedata.normalize("NFKC", text)
    if not multiline:
        return _collapse_spaces(text)
    return _join_lines([_collapse_spaces(line) for line in text.splitlines()])


def _widen(match: re.Match[str]) -> str:
    base, mark, lone_mark = match.groups()
    if lone_mark:
        return _SPACING_MARK[lone_mark]
    wide = unicodedata.normalize("NFKC", base)
    if not mark:
        return wide
    voiced = unicodedata.normalize("NFC", wide + _COMBINING_MARK[mark])
    return voiced if len(voiced) == 1 else wide + _SPACING_MARK[mark]


def to_fullwidth_katakana(text: str) -> str:
    """Convert half-width katakana to full-width (``ｶﾞ`` → ``ガ``), leaving all else unchanged."""
    return _HALFWIDTH_KANA.sub(_widen, text)


def hiragana_to_katakana(text: str) -> str:
    """Convert hiragana to katakana (``ふくし`` → ``フクシ``), leaving all else unchanged."""
    return text.translate(_HIRAGANA_TO_KATAKANA)


_HIRAGANA = re.compile(r"[\u3041-\u3096\u309d\u309e]")


def _fold(text: str) -> str:
    folded = text.casefold()
    if _HIRAGANA.search(folded):  # translate() looks up every character: only when needed
        folded = hiragana_to_katakana(folded)
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", folded)
    return "".join(folded.split())


def search_key(text: str | None) -> str:
    """Return the key under which text is stored and searched.

    Normalised, case-folded, hiragana as katakana and without spaces, so that
    ``ふくし　ネット``, ``ﾌｸｼﾈｯﾄ`` and ``フクシネット`` share one key.
    """
    key = normalize_text(text)
    for _ in range(_MAX_FOLDS):
        folded = _fold(key)
        if folded == key:
            break
        key = folded
    return key
