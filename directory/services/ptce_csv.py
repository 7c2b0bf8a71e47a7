"""Reading and validating a CSV of PTCEs (header of ``fixtures/content/ptce-reference.csv``).

Accepts what spreadsheets produce: ``,`` or ``;`` separators, a UTF-8 BOM, Windows-1252 text,
codes whose leading zero was eaten (``3095`` for ``03095``), labels instead of slugs, with or
without accents. Every problem is collected with its line, column and value; nothing is
guessed silently.

Limits: ``MAX_FILE_BYTES`` (10 MB, checked before anything is read or decoded),
``MAX_DATA_ROWS`` (20,000 non-empty rows, counted while reading: the file is refused at the
first row over) and ``MAX_CELL_CHARS`` (5,000 characters, an error of the cell's line and
column). The work is linear in the size of the file; memory stays a small multiple of it.
"""

import csv
import re
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone

from core.text import normalize

from .spreadsheet_cells import restore

COLUMNS = [
    "nom",
    "commune_insee",
    "departement",
    "thematiques",
    "forme_juridique",
    "stade",
    "structure_porteuse",
    "annee_creation",
    "site_web",
    "description",
    "statut",
    "source",
]
OPTIONAL_EXTRA_COLUMNS = ["resume", "courriel", "telephone"]
STATUS_VALUES = {
    "publie": "published",
    "published": "published",
    "brouillon": "draft",
    "draft": "draft",
    "relecture": "review",
    "en relecture": "review",
    "review": "review",
    "archive": "archived",
    "archived": "archived",
}
MAX_LENGTHS = {
    "nom": 200,
    "structure_porteuse": 200,
    "site_web": 300,
    "resume": 400,
    "courriel": 254,
    "telephone": 30,
}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DATA_ROWS = 20_000
MAX_CELL_CHARS = 5_000
MAX_LISTED_COLUMNS = 10  # in the message about unknown or duplicated columns
MAX_SHOWN = 200  # characters of an over-long cell kept in its error
YEAR_RE = re.compile(r"^\d{4}(\.0+)?$")
CODE_RE = re.compile(r"^(\d{1,5}|2[ab]\d{3}|\d{2}[ab])$", re.IGNORECASE)


class CsvFormatError(Exception):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass
class RowError:
    line: int
    column: str
    value: str
    message: str

    def __str__(self):
        where = f"ligne {self.line}"
        if self.column:
            where += f", colonne « {self.column} »"
        if self.value:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            where += f", valeur « {shown} »"
        return f"{where} : {self.message}"


@dataclass
class PtceRow:
    """A valid row, with references resolved to ids."""

    line: int
    name: str
    departement_id: int
    departement_code: str
    values: dict = field(default_factory=dict)  # model field → value, only non-empty cells
    theme_ids: list | None = None  # None: the cell was empty, keep the current themes


@dataclass
class ParsedFile:
    rows: list
    errors: list
    encoding: str
    delimiter: str


def _number(value: int) -> str:
    """``20000`` → ``"20 000"`` (French grouping, non-breaking space)."""
    return f"{value:,}".replace(",", "\u00a0")


def check_size(size: int) -> None:
    """Refuse a file of ``size`` bytes over ``MAX_FILE_BYTES`` (before reading it)."""
    if size > MAX_FILE_BYTES:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        raise CsvFormatError(
            f"Le fichier pèse {megabytes}\u00a0Mo : {MAX_FILE_BYTES // 1024 // 1024}\u00a0Mo "
            "au plus. Découpez-le en plusieurs fichiers."
        )


_FIELD_LIMIT_LOCK = threading.Lock()


@contextmanager
def _csv_field_limit(limit: int):
    """``csv.field_size_limit`` is global to the process: raised for the reading of one
    file (so that the reader hands over any cell of an accepted file and ``parse`` can name
    the line and column of one over ``MAX_CELL_CHARS``), then restored. The lock keeps two
    imports in threads of one process from restoring it under each other."""
    with _FIELD_LIMIT_LOCK:
        previous = csv.field_size_limit(limit)
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict"), "windows-1252"


def _column_key(header: str) -> str:
    return normalize(header).replace(" ", "_")


def _pad_code(value: str, width: int) -> str:
    value = value.strip().upper()
    if value.isdigit() and len(value) < width:
        return value.zfill(width)
    return value


class Lookups:
    """Every reference the rows may name, loaded once."""

    def __init__(self, communes, departements, themes, stages, legal_forms):
        self.communes = communes  # code → (id, departement code, latitude, longitude)
        self.departements = departements  # code → id
        # Reference lists: [(slug, name, id)], looked up by normalised slug or name.
        self.themes = self._index(themes)
        self.stages = self._index(stages)
        self.legal_forms = self._index(legal_forms)
        self.accepted = {
            "forme_juridique": ", ".join(slug for slug, _, _ in legal_forms),
            "stade": ", ".join(slug for slug, _, _ in stages),
        }

    @staticmethod
    def _index(items):
        index = {}
        for slug, name, pk in items:
            index[normalize(name)] = pk
            index[normalize(slug)] = pk
        return index


def _split_delimiter(text: str) -> str:
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str):
    """The lines of ``text`` with their ends (``\\r\\n``, ``\\n`` or ``\\r``), as
    ``io.StringIO(text, newline="")`` gives them, without its copy of the whole text (four
    bytes a character: 40 MB for a 10 MB file)."""
    return (match.group() for match in _LINE.finditer(text))


def parse(raw: bytes, lookups: Lookups) -> ParsedFile:
    check_size(len(raw))
    if b"\x00" in raw:
        raise CsvFormatError("Le fichier contient des octets nuls : ce n'est pas un CSV texte.")
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as error:
        raise CsvFormatError("Encodage illisible : enregistrez le fichier en CSV UTF-8.") from error
    if not text.strip():
        raise CsvFormatError("Le fichier est vide.")
    delimiter = _split_delimiter(text)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    # Any cell of an accepted file fits: its length is checked below, with line and column.
    with _csv_field_limit(MAX_FILE_BYTES + 1):
        try:
            rows, errors = _read_rows(reader, delimiter, lookups)
        except csv.Error as error:
            raise CsvFormatError(
                f"Ligne {reader.line_num} illisible ({error}) : vérifiez les guillemets."
            ) from error
    if not rows and not errors:
        raise CsvFormatError("Le fichier ne contient aucune ligne de données.")
    return ParsedFile(rows=rows, errors=errors, encoding=encoding, delimiter=delimiter)


def _read_rows(reader, delimiter, lookups):
    header = [_column_key(cell) for cell in next(reader)]
    _check_header(header)
    rows, errors, seen = [], [], {}
    line = reader.line_num
    count = 0
    for cells in reader:
        start_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_DATA_ROWS:
            raise CsvFormatError(
                f"Le fichier compte plus de {_number(MAX_DATA_ROWS)} lignes de données "
                f"(limite dépassée à la ligne {start_line}) : découpez-le en plusieurs fichiers."
            )
        if len(cells) > len(header):
            errors.append(
                RowError(
                    start_line,
                    "",
                    "",
                    f"{len(cells)} cellules pour {len(header)} colonnes "
                    f"(séparateur « {delimiter} » dans une valeur non entre guillemets ?)",
                )
            )
            continue
        too_long = [
            RowError(
                start_line,
                header[index],
                cell[:MAX_SHOWN],
                f"cellule de {_number(len(cell))} caractères, {_number(MAX_CELL_CHARS)} au "
                "plus (un guillemet non fermé avale la suite du fichier)",
            )
            for index, cell in enumerate(cells)
            if len(cell) > MAX_CELL_CHARS
        ]
        if too_long:
            errors.extend(too_long)
            continue
        record = {
            key: (restore(cells[i].strip()) if i < len(cells) else "")
            for i, key in enumerate(header)
        }
        row, row_errors = _parse_row(start_line, record, lookups)
        errors.extend(row_errors)
        if row is not None:
            identity = (row.name.casefold(), row.departement_code)
            if identity in seen:
                errors.append(
                    RowError(
                        start_line,
                        "nom",
                        row.name,
                        f"même PTCE et même département qu'à la ligne {seen[identity]}",
                    )
                )
                continue
            seen[identity] = start_line
            rows.append(row)
    return rows, errors


def _listed(columns):
    """At most ``MAX_LISTED_COLUMNS`` names, then how many more."""
    shown = ", ".join(f"« {c} »" for c in columns[:MAX_LISTED_COLUMNS])
    if len(columns) > MAX_LISTED_COLUMNS:
        shown += f" et {_number(len(columns) - MAX_LISTED_COLUMNS)} autres"
    return shown


def _check_header(header):
    """Linear in the number of columns (a header of 30,000 cells answers at once)."""
    known = set(COLUMNS) | set(OPTIONAL_EXTRA_COLUMNS)
    counts = Counter(header)
    unknown = [column for column in counts if column not in known]
    duplicated = sorted(column for column, count in counts.items() if count > 1)
    problems = []
    if "nom" not in counts:
        problems.append("la colonne « nom » est obligatoire")
    if "departement" not in counts and "commune_insee" not in counts:
        problems.append("il faut une colonne « departement » ou « commune_insee »")
    if unknown:
        problems.append("colonnes inconnues : " + _listed(unknown))
    if duplicated:
        problems.append("colonnes en double : " + _listed(duplicated))
    if problems:
        raise CsvFormatError(
            "En-tête invalide ("
            + " ; ".join(problems)
            + "). Colonnes attendues : "
            + ", ".join(COLUMNS)
            + "."
        )


def _parse_row(line, record, lookups):
    errors = []

    def error(column, message):
        errors.append(RowError(line, column, record.get(column, ""), message))

    for column, limit in MAX_LENGTHS.items():
        if len(record.get(column, "")) > limit:
            error(column, f"{limit} caractères au plus")
    name = record.get("nom", "")
    if not name:
        error("nom", "le nom est obligatoire")
    values = {}

    commune = None
    commune_code = _pad_code(record.get("commune_insee", ""), 5)
    if commune_code:
        commune = lookups.communes.get(commune_code) if CODE_RE.match(commune_code) else None
        if commune is None:
            error("commune_insee", "commune inconnue (code INSEE à 5 caractères attendu)")
    departement_code = _pad_code(record.get("departement", ""), 2)
    if departement_code and departement_code not in lookups.departements:
        error("departement", "département inconnu")
    elif commune and departement_code and departement_code != commune[1]:
        error(
            "departement",
            f"ne correspond pas à la commune {commune_code}, qui est dans le {commune[1]}",
        )
    if not departement_code and commune:
        departement_code = commune[1]
    if not departement_code and not commune_code:
        error("departement", "le département est obligatoire quand la commune est vide")
    if commune:
        values["seat_commune_id"] = commune[0]
        values["latitude"], values["longitude"] = commune[2], commune[3]

    theme_ids = None
    if record.get("thematiques"):
        theme_ids = []
        for label in record["thematiques"].split("|"):
            if not label.strip():
                continue
            theme_id = lookups.themes.get(normalize(label))
            if theme_id is None:
                errors.append(RowError(line, "thematiques", label.strip(), "thématique inconnue"))
            elif theme_id not in theme_ids:
                theme_ids.append(theme_id)

    for column, table, target in (
        ("forme_juridique", lookups.legal_forms, "legal_form_id"),
        ("stade", lookups.stages, "stage_id"),
    ):
        if record.get(column):
            found = table.get(normalize(record[column]))
            if found is None:
                error(column, f"valeur inconnue (valeurs possibles : {lookups.accepted[column]})")
            else:
                values[target] = found

    if record.get("annee_creation"):
        year = record["annee_creation"]
        this_year = timezone.localdate().year
        if not YEAR_RE.match(year) or not 1900 <= int(float(year)) <= this_year:
            error("annee_creation", f"année sur 4 chiffres attendue, entre 1900 et {this_year}")
        else:
            values["year_founded"] = int(float(year))

    if record.get("site_web"):
        url = record["site_web"]
        if not re.match(r"^https?://", url, re.IGNORECASE):
            url = "https://" + url
        try:
            URLValidator(schemes=["http", "https"])(url)
            values["website"] = url
        except ValidationError:
            error("site_web", "adresse web invalide")

    if record.get("courriel"):
        try:
            EmailValidator()(record["courriel"])
            values["email"] = record["courriel"]
        except ValidationError:
            error("courriel", "adresse électronique invalide")

    if record.get("statut"):
        status = STATUS_VALUES.get(normalize(record["statut"]))
        if status is None:
            error("statut", "« publie » ou « brouillon » attendu")
        else:
            values["status"] = status

    for column, target in (
        ("structure_porteuse", "carrying_structure"),
        ("description", "description"),
        ("source", "source"),
        ("resume", "summary"),
        ("telephone", "phone"),
    ):
        if record.get(column):
            values[target] = record[column]

    if errors:
        return None, errors
    return (
        PtceRow(
            line=line,
            name=name,
            departement_id=lookups.departements[departement_code],
            departement_code=departement_code,
            values=values,
            theme_ids=theme_ids,
        ),
        errors,
    )
