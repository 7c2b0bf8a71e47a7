"""``manage.py load_content [FILE]``: supports, experiences, schemes and resources."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.services.content import ContentError, load_content


class Command(BaseCommand):
    help = "Charge les soutiens, expériences, dispositifs et ressources du contenu initial."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default=str(settings.CONTENT_FIXTURES_DIR / "seed.json")
        )

    def handle(self, *args, **options):
        try:
            counts = load_content(options["file"])
        except FileNotFoundError as error:
            raise CommandError(f"Fichier introuvable : {options['file']}") from error
        except (ContentError, ValueError, KeyError) as error:
            raise CommandError(f"Contenu invalide, rien n'a été écrit : {error}") from error
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{count} {label}")
