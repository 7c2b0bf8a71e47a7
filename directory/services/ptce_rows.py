"""The import format of PTCEs (header of ``fixtures/content/ptce-reference.csv`` plus optional
columns), shared by the CSV (``ptce_csv``) and Excel (``ptce_xlsx``) readers: the header check,
the loop over data rows with its limits, and the validation of each row against lookups
loaded once.

Accepts what spreadsheets produce: codes whose leading zero was eaten (``3095`` for
``03095``), labels instead of slugs, with or without accents, decimal commas, French dates.
Every problem is collected with its line, column and value; nothing is guessed silently.
An empty cell changes nothing (a new PTCE gets the default, an existing one keeps its value).

Limits: ``MAX_FILE_BYTES`` (10 MB, checked before anything is read or decoded),
``MAX_DATA_ROWS`` (20,000 non-empty rows, counted while reading: the file is refused at the
first row over) and ``MAX_CELL_CHARS`` (5,000 characters, an error of the cell's line and
column).
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone

from core.text import normalize

from .ptce_values import parse_action_territories, parse_coordinates, parse_date
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
OPTIONAL_EXTRA_COLUMNS = [
    "resume",
    "courriel",
    "telephone",
    "territoires_action",
    "latitude",
    "longitude",
    "verifiee_le",
]
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
    """The file as a whole cannot be read (encoding, header, not a workbook...)."""


class Formula(str):
    """A cell of a workbook holding a formula (its text): an error, never computed."""


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
    action_territory_ids: list | None = None  # None: keep the current territories of action
    explicit_coordinates: bool = False  # from the latitude/longitude columns


@dataclass
class ParsedFile:
    rows: list
    errors: list
    encoding: str
    delimiter: str
    kind: str = "csv"


def number(value: int) -> str:
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


def column_key(header: str) -> str:
    return normalize(header).replace(" ", "_")


def pad_code(value: str, width: int) -> str:
    value = value.strip().upper()
    if value.isdigit() and len(value) < width:
        return value.zfill(width)
    return value


class Lookups:
    """Every reference the rows may name, loaded once."""

    def __init__(
        self, communes, departements, themes, stages, legal_forms, regions=None, epcis=None
    ):
        self.communes = communes  # code → (id, departement code, latitude, longitude)
        self.departements = departements  # code → id
        self.regions = regions or {}  # code → id
        self.epcis = epcis or {}  # code → id
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


def read_rows(header_cells, records, lookups, delimiter=","):
    """``records`` yields ``(line, cells)``; returns ``(rows, errors)``."""
    header = [column_key(str(cell or "")) for cell in header_cells]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells (a spreadsheet's formatted columns)
    check_header(header)
    rows, errors, seen = [], [], {}
    count = 0
    for start_line, cells in records:
        if not any(str(cell).strip() for cell in cells):
            continue
        count += 1
        if count > MAX_DATA_ROWS:
            raise CsvFormatError(
                f"Le fichier compte plus de {number(MAX_DATA_ROWS)} lignes de données "
                f"(limite dépassée à la ligne {start_line}) : découpez-le en plusieurs fichiers."
            )
        extra = [cell for cell in cells[len(header) :] if str(cell).strip()]
        if extra:
            hint = f"séparateur « {delimiter} » dans une valeur non entre guillemets ?"
            if not delimiter:  # a workbook: its rows are read a few cells wider than the header
                hint = "des cellules remplies à droite de la dernière colonne titrée"
                cells = cells[: max(i for i, c in enumerate(cells) if str(c).strip()) + 1]
            errors.append(
                RowError(
                    start_line,
                    "",
                    "",
                    f"{len(cells)} cellules pour {len(header)} colonnes ({hint})",
                )
            )
            continue
        cell_errors = _cell_errors(start_line, header, cells)
        if cell_errors:
            errors.extend(cell_errors)
            continue
        # A cell made inert on export (``'=…``) comes back as it was (spreadsheet_cells).
        record = {
            key: (restore(cells[i].strip()) if i < len(cells) else "")
            for i, key in enumerate(header)
        }
        row, row_errors = parse_row(start_line, record, lookups)
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


def _cell_errors(line, header, cells):
    errors = []
    for index, cell in enumerate(cells[: len(header)]):
        if isinstance(cell, Formula):
            errors.append(
                RowError(
                    line,
                    header[index],
                    cell[:MAX_SHOWN],
                    "formule : copiez la cellule et collez-la « en valeurs » avant l'import",
                )
            )
        elif len(cell) > MAX_CELL_CHARS:
            errors.append(
                RowError(
                    line,
                    header[index],
                    cell[:MAX_SHOWN],
                    f"cellule de {number(len(cell))} caractères, {number(MAX_CELL_CHARS)} au "
                    "plus (un guillemet non fermé avale la suite du fichier)",
                )
            )
    return errors


def _listed(columns):
    """At most ``MAX_LISTED_COLUMNS`` names, then how many more."""
    shown = ", ".join(f"« {c} »" for c in columns[:MAX_LISTED_COLUMNS])
    if len(columns) > MAX_LISTED_COLUMNS:
        shown += f" et {number(len(columns) - MAX_LISTED_COLUMNS)} autres"
    return shown


def check_header(header):
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
    if ("latitude" in counts) != ("longitude" in counts):
        problems.append("les colonnes « latitude » et « longitude » vont ensemble")
    if problems:
        raise CsvFormatError(
            "En-tête invalide ("
            + " ; ".join(problems)
            + "). Colonnes attendues : "
            + ", ".join(COLUMNS)
            + " ; facultatives : "
            + ", ".join(OPTIONAL_EXTRA_COLUMNS)
            + "."
        )


def parse_row(line, record, lookups):
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
    commune_code = pad_code(record.get("commune_insee", ""), 5)
    if commune_code:
        commune = lookups.communes.get(commune_code) if CODE_RE.match(commune_code) else None
        if commune is None:
            error("commune_insee", "commune inconnue (code INSEE à 5 caractères attendu)")
    departement_code = pad_code(record.get("departement", ""), 2)
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
            error("statut", "« publie », « relecture », « brouillon » ou « archive » attendu")
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

    action_ids = None
    if record.get("territoires_action"):
        action_ids, problems = parse_action_territories(record["territoires_action"], lookups)
        errors.extend(RowError(line, "territoires_action", v, m) for v, m in problems)

    coordinates, problem = parse_coordinates(record.get("latitude"), record.get("longitude"))
    if problem:
        column, message = problem
        error(column, message)
    elif coordinates:
        values["latitude"], values["longitude"] = coordinates

    if record.get("verifiee_le"):
        verified, message = parse_date(record["verifiee_le"])
        if message:
            error("verifiee_le", message)
        else:
            values["last_verified"] = verified

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
            action_territory_ids=action_ids,
            explicit_coordinates=coordinates is not None,
        ),
        errors,
    )
