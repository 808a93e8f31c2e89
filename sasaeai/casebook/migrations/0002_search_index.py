"""A trigram index on ``Case.search_text`` for PostgreSQL (pg_trgm GIN: LIKE '%term%' of three
characters or more uses it). SQLite searches the column directly until ``core.fulltext``'s
``TrigramIndex`` replaces this migration's work with FTS5 ``trigram`` on both."""

from django.db import migrations

INDEX = "casebook_case_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON casebook_case USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("casebook", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
