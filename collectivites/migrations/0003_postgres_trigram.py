"""PostgreSQL only: pg_trgm and a trigram index on territory names for the autocomplete.
On SQLite these operations do nothing (a plain index on ``search_name`` serves)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS territory_search_name_trgm "
    "ON collectivites_territory USING gin (search_name gin_trgm_ops)"
)
BACKWARD = "DROP INDEX IF EXISTS territory_search_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("collectivites", "0002_support_types")]

    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
