"""The columns of the PTCE file, defined once: the exporter writes them (``ptce_export``) and
the Table Schema of ``/donnees/schema-ptce.json`` describes them (``table_schema``).

They are the import format's (``ptce_csv.COLUMNS`` then ``ptce_csv.OPTIONAL_EXTRA_COLUMNS``)
followed by four optional columns: ``territoires_action`` (``niveau:code`` joined by ``|``,
sorted by level then code), ``latitude`` and ``longitude`` (a dot, at most 6 decimals) and
``verifiee_le`` (``YYYY-MM-DD``). Every value is written as the importer reads it, so that
export → import changes nothing → export gives the same file.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from collectivites.models import KIND_RANK, TerritoryKind
from directory.models import LegalForm, PtceStatus, Stage

from .ptce_rows import MAX_LENGTHS

COORDINATE_DECIMALS = 6
LIST_SEPARATOR = "|"
# Publication status as the importer reads it (``ptce_csv.STATUS_VALUES``).
STATUS_CODES = {
    PtceStatus.PUBLISHED: "publie",
    PtceStatus.DRAFT: "brouillon",
    PtceStatus.REVIEW: "relecture",
    PtceStatus.ARCHIVED: "archive",
}
COMMUNE_PATTERN = r"\d{5}|2[AB]\d{3}"
DEPARTEMENT_PATTERN = r"\d{2}|2[AB]|9\d{2}"
TERRITORY_PATTERN = (
    rf"region:\d{{2,3}}|departement:({DEPARTEMENT_PATTERN})|epci:\d{{9}}"
    rf"|commune:({COMMUNE_PATTERN})"
)
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"


def _text(value):
    return value or ""


def coordinate(value):
    """``45.123456``; ``-1.5``; empty when None. At most 6 decimals, no trailing zeros."""
    if value is None:
        return ""
    text = f"{round(value, COORDINATE_DECIMALS):.{COORDINATE_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def action_territories(ptce):
    """``region:84|departement:38|epci:200040715|commune:38185`` (level, then code)."""
    territories = sorted(
        ptce.action_territories.all(), key=lambda t: (KIND_RANK.get(t.kind, 99), t.code)
    )
    return LIST_SEPARATOR.join(f"{t.kind}:{t.code}" for t in territories)


def theme_slugs(ptce):
    return LIST_SEPARATOR.join(sorted(theme.slug for theme in ptce.themes.all()))


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    description: str
    value: object  # ptce → str (the cell, before formula neutralisation)
    type: str = "string"
    format: str = ""
    constraints: dict = field(default_factory=dict)
    # The model fields the value reads (for ``QuerySet.only``).
    reads: tuple = ()


def _max_length(name):
    return {"maxLength": MAX_LENGTHS[name]}


COLUMN_DEFINITIONS = [
    Column(
        "nom",
        "Nom",
        "Nom du PTCE ; avec le département, il identifie la fiche (une ligne qui porte le nom "
        "et le département d'une fiche existante la met à jour).",
        lambda p: p.name,
        constraints={"required": True, **_max_length("nom")},
        reads=("name",),
    ),
    Column(
        "commune_insee",
        "Commune du siège",
        "Code officiel géographique (INSEE) à 5 caractères de la commune du siège, zéro initial "
        "compris (01001, 2A004, 97411) ; vide quand seul le département est connu.",
        lambda p: p.seat_commune.code if p.seat_commune_id else "",
        constraints={"pattern": COMMUNE_PATTERN},
        reads=("seat_commune__code",),
    ),
    Column(
        "departement",
        "Département",
        "Code du département du siège (01, 2A, 974), celui de la commune quand elle est "
        "renseignée.",
        lambda p: p.departement.code,
        constraints={"required": True, "pattern": DEPARTEMENT_PATTERN},
        reads=("departement__code",),
    ),
    Column(
        "thematiques",
        "Thématiques",
        "Identifiants (slugs) des thématiques, séparés par « | », dans l'ordre alphabétique.",
        theme_slugs,
        constraints={"pattern": rf"{SLUG_PATTERN}(\|{SLUG_PATTERN})*"},
    ),
    Column(
        "forme_juridique",
        "Forme juridique",
        "Identifiant (slug) de la forme juridique de la structure porteuse.",
        lambda p: p.legal_form.slug if p.legal_form_id else "",
        reads=("legal_form__slug",),
    ),
    Column(
        "stade",
        "Stade",
        "Identifiant (slug) du stade de développement du PTCE.",
        lambda p: p.stage.slug if p.stage_id else "",
        reads=("stage__slug",),
    ),
    Column(
        "structure_porteuse",
        "Structure porteuse",
        "Nom de la structure qui porte le PTCE.",
        lambda p: p.carrying_structure,
        constraints=_max_length("structure_porteuse"),
        reads=("carrying_structure",),
    ),
    Column(
        "annee_creation",
        "Année de création",
        "Année de création du PTCE, sur 4 chiffres.",
        lambda p: str(p.year_founded) if p.year_founded else "",
        type="integer",
        constraints={"minimum": 1900},
        reads=("year_founded",),
    ),
    Column(
        "site_web",
        "Site web",
        "Adresse du site web du PTCE (http ou https).",
        lambda p: p.website,
        constraints={**_max_length("site_web"), "pattern": r"https?://.+"},
        reads=("website",),
    ),
    Column(
        "description",
        "Description",
        "Présentation du PTCE ; peut contenir des retours à la ligne.",
        lambda p: p.description,
        reads=("description",),
    ),
    Column(
        "statut",
        "Statut de publication",
        "publie (publié), brouillon, relecture (en relecture) ou archive (archivé). Les "
        "fichiers publics ne contiennent que des fiches publiées.",
        lambda p: STATUS_CODES[p.status],
        constraints={"required": True, "enum": list(STATUS_CODES.values())},
        reads=("status",),
    ),
    Column(
        "source",
        "Source",
        "D'où viennent les informations de la fiche.",
        lambda p: p.source,
        reads=("source",),
    ),
    Column(
        "resume",
        "Résumé",
        "Le PTCE en une ou deux phrases.",
        lambda p: p.summary,
        constraints=_max_length("resume"),
        reads=("summary",),
    ),
    Column(
        "courriel",
        "Courriel",
        "Adresse électronique publique de la structure (jamais celle d'une personne).",
        lambda p: p.email,
        # An address beginning with a formula character comes with an apostrophe before it.
        constraints={**_max_length("courriel"), "pattern": r"'?[^@\s]+@[^@\s]+"},
        reads=("email",),
    ),
    Column(
        "telephone",
        "Téléphone",
        "Téléphone public de la structure.",
        lambda p: p.phone,
        constraints=_max_length("telephone"),
        reads=("phone",),
    ),
    Column(
        "territoires_action",
        "Territoires d'action",
        "Territoires où le PTCE agit, en niveau:code séparés par « | », triés par niveau "
        "(region, departement, epci, commune) puis par code officiel, par exemple "
        "region:84|departement:38|epci:200040715|commune:38185.",
        action_territories,
        constraints={"pattern": rf"({TERRITORY_PATTERN})(\|({TERRITORY_PATTERN}))*"},
    ),
    Column(
        "latitude",
        "Latitude",
        "Latitude du PTCE en degrés décimaux (WGS84, point décimal, 6 décimales au plus).",
        lambda p: coordinate(p.latitude),
        type="number",
        constraints={"minimum": -90, "maximum": 90},
        reads=("latitude",),
    ),
    Column(
        "longitude",
        "Longitude",
        "Longitude du PTCE en degrés décimaux (WGS84, point décimal, 6 décimales au plus).",
        lambda p: coordinate(p.longitude),
        type="number",
        constraints={"minimum": -180, "maximum": 180},
        reads=("longitude",),
    ),
    Column(
        "verifiee_le",
        "Vérifiée le",
        "Date de la dernière vérification des informations (AAAA-MM-JJ) ; vide si jamais vérifiée.",
        lambda p: p.last_verified.isoformat() if p.last_verified else "",
        type="date",
        format="default",
        reads=("last_verified",),
    ),
]
COLUMN_NAMES = [column.name for column in COLUMN_DEFINITIONS]
# The four columns added after the first import format (read by the importer from then on).
NEW_COLUMNS = ["territoires_action", "latitude", "longitude", "verifiee_le"]
READ_FIELDS = sorted(
    {"slug", "seat_commune_id", "legal_form_id", "stage_id"}
    | {name for column in COLUMN_DEFINITIONS for name in column.reads}
)
TERRITORY_LEVELS = [kind.value for kind in TerritoryKind]


def table_schema():
    """The Table Schema (https://specs.frictionlessdata.io/table-schema/) of the file, with
    the reference lists of the moment as enumerations."""
    enums = {
        "forme_juridique": list(LegalForm.objects.order_by("slug").values_list("slug", flat=True)),
        "stade": list(Stage.objects.order_by("slug").values_list("slug", flat=True)),
    }
    fields = []
    for column in COLUMN_DEFINITIONS:
        constraints = dict(column.constraints)
        if column.name in enums:
            constraints["enum"] = enums[column.name]
        if column.name == "annee_creation":
            constraints["maximum"] = timezone.localdate().year
        described = {
            "name": column.name,
            "title": column.title,
            "description": column.description,
            "type": column.type,
        }
        if column.format:
            described["format"] = column.format
        if constraints:
            described["constraints"] = constraints
        fields.append(described)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "ptce",
        "title": "Annuaire des pôles territoriaux de coopération économique (PTCE)",
        "description": (
            "Un PTCE par ligne, au format d'import du Portail des PTCE. CSV en UTF-8 avec BOM, "
            "séparateur « ; », guillemets doubles. Une cellule de texte qui commence par =, +, "
            "-, @, une tabulation ou un retour chariot est précédée d'une apostrophe, pour "
            "qu'un tableur ne l'exécute pas comme une formule ; l'import la retire."
        ),
        "licenses": [
            {
                "name": "etalab-2.0",
                "title": "Licence Ouverte / Open Licence 2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        ],
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["nom", "departement"],
    }
