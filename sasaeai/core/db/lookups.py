"""Filtering on many values at once.

``field__in=values`` puts one placeholder per value into the SQL: for the 2,000 keys of an
import chunk Django compiles 2,000 parameters, the driver splices them into the query text and
the server parses them again. On PostgreSQL ``field = ANY(%s)`` sends the values as one array
parameter instead; the same rows are found (and the same indexes used).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connections, router
from django.db.models import F, Lookup, Model, Q

__all__ = ["AnyOf", "one_of"]


class AnyOf(Lookup):
    """``lhs = ANY(values)``: the values as one array parameter (PostgreSQL only)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        field = self.lhs.output_field
        return "%s", [[field.get_db_prep_value(item, connection, prepared=False) for item in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def one_of(model: type[Model], name: str, values: Collection) -> Q | AnyOf:
    """A filter on ``name`` being one of ``values``, for ``model.objects.filter(...)``: one
    array parameter on PostgreSQL, ``name__in`` elsewhere."""
    if connections[router.db_for_read(model)].vendor == "postgresql" and values:
        return AnyOf(F(name), list(values))
    return Q(**{f"{name}__in": values})
