"""PostgreSQL only: French full-text search without accents, and the search indexes.

Creates the ``unaccent`` and ``pg_trgm`` extensions (both trusted: the database owner may
create them), the ``french_unaccent`` text search configuration (French stemming after
removing accents, so "economie" matches "Économie" and "habitats" matches "habitat"), a GIN
index on the weighted ``search_vector`` and a trigram index on ``search_name`` for typos.
On SQLite every operation here does nothing.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FORWARD = [
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END
    $$;
    """,
    "CREATE INDEX IF NOT EXISTS ptce_search_vector_gin ON directory_ptce USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS ptce_search_name_trgm "
    "ON directory_ptce USING gin (search_name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS ptce_search_name_trgm",
    "DROP INDEX IF EXISTS ptce_search_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_reference_lists")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
