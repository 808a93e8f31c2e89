"""The trigram index of ``Case.search_text`` (``core.fulltext``: SQLite FTS5 ``trigram`` kept in
step by triggers, PostgreSQL ``pg_trgm`` GIN)."""

from django.db import migrations

from sasaeai.core.fulltext import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("casebook", "0001_initial")]

    operations = [TrigramIndex(model_name="case", field="search_text", name="casebook_case_fts")]
