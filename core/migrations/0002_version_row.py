"""The public-data version's single row."""

from django.db import migrations


def create_row(apps, schema_editor):
    PublicDataVersion = apps.get_model("core", "PublicDataVersion")
    PublicDataVersion.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
