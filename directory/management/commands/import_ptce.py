"""``manage.py import_ptce FILE [--dry-run]``: a thin shell around the import service (a CSV or
an Excel .xlsx file)."""

from django.core.management.base import BaseCommand, CommandError

from directory.services.ptce_csv import MAX_CELL_CHARS, MAX_DATA_ROWS, MAX_FILE_BYTES
from directory.services.ptce_import import CsvFormatError, import_ptce_csv

MAX_LISTED = 20


class Command(BaseCommand):
    help = (
        "Importe des PTCE depuis un CSV (séparateur , ou ;, UTF-8 ou Windows-1252) ou un "
        "classeur Excel .xlsx (première feuille, valeurs sans formules). "
        "Tout ou rien : une seule ligne invalide et rien n'est écrit. "
        f"Au plus {MAX_FILE_BYTES // 1024 // 1024} Mo, {MAX_DATA_ROWS:_} lignes de données et "
        f"{MAX_CELL_CHARS:_} caractères par cellule."
    ).replace("_", "\u00a0")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Chemin du fichier CSV ou .xlsx.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifie et rapporte sans rien écrire."
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            result = import_ptce_csv(path, dry_run=options["dry_run"])
        except FileNotFoundError as error:
            raise CommandError(f"Fichier introuvable : {path}") from error
        except (IsADirectoryError, PermissionError) as error:
            raise CommandError(f"Lecture impossible de {path} : {error.strerror}") from error
        except CsvFormatError as error:
            raise CommandError(f"{path} : {error}") from error
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"{path}, {error}")
            raise CommandError(
                f"Import annulé : {len(result.errors)} erreur(s), aucune modification écrite."
            )
        prefix = "[simulation] " if result.dry_run else ""
        verb = "seraient" if result.dry_run else "ont été"
        for label, names in (("créés", result.created), ("mis à jour", result.updated)):
            self.stdout.write(f"{prefix}{len(names)} PTCE {verb} {label}.")
            if options["verbosity"] > 1 or len(names) <= MAX_LISTED:
                for name in names:
                    self.stdout.write(f"  - {name}")
        self.stdout.write(f"{prefix}{len(result.unchanged)} PTCE inchangé(s).")
        for item in result.plan:
            if item.duplicates:
                others = ", ".join(f"{p.name} (n°{p.pk})" for p in item.duplicates)
                self.stdout.write(f"Doublon possible, ligne {item.line} « {item.name} » : {others}")
        if result.kind == "xlsx":
            self.stdout.write("(classeur Excel .xlsx)")
        else:
            self.stdout.write(f"(encodage {result.encoding}, séparateur « {result.delimiter} »)")
