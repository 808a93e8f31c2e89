"""Texts that Excel would run as formulas when it opens a CSV (“CSV injection”).

An exported CSV prefixes them with ``'``; an imported CSV drops that prefix again, so that
what is exported is imported unchanged.
"""

from __future__ import annotations

import re

__all__ = ["escape_formula", "unescape_formula"]

_FORMULA_STARTS = frozenset("=+-@\t\r")
# A lone sign or at mark is text to Excel: offices write “-” for “none”.
_HARMLESS = frozenset({"+", "-", "@"})
_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?")


def _needs_escape(text: str) -> bool:
    rest = text.lstrip("'")
    return rest[:1] in _FORMULA_STARTS and rest not in _HARMLESS and not _NUMBER.fullmatch(rest)


def escape_formula(text: str) -> str:
    """Prefix with ``'`` a CSV text that Excel would run as a formula (``=…``, ``+…``, ``@…``).

    Numbers such as ``-5`` and a lone ``-`` are left alone. ``unescape_formula`` undoes it exactly.
    """
    return "'" + text if _needs_escape(text) else text


def unescape_formula(text: str) -> str:
    """Undo ``escape_formula``: drop the ``'`` put before a text that looks like a formula."""
    return text[1:] if text[:1] == "'" and _needs_escape(text[1:]) else text
