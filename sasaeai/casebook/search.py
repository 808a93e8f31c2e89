"""Free-text search over published cases, in Japanese.

Each case keeps ``search_text``: ``core.text.search_key`` (NFKC, katakana, case-folded, no
spaces) of its texts, its themes' names, its owner's name and its municipality, so that
``ﾎﾞﾗﾝﾃｨｱ``, ``ぼらんてぃあ`` and ``ボランティア`` meet. ``core.fulltext`` matches every term of
a query through the trigram index ``INDEX`` (SQLite FTS5 ``trigram``, PostgreSQL ``pg_trgm``),
terms of one or two characters by ``LIKE``; a query of symbols only raises
``fulltext.NothingToSearch``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from sasaeai.core.fulltext import TRIGRAM, fulltext_q, terms_of
from sasaeai.core.text import search_key

INDEX = "casebook_case_fts"
CHARS_INDEX = "casebook_case_chars"  # PostgreSQL only: pg_trgm over ``search_chars``
# Short terms are first looked for among the newest cases, by the order of the public list.
WINDOW = 400


def search_q(query: str | None) -> Q:
    """A ``Q`` for every term of ``query``; a blank query matches everything."""
    if not (query or "").strip():
        return Q()
    return fulltext_q("search_text", query, index=INDEX)


def spaced(key: str) -> str:
    """``子ども`` → `` 子 ど も ``: each character a word of its own, lines kept apart."""
    return "\n".join(" " + " ".join(line) + " " for line in key.split("\n") if line)


def _chars_q(query: str | None) -> Q:
    q = Q()
    for term in terms_of(query):
        q &= Q(search_chars__contains=spaced(term))
    return q


class Results:
    """The matches of a query, fetched a page at a time in the list's order.

    A frequent term (子ども食堂, 食, 支援) matches many of the newest cases: they are read
    first (``WINDOW`` rows, in the order of an index, each term by ``LIKE``), which is cheaper
    than collecting every match from an index and sorting it. When the newest cases do not
    fill the page, the index answers: the trigram index (``core.fulltext``) for terms of three
    characters or more; for one or two characters, which have no trigram, ``search_chars``,
    whose pg_trgm index (PostgreSQL) holds every character as a word (SQLite reads the column).
    Only a page's worth of rows is read: counting every match costs more than the page."""

    def __init__(self, cases, query: str | None) -> None:
        self.cases = cases.filter(search_q(query))
        self.terms = terms_of(query)
        self.base, self.query = cases, query

    def fetch(self, start: int, count: int) -> list:
        if not self.terms:
            return list(self.cases[start : start + count])
        newest = self.base.values("pk")[:WINDOW]
        like = Q()
        for term in self.terms:
            like &= Q(search_text__contains=term)
        found = list(self.base.filter(like, pk__in=newest)[start : start + count])
        if len(found) == count:
            return found
        if connection.vendor == "postgresql" and all(len(t) < TRIGRAM for t in self.terms):
            return list(self.base.filter(_chars_q(self.query))[start : start + count])
        return list(self.cases[start : start + count])


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
