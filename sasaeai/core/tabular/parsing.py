"""Parsing a table's rows into values, with an error for every cell that cannot be read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sasaeai.core.text import normalize_text

from .formulas import unescape_formula
from .reading import Table
from .spec import HeaderMatch, TableSpec

__all__ = ["ParsedRow", "RowError", "parse_rows"]

ROW_ERROR = _("Row %(row)s, %(column)s “%(value)s”: %(message)s")
ROW_ERROR_EMPTY = _("Row %(row)s, %(column)s: %(message)s")
REQUIRED = _("This column is required.")

# Values longer than this are cut in messages; the row number finds the rest.
_SHOWN_VALUE_LENGTH = 40


@dataclass(frozen=True, slots=True)
class RowError:
    """A cell that cannot be read: its Excel row number, its column's header, what it holds."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        value = self.value
        if len(value) > _SHOWN_VALUE_LENGTH:
            value = value[: _SHOWN_VALUE_LENGTH - 1] + "…"
        params = {"row": self.row, "column": self.column, "value": value, "message": self.message}
        return str(ROW_ERROR if value else ROW_ERROR_EMPTY) % params


@dataclass(slots=True)
class ParsedRow:
    """A data row: its Excel row number, its values by column key, and its errors.

    ``values`` holds every column found in the file: ``None`` for an empty cell (and for a cell
    in error); a column absent from the file is absent from ``values``.
    """

    number: int
    values: dict[str, object]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _message(error: ValueError | ValidationError) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


_Step = tuple[str, int, Callable[[str], object] | None, bool, bool, str]


def _plan(spec: TableSpec, match: HeaderMatch) -> list[_Step]:
    """For each column found: key, file position, parser (None to keep the text), required,
    multiline and header; computed once, not per row."""
    plan: list[_Step] = []
    for column in spec.columns:
        if column.key in match.indexes:
            parse = None if column.parse is str else column.parse
            plan.append(
                (
                    column.key,
                    match.indexes[column.key],
                    parse,
                    column.required,
                    column.multiline,
                    column.header,
                )
            )
    return plan


def parse_rows(table: Table, spec: TableSpec, match: HeaderMatch) -> Iterator[ParsedRow]:
    """Parse every data row of ``table``; raise ``TableError`` first if ``match`` lacks columns.

    Each cell is normalised with ``normalize_text`` (NFKC: half-width katakana full-width,
    full-width digits ASCII, spaces trimmed and collapsed) before its column's parser sees it.
    An empty optional cell gives ``None``; an empty required cell is an error. Rows whose
    cells are all blank are skipped. The rows are read lazily, in constant memory.
    """
    match.require()
    return _parse(table, _plan(spec, match), escaped=table.encoding != "xlsx")


def _parse(table: Table, plan: list[_Step], *, escaped: bool) -> Iterator[ParsedRow]:
    for number, cells in table.rows():
        values: dict[str, object] = {}
        errors: list[RowError] = []
        width = len(cells)
        filled = False
        for key, index, parse, required, multiline, header in plan:
            raw = cells[index] if index < width else ""
            if escaped and raw[:1] == "'":
                raw = unescape_formula(raw)
            # Pure ASCII needs no NFKC: only its spaces are normalised (the common case).
            if not raw:
                text = raw
            elif raw.isascii() and raw.isprintable():
                text = (
                    raw if raw[0] != " " != raw[-1] and "  " not in raw else " ".join(raw.split())
                )
            else:
                text = normalize_text(raw, multiline=multiline)
            if not text:
                values[key] = None
                if required:
                    errors.append(RowError(number, header, "", str(REQUIRED)))
                continue
            filled = True
            if parse is None:
                values[key] = text
                continue
            try:
                values[key] = parse(text)
            except (ValueError, ValidationError) as error:
                values[key] = None
                errors.append(RowError(number, header, raw, _message(error)))
        if not filled and not "".join(cells).strip():
            continue
        yield ParsedRow(number, values, errors)
