"""The OpenAPI description of the API v1 (drf-spectacular): query parameters and responses
described in French, shared by the views."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from .pagination import MAX_PAGE_SIZE


def query(name, description, *, many=False, type=OpenApiTypes.STR, enum=None, pattern=None):
    return OpenApiParameter(
        name,
        type=type,
        location=OpenApiParameter.QUERY,
        description=description,
        many=many,
        enum=enum,
        pattern=pattern,
        explode=True if many else None,
    )


ERROR = inline_serializer(
    "Erreur",
    fields={
        "error": serializers.CharField(help_text=_("Message d'erreur, en français.")),
        "parameter": serializers.CharField(
            required=False, help_text=_("Le paramètre en cause, quand il y en a un.")
        ),
    },
)
BAD_REQUEST = OpenApiResponse(ERROR, description=_("Paramètre invalide (nommé dans parameter)."))
NOT_FOUND = OpenApiResponse(ERROR, description=_("Introuvable (ou page au-delà de la dernière)."))
NOT_MODIFIED = OpenApiResponse(
    description=_("Non modifié depuis la version indiquée par If-None-Match ou If-Modified-Since.")
)
TOO_MANY = OpenApiResponse(ERROR, description=_("Trop de requêtes : voir l'en-tête Retry-After."))


def responses(ok, *extra):
    table = {200: ok, 304: NOT_MODIFIED, 400: BAD_REQUEST, 429: TOO_MANY}
    for status in extra:
        table[status] = NOT_FOUND
    return table


def paginated(name, serializer_class):
    return inline_serializer(
        name,
        fields={
            "count": serializers.IntegerField(help_text=_("Nombre total de résultats.")),
            "next": serializers.URLField(
                allow_null=True, help_text=_("Adresse de la page suivante, ou null.")
            ),
            "previous": serializers.URLField(
                allow_null=True, help_text=_("Adresse de la page précédente, ou null.")
            ),
            "results": serializer_class(many=True, help_text=_("Les résultats de la page.")),
        },
    )


PAGE = [
    query(
        "page",
        _("Numéro de la page, à partir de 1. Au-delà de la dernière page : 404."),
        type={"type": "integer", "minimum": 1},
    ),
    query(
        "page_size",
        _("Nombre de résultats par page, de 1 à %(max)s (20 par défaut).") % {"max": MAX_PAGE_SIZE},
        type={"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
]
REGION = query("region", _("Code INSEE d'une région (par exemple 84)."))
PTCE_FILTERS = [
    query(
        "q",
        _(
            "Recherche en texte libre dans le nom, le résumé, la description, la structure "
            "porteuse, les membres et le lieu (200 caractères au plus)."
        ),
    ),
    REGION,
    query(
        "departement",
        _("Code INSEE d'un département (par exemple 03, 2A, 971)."),
    ),
    query("epci", _("Numéro SIREN d'une intercommunalité (EPCI à fiscalité propre).")),
    query("commune", _("Code INSEE d'une commune (par exemple 03095).")),
    query(
        "theme",
        _("Slug d'une thématique ; répétable, un PTCE correspond s'il a l'une d'elles."),
        many=True,
    ),
    query(
        "support",
        _(
            "Slug d'un type de soutien reçu d'une collectivité (voir /api/v1/soutiens/) ; "
            "répétable."
        ),
        many=True,
    ),
    query("stage", _("Slug d'un stade de développement ; répétable."), many=True),
    query("legal_form", _("Slug d'une forme juridique ; répétable."), many=True),
    query("charter", _("Charte des PTCE signée : oui ou non."), enum=["oui", "non"]),
    query(
        "bbox",
        _(
            "Zone géographique ouest,sud,est,nord en degrés WGS84 (bords inclus) ; un ouest "
            "plus grand que l'est traverse l'antiméridien."
        ),
    ),
    query(
        "sort",
        _(
            "Tri : pertinence (par défaut avec q), nom (par défaut sans q) ou recent "
            "(dernières modifications d'abord)."
        ),
        enum=["pertinence", "nom", "recent"],
    ),
]
KNOWLEDGE_FILTERS = [
    query("q", _("Mots à chercher (200 caractères au plus)."), pattern=None),
    query(
        "support", _("Slug d'un type de soutien (voir /api/v1/soutiens/) ; répétable."), many=True
    ),
    REGION,
]
EXPERIENCE_FILTERS = [
    *KNOWLEDGE_FILTERS,
    query(
        "level",
        _("Niveau de la collectivité : region, departement, epci ou commune ; répétable."),
        many=True,
        enum=["region", "departement", "epci", "commune"],
    ),
]
SCHEME_FILTERS = [
    *KNOWLEDGE_FILTERS,
    query(
        "level",
        _("Porteur : region, departement, epci, commune ou etat ; répétable."),
        many=True,
        enum=["region", "departement", "epci", "commune", "etat"],
    ),
    query("open", _("En cours cette année : oui ou non."), enum=["oui", "non"]),
]
TERRITORY_SEARCH = [
    query(
        "q",
        _(
            "Début du nom (sans accents ni casse), code INSEE ou SIREN, ou code postal "
            "(200 caractères au plus)."
        ),
    ),
    query(
        "kind",
        _("Niveaux à chercher : region, departement, epci, commune ; répétable (tous par défaut)."),
        many=True,
        enum=["region", "departement", "epci", "commune"],
    ),
]
SLUG = OpenApiParameter(
    "slug",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.PATH,
    description=_("Identifiant textuel du PTCE (dernier segment de l'adresse de sa page)."),
    pattern=r"^[-a-zA-Z0-9_]+$",
)
