"""Territories in French alphabetical order, the same on every database: ``search_name``
(lower case, no accents, see ``core.text.normalize``) is the sort key, already indexed. On
PostgreSQL the column gets the "C" collation, so that it compares byte by byte like SQLite
whatever the database's locale (a locale collation skips spaces: « la ferte » would come after
« laban » there and before it on SQLite). Its indexes are rebuilt with it."""

from django.db import migrations

FORWARD = (
    'ALTER TABLE collectivites_territory ALTER COLUMN search_name TYPE varchar(200) COLLATE "C"'
)
BACKWARD = (
    "ALTER TABLE collectivites_territory ALTER COLUMN search_name TYPE varchar(200) "
    'COLLATE "default"'
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("collectivites", "0004_scheme_history")]

    operations = [
        migrations.AlterModelOptions(
            name="territory",
            options={
                "ordering": ["search_name", "code"],
                "verbose_name": "territoire",
                "verbose_name_plural": "territoires",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
