"""``manage.py bootstrap_portal``: fill an empty portal (what ``make run`` calls).

Loads the territories when there are none, the PTCEs of ``fixtures/content/*.csv`` through
the regular importer when there are none, then the rest of the first content. A portal that
already has data is left as it is, except for the idempotent content load.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from collectivites.models import Territory, TerritoryAncestry
from core.db import analyze
from directory.models import Member, Ptce, Support

PTCE_FILES = ["ptce-reference.csv", "ptce-more.csv"]


class Command(BaseCommand):
    help = "Charge territoires et contenu initial dans une base vide."

    def handle(self, *args, **options):
        if Territory.objects.exists():
            self.stdout.write("Territoires déjà chargés.")
        else:
            call_command("import_territories", verbosity=options["verbosity"])
        if Ptce.objects.exists():
            self.stdout.write("PTCE déjà présents : pas d'import.")
        else:
            for name in PTCE_FILES:
                call_command("import_ptce", str(settings.CONTENT_FIXTURES_DIR / name))
        call_command("load_content")
        # Planner statistics for the new rows (SQLite never gathers them by itself).
        analyze(Territory, TerritoryAncestry, Ptce, Member, Support)
