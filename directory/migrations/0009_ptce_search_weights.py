"""The search columns in their weighted form (``directory.search``): recomputed for every
PTCE (name A; themes, support types, carrying structure, members B; summary, stage, legal
form C; description and places D; stems tagged with their weight on SQLite, the ``french``
configuration on PostgreSQL). The trigram index on names is dropped: typos are now corrected
against the vocabulary of the published PTCEs."""

from django.db import migrations

BATCH_SIZE = 500


def recompute(apps, schema_editor):
    from directory.search import Sources, refresh_search_fields

    Ptce = apps.get_model("directory", "Ptce")
    Member = apps.get_model("directory", "Member")
    Support = apps.get_model("directory", "Support")
    sources = Sources(
        ptces=Ptce.objects,
        members=Member.objects,
        theme_links=Ptce.themes.through.objects,
        supports=Support.objects.filter(status="published", ptce__status="published"),
    )
    ids = list(Ptce.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        refresh_search_fields(ids[start : start + BATCH_SIZE], sources)


def drop_name_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ptce_search_name_trgm")


def create_name_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ptce_search_name_trgm "
            "ON directory_ptce USING gin (search_name gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_ptce_published_at")]

    operations = [
        migrations.RunPython(drop_name_trigram_index, create_name_trigram_index),
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
