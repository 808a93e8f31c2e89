"""What a table holds: its columns, the headers each accepts, and which file column feeds which."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from sasaeai.core.text import search_key

from .errors import DUPLICATE_COLUMNS, MISSING_COLUMNS, TableError, join_names

__all__ = ["Column", "HeaderMatch", "TableSpec", "header_key", "match_headers"]

# Marks that templates add to a header without changing its meaning: “※法人番号”, “名称＊”,
# “法人番号（必須）”, “備考(任意)”. Applied after search_key, so full-width forms are ASCII.
_HEADER_MARKS = re.compile(r"^[*※]+|[*※]+$|\((?:必須|任意)\)$")


def header_key(header: str) -> str:
    """Return the key under which a header is matched: spaces, width, kana and marks ignored."""
    key = search_key(header)
    stripped = _HEADER_MARKS.sub("", key)
    return stripped or key


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``headers`` are the header names accepted on import; the first is the canonical one, written
    on export and named in messages. ``parse`` receives the cell as a normalised, non-empty
    string and returns the value, or raises ``ValueError`` or ``ValidationError`` whose message
    is shown to the person. ``multiline`` keeps line breaks in the cell (notes, addresses).
    """

    key: str
    headers: tuple[str, ...]
    required: bool = False
    parse: Callable[[str], object] = str
    multiline: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.headers, str):
            object.__setattr__(self, "headers", (self.headers,))
        if not self.headers:
            msg = f"Column {self.key!r} needs at least one header."
            raise ValueError(msg)

    @property
    def header(self) -> str:
        """The canonical header, written on export and named in messages."""
        return self.headers[0]


@dataclass(frozen=True)
class TableSpec:
    """The columns of an import or export, in their export order."""

    columns: tuple[Column, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            msg = f"Column keys must be unique: {keys}."
            raise ValueError(msg)
        self._lookup  # noqa: B018 - fail now on headers shared by two columns

    def headers(self) -> tuple[str, ...]:
        """The canonical headers, in order."""
        return tuple(column.header for column in self.columns)

    def column(self, key: str) -> Column:
        """The column with this key; ``KeyError`` if there is none."""
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        """Header key → column key, for every accepted header and for the column key itself."""
        lookup: dict[str, str] = {}
        for column in self.columns:
            for header in (*column.headers, column.key):
                owner = lookup.setdefault(header_key(header), column.key)
                if owner != column.key:
                    msg = f"Header {header!r} is accepted by both {owner!r} and {column.key!r}."
                    raise ValueError(msg)
        return lookup


@dataclass(frozen=True)
class HeaderMatch:
    """Which file column feeds which spec column.

    ``indexes`` maps column keys to 0-based positions in the file's rows; ``unknown`` lists the
    file headers that feed no column (ignored and reported); ``missing`` the keys of required
    columns not found; ``duplicates`` the keys fed by more than one file column.
    """

    spec: TableSpec
    headers: tuple[str, ...]
    indexes: Mapping[str, int]
    unknown: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every required column is found, once."""
        return not self.missing and not self.duplicates

    def require(self) -> HeaderMatch:
        """Return this match, or raise ``TableError`` naming the missing or repeated columns."""
        if self.missing:
            raise TableError(
                MISSING_COLUMNS,
                code="missing_columns",
                params={
                    "missing": join_names(self.spec.column(key).header for key in self.missing),
                    "found": join_names(header for header in self.headers if header.strip()),
                },
            )
        if self.duplicates:
            raise TableError(
                DUPLICATE_COLUMNS,
                code="duplicate_columns",
                params={
                    "columns": join_names(self.spec.column(key).header for key in self.duplicates)
                },
            )
        return self


def _mapped_keys(spec: TableSpec, mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Header key → column key ("" to ignore) from a person's mapping of their own headers."""
    keys = {column.key for column in spec.columns}
    mapped: dict[str, str] = {}
    for header, key in (mapping or {}).items():
        if key and key not in keys:
            msg = f"The mapping names {key!r}, which is not a column of the spec."
            raise ValueError(msg)
        mapped[header_key(header)] = key or ""
    return mapped


def match_headers(
    headers: Sequence[str], spec: TableSpec, *, mapping: Mapping[str, str] | None = None
) -> HeaderMatch:
    """Match a file's headers to the spec's columns.

    Headers match when their ``header_key`` is equal, so that ``法人 番号``, ``法人番号``
    and ``※法人番号（必須）`` all feed the same column. ``mapping`` (file header → column key, or
    ``""`` to ignore the file column) overrides the automatic match for the headers it names.
    """
    mapped = _mapped_keys(spec, mapping)
    indexes: dict[str, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, header in enumerate(headers):
        if not header or header.isspace():
            continue
        key = header_key(header)
        target = mapped[key] if key in mapped else spec._lookup.get(key)
        if not target:
            unknown.append(header)
        elif target in indexes:
            if target not in duplicates:
                duplicates.append(target)
        else:
            indexes[target] = index
    missing = tuple(c.key for c in spec.columns if c.required and c.key not in indexes)
    return HeaderMatch(
        spec=spec,
        headers=tuple(headers),
        indexes=indexes,
        unknown=tuple(unknown),
        missing=missing,
        duplicates=tuple(duplicates),
    )
