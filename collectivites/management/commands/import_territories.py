"""``manage.py import_territories``: load régions, départements, EPCI and communes."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from collectivites.models import TerritoryKind
from collectivites.services.territory_import import TerritoryFileError, import_territories


class Command(BaseCommand):
    help = "Charge les territoires officiels (COG) depuis les fichiers de fixtures/territories/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=str(settings.TERRITORY_FIXTURES_DIR),
            help="Dossier des fichiers régions/départements/EPCI/communes (CSV).",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        verbose = options["verbosity"] > 0
        try:
            report = import_territories(
                options["directory"], progress=self.stdout.write if verbose else lambda _: None
            )
        except TerritoryFileError as error:
            raise CommandError(str(error)) from error
        for kind in TerritoryKind:
            self.stdout.write(
                f"{kind.label} : {report.created[kind]} créé(s), {report.updated[kind]} mis à "
                f"jour, {report.unchanged[kind]} inchangé(s)."
            )
        self.stdout.write(
            f"Liens d'appartenance : {report.links_added} ajouté(s), "
            f"{report.links_removed} retiré(s)."
        )
        if report.missing_from_files:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.missing_from_files} territoire(s) absent(s) des fichiers : "
                    "conservé(s) (des PTCE peuvent y être rattachés)."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(f"Territoires importés en {time.monotonic() - started:.1f} s.")
        )
