"""Free-text search in Japanese over one normalised column, on SQLite and PostgreSQL.

Japanese has no spaces between words, so search is by substring: a record keeps one column
holding ``core.text.search_key`` of its searchable texts (NFKC, katakana, case-folded, no
spaces), and a query is folded the same way, so ``ﾎﾞﾗﾝﾃｨｱ``, ``ぼらんてぃあ`` and ``ボランティア``
meet. The index that makes a substring search fast is the database's own trigram index:

- SQLite: an FTS5 table with the ``trigram`` tokenizer over the column (external content: the
  text is stored once, in the model's table), kept in step by triggers;
- PostgreSQL: a GIN index with ``pg_trgm``'s ``gin_trgm_ops`` on the column, which serves
  ``LIKE '%…%'`` directly.

A trigram index needs three characters: terms of one or two characters are matched with
``LIKE`` on the column. Terms are separated by spaces and must all match.

Usage::

    # in a migration of the app (after the column exists)
    TrigramIndex(model_name="case", field="search_text", name="casebook_case_fts")

    # in a query
    Case.objects.filter(fulltext_q("search_text", request.GET["q"], index="casebook_case_fts"))

On SQLite, Django rebuilds a table to alter it, which drops its triggers; after every
``migrate`` the triggers of every trigram table are recreated when missing and the index is
rebuilt then (``ensure_sqlite_triggers``, connected to ``post_migrate`` by ``core``).
"""

# Identifiers in the SQL below come from the models and migrations, never from a request, and
# pass ``_identifier``; the query text is always a parameter.
# ruff: noqa: S608, S611

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from .text import search_key

__all__ = ["NothingToSearch", "TrigramIndex", "ensure_sqlite_triggers", "fulltext_q", "terms_of"]

TRIGRAM = 3
NOTHING_TO_SEARCH = _("Enter at least one letter or number to search for.")
_VIRTUAL_TABLE = re.compile(
    r"content\s*=\s*'?\"?(?P<table>\w+)\"?'?\s*,\s*content_rowid\s*=\s*'?\"?(?P<rowid>\w+)\"?'?",
    re.IGNORECASE,
)


class NothingToSearch(ValidationError):
    """The query holds no letter or number (only symbols or spaces)."""

    def __init__(self) -> None:
        super().__init__(NOTHING_TO_SEARCH, code="nothing_to_search")


def _identifier(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        msg = f"not an SQL identifier: {name!r}"
        raise ValueError(msg)
    return name


def _searchable(term: str) -> bool:
    return any(unicodedata.category(char)[0] in "LN" for char in term)


def terms_of(query: str | None) -> list[str]:
    """The query's terms, each folded like the stored column; terms of symbols only dropped."""
    terms = (search_key(part) for part in (query or "").split())
    return [term for term in terms if term and _searchable(term)]


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fulltext_q(field: str, query: str | None, *, index: str) -> Q:
    """A ``Q`` matching the records whose ``field`` holds every term of ``query``.

    ``NothingToSearch`` when the query has no letter or number; an empty or blank query is
    the caller's to skip (it raises too)."""
    terms = terms_of(query)
    if not terms:
        raise NothingToSearch()
    index = _identifier(index)
    condition = Q()
    for term in terms:
        if len(term) >= TRIGRAM and connection.vendor == "sqlite":
            condition &= Q(
                pk__in=RawSQL(
                    f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH %s', [_phrase(term)]
                )
            )
        else:
            # PostgreSQL's trigram index serves LIKE; short terms scan the column.
            condition &= Q(**{f"{field}__contains": term})
    return condition


def _sqlite_statements(name: str, table: str, column: str, rowid: str) -> list[str]:
    name, table, column, rowid = map(_identifier, (name, table, column, rowid))
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{name}_ai" AFTER INSERT ON "{table}" BEGIN '
        f'INSERT INTO "{name}"(rowid, "{column}") VALUES (new."{rowid}", new."{column}"); END',
        f'CREATE TRIGGER IF NOT EXISTS "{name}_ad" AFTER DELETE ON "{table}" BEGIN '
        f'INSERT INTO "{name}"("{name}", rowid, "{column}") '
        f'VALUES (\'delete\', old."{rowid}", old."{column}"); END',
        f'CREATE TRIGGER IF NOT EXISTS "{name}_au" AFTER UPDATE ON "{table}" BEGIN '
        f'INSERT INTO "{name}"("{name}", rowid, "{column}") '
        f'VALUES (\'delete\', old."{rowid}", old."{column}"); '
        f'INSERT INTO "{name}"(rowid, "{column}") VALUES (new."{rowid}", new."{column}"); END',
    ]


class TrigramIndex(Operation):
    """A migration operation: the trigram index of ``model_name.field`` named ``name``."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, model_name: str, field: str, name: str) -> None:
        self.model_name = model_name
        self.field = field
        self.name = _identifier(name)

    def deconstruct(self):
        return (
            self.__class__.__name__,
            [],
            {"model_name": self.model_name, "field": self.field, "name": self.name},
        )

    def state_forwards(self, app_label, state) -> None:
        """The index lives outside Django's model state."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        column = model._meta.get_field(self.field).column
        rowid = model._meta.pk.column
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{self.name}" ON "{table}" '
                f'USING gin ("{column}" gin_trgm_ops)'
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f'CREATE VIRTUAL TABLE IF NOT EXISTS "{self.name}" USING fts5("{column}", '
                f"content='{table}', content_rowid='{rowid}', tokenize='trigram')"
            )
            for statement in _sqlite_statements(self.name, table, column, rowid):
                schema_editor.execute(statement)
            schema_editor.execute(f'INSERT INTO "{self.name}"("{self.name}") VALUES (\'rebuild\')')

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{self.name}"')
        elif vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{self.name}_{suffix}"')
            schema_editor.execute(f'DROP TABLE IF EXISTS "{self.name}"')

    def describe(self) -> str:
        return f"Trigram index {self.name} on {self.model_name}.{self.field}"

    @property
    def migration_name_fragment(self) -> str:
        return f"trigram_{self.name}"


def ensure_sqlite_triggers(using: str = "default", **_kwargs) -> list[str]:
    """Recreate the triggers of every trigram table whose triggers a table rebuild dropped,
    and rebuild that index; return the names repaired."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return []
    repaired = []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%trigram%'"
        )
        tables = cursor.fetchall()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {row[0] for row in cursor.fetchall()}
        for name, sql in tables:
            wanted = {f"{name}_ai", f"{name}_ad", f"{name}_au"}
            if wanted <= triggers:
                continue
            found = _VIRTUAL_TABLE.search(sql)
            columns = re.search(r"fts5\(\s*\"?(\w+)\"?", sql)
            if not found or not columns:
                continue
            for statement in _sqlite_statements(
                name, found["table"], columns.group(1), found["rowid"]
            ):
                cursor.execute(statement)
            cursor.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
            repaired.append(name)
    return repaired
