"""Free-text search over published cases, in Japanese.

Each case keeps ``search_text``: ``core.text.search_key`` (NFKC, katakana, case-folded, no
spaces) of its texts, its themes' names, its owner's name and its municipality, so that
``ﾎﾞﾗﾝﾃｨｱ``, ``ぼらんてぃあ`` and ``ボランティア`` meet. ``core.fulltext`` matches every term of
a query through the trigram index ``INDEX`` (SQLite FTS5 ``trigram``, PostgreSQL ``pg_trgm``),
terms of one or two characters by ``LIKE``; a query of symbols only raises
``fulltext.NothingToSearch``.
"""

from __future__ import annotations

from django.db.models import Q

from sasaeai.core.fulltext import fulltext_q
from sasaeai.core.text import search_key

INDEX = "casebook_case_fts"


def search_q(query: str | None) -> Q:
    """A ``Q`` for every term of ``query``; a blank query matches everything."""
    if not (query or "").strip():
        return Q()
    return fulltext_q("search_text", query, index=INDEX)


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
