from django.db import migrations

from sasaeai.core.fulltext import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [
        TrigramIndex(model_name="activity", field="search_text", name="activities_activity_fts"),
    ]
