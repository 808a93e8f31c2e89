"""Free-text search over published cases, in Japanese.

Each case keeps ``search_text``: ``core.text.search_key`` (NFKC, katakana, case-folded, no
spaces) of its texts, its themes' names and its owner's name, so that ``ﾎﾞﾗﾝﾃｨｱ``,
``ぼらんてぃあ`` and ``ボランティア`` meet. A query is cut at its spaces and every term must
match. Until ``core.fulltext`` lands each term is a ``LIKE '%term%'`` on that column (served by
the pg_trgm index on PostgreSQL for terms of three characters or more).
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.core.text import search_key

NOTHING_TO_SEARCH = _(
    "The search has no letters or digits to look for: type a word, e.g. 子ども食堂."
)


def _has_word(term: str) -> bool:
    return any(unicodedata.category(char)[0] in "LN" for char in term)


def search_terms(query: str) -> list[str]:
    """The keys of a query's terms; ``ValidationError`` when it holds only symbols."""
    terms = [search_key(part) for part in (query or "").split()]
    terms = [term for term in terms if term]
    if terms and not any(_has_word(term) for term in terms):
        raise ValidationError(NOTHING_TO_SEARCH, code="nothing_to_search")
    return terms


def search_q(query: str) -> Q:
    """A ``Q`` over ``search_text`` for every term of ``query`` (empty query: everything)."""
    q = Q()
    for term in search_terms(query):
        q &= Q(search_text__contains=term)
    return q


def search_text_of(case) -> str:
    """The search key of everything a reader may look for in a case (saved case: themes)."""
    parts = [getattr(case, name) for name in case.TEXT_FIELDS]
    if case.pk:
        parts += [theme.name for theme in case.themes.all()]
    owner = case.owner
    if owner is not None:
        parts.append(str(owner))
        parts.append(getattr(owner, "nickname", "") or "")
    if case.municipality_id:
        parts.append(case.municipality.name)
    return "\n".join(search_key(part) for part in parts if part)
