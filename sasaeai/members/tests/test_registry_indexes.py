"""The registry's indexes and the import's lookups (issue 3's import speed).

An index costs every imported row its upkeep; one that no query uses is pure cost. The
lookups of an import must use their indexes even on a table that has just been filled and
has no statistics yet (a new database's first import).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from sasaeai.core.db.bulk import insert_rows
from sasaeai.core.db.lookups import one_of
from sasaeai.core.hojin import make_corporate_number
from sasaeai.members.importing import ImportRefused, commit_import
from sasaeai.members.importing.run import _lookups_by_index
from sasaeai.members.models import Corporation, Council, Facility

pytestmark = pytest.mark.django_db

REGISTRY = (Corporation, Facility, Council)


def _indexes(model) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    # Unique constraints are kept by an index of their own, and serve as one.
    return {
        name: info["columns"]
        for name, info in found.items()
        if info["index"] or info["unique"] or info["primary_key"]
    }


@pytest.mark.parametrize("model", REGISTRY, ids=lambda m: m.__name__)
def test_no_index_on_the_search_key(model):
    """Names are searched with ``contains`` (LIKE '%…%'), which no B-tree index serves."""
    assert not [name for name, columns in _indexes(model).items() if "search_key" in columns]


@pytest.mark.parametrize("model", REGISTRY, ids=lambda m: m.__name__)
def test_every_foreign_key_leads_an_index(model):
    """Joins and the checks of a deleted parent stay on an index: each foreign key column is
    the first column of one (its own, or a composite one that serves it)."""
    leading = {columns[0] for columns in _indexes(model).values() if columns}
    for field in model._meta.concrete_fields:
        if field.is_relation:
            assert field.column in leading, field.name


def test_one_index_a_leading_column_on_the_largest_tables():
    """No second index whose work another already does: a single-column index on a column
    that leads a composite index (Django's default for a foreign key) is left out."""
    for model in (Corporation, Facility):
        single = [cols[0] for cols in _indexes(model).values() if len(cols) == 1]
        composite = {cols[0] for cols in _indexes(model).values() if len(cols) > 1}
        assert not set(single) & composite, model.__name__


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_a_chunks_lookup_uses_the_index_on_a_table_without_statistics(regions):
    """A table just filled has no statistics; the planner then reads all of it for a list of
    a few hundred ids (18 ms a chunk at national scale), unless told to use the index."""
    now = timezone.now()
    numbers = [make_corporate_number(f"{710000000000 + n}") for n in range(400)]
    insert_rows(
        Corporation,
        [{"corporate_number": n, "name": f"法人{n}", "municipality_id": "332038"} for n in numbers],
        now=now,
    )
    ids = list(Corporation.objects.values_list("pk", flat=True))
    insert_rows(
        Facility,
        [
            {"corporation_id": pk, "name": f"施設{k}", "municipality_id": "332038"}
            for pk in ids
            for k in range(5)
        ],
        now=now,
    )
    query = Facility.objects.filter(one_of(Facility, "corporation_id", ids[:300])).order_by()
    with _lookups_by_index():
        plan = "\n".join(query.explain().splitlines())
    assert "Seq Scan" not in plan, plan
    assert "facility_unique_name" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings")
@pytest.mark.django_db(transaction=True)
def test_the_planner_settings_end_with_the_import(regions, tmp_path):
    """Sequential scans are off only while an import reads its rows: the connection goes
    back to serving pages with the server's own settings, after success and after refusal."""
    path = tmp_path / "corporations.csv"
    number = make_corporate_number("720000000001")
    path.write_text(f"法人番号,法人名,市町村\n{number},テスト福祉会,津山市\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("法人番号,法人名,市町村\n1234,テスト,どこか\n", encoding="utf-8")

    def settings() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
            return cursor.fetchone()

    before = settings()
    commit_import("corporations", path, prefecture="33", check_first=True)
    assert settings() == before
    with pytest.raises(ImportRefused):
        commit_import("corporations", bad, prefecture="33", check_first=True)
    assert settings() == before
    with pytest.raises(ImportRefused):
        commit_import("corporations", bad, prefecture="33")
    assert settings() == before
    assert Corporation.objects.filter(corporate_number=number).exists()
