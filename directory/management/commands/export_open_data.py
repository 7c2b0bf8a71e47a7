"""``manage.py export_open_data DIR``: a thin shell around ``directory.services.open_data``
(the published PTCEs as CSV, XLSX, GeoJSON and JSON, and the CSV's Table Schema)."""

from django.core.management.base import BaseCommand, CommandError

from directory.services.open_data import export_open_data


class Command(BaseCommand):
    help = (
        "Écrit dans DIR les données ouvertes des PTCE publiés : ptce.csv, ptce.xlsx, "
        "ptce.geojson, ptce.json et schema-ptce.json (fichiers temporaires puis renommés : "
        "un lecteur ne voit jamais de fichier à moitié écrit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Dossier de destination (créé s'il manque).")

    def handle(self, *args, **options):
        try:
            paths = export_open_data(options["directory"])
        except OSError as error:
            raise CommandError(
                f"Écriture impossible dans {options['directory']} : {error.strerror or error}"
            ) from error
        for path in paths:
            self.stdout.write(f"{path} ({path.stat().st_size} octets)")
