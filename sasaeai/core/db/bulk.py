"""Inserting many rows of one model fast: one prepared statement, ``executemany`` over tuples.

``bulk_create`` builds a model instance per row and compiles SQL per batch; for an import of
100,000 rows that is most of the time. ``insert_rows`` takes plain dicts of attribute values
(``municipality_id``, not ``municipality``) that the caller has already checked, fills every
other column with the field's default (``auto_now``/``auto_now_add`` with ``now``), adapts
only what the driver cannot take as is (dates, date-times, JSON), and sends the rows with one
prepared ``INSERT`` and ``executemany`` (``COPY`` on PostgreSQL). Like ``bulk_create`` it
bypasses ``save()``, signals and the audit log, and returns no primary keys; the caller
records the write (an import job). Constraints are the database's: a violating row raises
``IntegrityError``.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable, Mapping

from django.db import connections, models, router

__all__ = ["insert_rows"]

_NOT_GIVEN = object()


class _PerRow:
    """A default to compute for every row that does not give the value."""

    def __init__(self, make) -> None:
        self.make = make


def _date_text(value):
    """A date as COPY's text (ISO, read the same whatever the server's DateStyle)."""
    return value.isoformat() if type(value) is datetime.date else value


def _datetime_text(value):
    """A date-time as COPY's text, with its UTC offset (naive ones as psycopg sends them)."""
    return str(value) if type(value) is datetime.datetime else value


def _column_plan(model: type[models.Model], connection, now: datetime.datetime):
    """(field, default, adapt, automatic) for every column an INSERT writes, in order.

    On PostgreSQL (``COPY``) dates and date-times are sent as their text: the driver's
    adaptation of a date-time object costs more than all of a row's strings.
    """
    ops = connection.ops
    copy = connection.vendor == "postgresql"
    plan = []
    for field in model._meta.local_concrete_fields:
        if isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
            continue
        adapt = None
        if isinstance(field, models.DateTimeField):
            adapt = _datetime_text if copy else ops.adapt_datetimefield_value
            if field.auto_now or field.auto_now_add:
                plan.append((field, adapt(now), None, True))  # adapted once for all rows
                continue
        elif isinstance(field, models.DateField):
            adapt = _date_text if copy else ops.adapt_datefield_value
        elif isinstance(field, models.JSONField | models.DecimalField | models.UUIDField):
            adapt = lambda value, field=field: field.get_db_prep_save(value, connection)  # noqa: E731
        if field.has_default() and callable(field.default):
            # A callable default (a token, a timestamp) is called for each row, as save() does.
            plan.append((field, _PerRow(field.get_default), adapt, False))
            continue
        default = field.get_default() if field.has_default() or field.null else _NOT_GIVEN
        if default is _NOT_GIVEN and isinstance(field, models.CharField | models.TextField):
            default = ""
        plan.append((field, default, adapt, False))
    return plan


def insert_rows(
    model: type[models.Model],
    rows: Iterable[Mapping[str, object]],
    *,
    now: datetime.datetime,
    batch_size: int = 5000,
) -> int:
    """Insert ``rows`` (attribute name → value) into ``model``'s table; return the count.

    A column missing from a row takes the field's default (an empty string for text, ``None``
    for nullable fields); a required column without default missing from a row is a
    ``KeyError`` naming it (run inside the caller's transaction, which then writes nothing).
    """
    using = router.db_for_write(model)
    connection = connections[using]
    plan = _column_plan(model, connection, now)
    # The columns given by the rows first, then those written once for all (auto_now ones).
    given = [step for step in plan if not step[3]]
    automatic = [step for step in plan if step[3]]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field, *_rest in [*given, *automatic])
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # quoted names only
    sql += f"VALUES ({', '.join(['%s'] * len(plan))})"
    defaults = {field.attname: default for field, default, *_rest in given}
    per_row = [name for name, default in defaults.items() if isinstance(default, _PerRow)]
    values_of = operator.itemgetter(*defaults) if len(defaults) > 1 else None
    adapts = [(index, adapt) for index, (_f, _d, adapt, _a) in enumerate(given) if adapt]
    constants = [default for _field, default, *_rest in automatic]
    if connection.vendor == "postgresql":
        copy = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    count = 0
    batch: list[list] = []

    def flush(cursor) -> None:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: several times faster than executemany.
            with cursor.cursor.copy(copy) as stream:
                for values in batch:
                    stream.write_row(values)
        else:
            cursor.executemany(sql, batch)

    with connection.cursor() as cursor:
        for row in rows:
            merged = {**defaults, **row}
            for name in per_row:
                if name not in row:
                    merged[name] = defaults[name].make()
            values = list(values_of(merged)) if values_of else [merged[k] for k in defaults]
            for index, adapt in adapts:
                if values[index] is not None:
                    values[index] = adapt(values[index])
            if _NOT_GIVEN in values:
                missing = [k for k, v in zip(defaults, values, strict=True) if v is _NOT_GIVEN]
                msg = f"{model.__name__}: no value and no default for {', '.join(missing)}."
                raise KeyError(msg)
            values += constants
            batch.append(values)
            if len(batch) >= batch_size:
                flush(cursor)
                count += len(batch)
                batch = []
        if batch:
            flush(cursor)
            count += len(batch)
    return count
