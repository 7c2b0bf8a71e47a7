"""The directory's filters, shared by the HTML pages and the API.

Query parameters: ``q``; ``region``, ``departement``, ``epci``, ``commune`` (official codes);
``theme``, ``support``, ``stage``, ``legal_form`` (repeatable slugs: any of them);
``charter`` (``oui``/``non``); ``bbox`` (``west,south,east,north``: the zone of the map, see
``parse_bbox_value``); ``sort`` (``pertinence``, ``nom``, ``recent``).

Any input is accepted: what is invalid (unknown code or slug, over-long text, repeated
single-valued parameter…) is left out and listed in ``filterset.ignored`` so that pages can
say so; nothing here raises on bad input.
"""

import math
from dataclasses import dataclass

import django_filters
from django.utils.translation import gettext_lazy as _

from collectivites.filtering import LenientFilterSet
from collectivites.models import TerritoryKind

from .models import Charter, Ptce, Support
from .options import filter_options, option_rows
from .search import plan
from .search_text import query_words

MAX_QUERY_LENGTH = 200
MAX_BBOX_LENGTH = 200
TERRITORY_PARAMETERS = {
    "region": TerritoryKind.REGION,
    "departement": TerritoryKind.DEPARTEMENT,
    "epci": TerritoryKind.EPCI,
    "commune": TerritoryKind.COMMUNE,
}
# Repeatable parameters: a PTCE matches when it has any of the values. Stage and legal form
# are columns of the PTCE (``stage_id``, ``legal_form_id``); themes and supports are rows of
# a link table, given here as (model, column of the option's id); ``link_rows`` gives the
# rows the public may see (a support counts once published itself).
MULTI_PARAMETERS = ["theme", "support", "stage", "legal_form"]
LINK_TABLES = {
    "theme": (Ptce.themes.through, "theme_id"),
    "support": (Support, "support_type_id"),
}


def link_rows(name):
    """The public rows of the link table of the filter ``name`` (the PTCEs they name are
    restricted by the caller, to published ones)."""
    model, _column = LINK_TABLES[name]
    if model is Support:
        return Support.objects.published_rows()
    return model.objects.all()


SORTS = {"pertinence": _("Pertinence"), "nom": _("Nom"), "recent": _("Mises à jour récentes")}
CHARTER_CHOICES = [(Charter.YES, _("Oui")), (Charter.NO, _("Non"))]


@dataclass(frozen=True)
class Bbox:
    west: float
    south: float
    east: float
    north: float

    def as_tuple(self):
        return (self.west, self.south, self.east, self.north)


class BboxError(ValueError):
    """A ``bbox`` value that cannot be used; ``message`` says why, for the visitor."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def parse_bbox_value(raw):
    """``Bbox`` from ``"west,south,east,north"`` (WGS84 degrees, edges included); raises
    ``BboxError`` when malformed. Latitudes within [-90, 90] with south <= north, longitudes
    within [-180, 180]; west greater than east is a box crossing the antimeridian (RFC 7946,
    section 5.2), e.g. ``170,-20,-170,-10``."""
    wrong = BboxError(
        _("bbox attend quatre nombres séparés par des virgules : ouest,sud,est,nord.")
    )
    parts = raw.split(",")
    if len(raw) > MAX_BBOX_LENGTH or len(parts) != 4:
        raise wrong
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise wrong from None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise wrong
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BboxError(_("Les latitudes de bbox doivent être comprises entre -90 et 90."))
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BboxError(_("Les longitudes de bbox doivent être comprises entre -180 et 180."))
    if south > north:
        raise BboxError(_("Dans bbox, le sud doit être inférieur ou égal au nord."))
    return Bbox(west, south, east, north)


def _options_of(name):
    return lambda: filter_options()[name]


class PtceFilterSet(LenientFilterSet):
    multi_choices = {name: _options_of(name) for name in MULTI_PARAMETERS}
    territory_parameters = TERRITORY_PARAMETERS
    text_parameters = []
    custom_parameters = ["q", "charter", "sort", "bbox"]

    q = django_filters.CharFilter(method="filter_q", label=_("Rechercher"))
    region = django_filters.CharFilter(method="filter_territory", label=_("Région"))
    departement = django_filters.CharFilter(method="filter_territory", label=_("Département"))
    epci = django_filters.CharFilter(method="filter_territory", label=_("Intercommunalité"))
    commune = django_filters.CharFilter(method="filter_territory", label=_("Commune"))
    theme = django_filters.MultipleChoiceFilter(method="filter_any", label=_("Thématiques"))
    support = django_filters.MultipleChoiceFilter(
        method="filter_any", label=_("Soutien reçu d'une collectivité")
    )
    stage = django_filters.MultipleChoiceFilter(method="filter_any", label=_("Stade"))
    legal_form = django_filters.MultipleChoiceFilter(
        method="filter_any", label=_("Forme juridique")
    )
    charter = django_filters.ChoiceFilter(
        field_name="charter_signed", choices=CHARTER_CHOICES, label=_("Charte des PTCE signée")
    )
    bbox = django_filters.CharFilter(method="filter_bbox", label=_("Zone de la carte"))

    class Meta:
        model = Ptce
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.search_plan = None
        super().__init__(data, queryset, request=request, prefix=prefix)

    # --- input cleaning (see collectivites.filtering.LenientFilterSet) -------------------
    def _single_is_valid(self, name, value):
        if name == "q":
            if len(value) > MAX_QUERY_LENGTH:
                self._ignore(name, value, _("recherche trop longue (200 caractères au plus)"))
                return False
            if not query_words(value):
                self._ignore(name, value, _("aucun mot à chercher"))
                return False
            return True
        if name == "charter":
            if value not in (Charter.YES, Charter.NO):
                self._ignore(name, value, _("« oui » ou « non » attendu"))
                return False
            return True
        if name == "sort":
            if value not in SORTS:
                self._ignore(name, value, _("tri inconnu"))
                return False
            return True
        if name == "bbox":
            try:
                parse_bbox_value(value)
            except BboxError as error:
                self._ignore(name, value, error.message)
                return False
            return True
        return super()._single_is_valid(name, value)

    # --- filters ------------------------------------------------------------------------
    def filter_q(self, queryset, name, value):
        # Decided once per request, whatever the facet being counted, among all the PTCEs
        # searched: the words as typed, else the last one completed, else the query
        # corrected against the vocabulary (``directory.search.plan``).
        if self.search_plan is None:
            self.search_plan = plan(self.queryset, value)
        return self.search_plan.apply(queryset)

    @property
    def suggestion(self):
        """The corrected query searched instead of the visitor's (``""`` when none)."""
        return self.search_plan.suggestion if self.search_plan else ""

    def filter_territory(self, queryset, name, value):
        return queryset.in_territory(self.territories[name])

    def filter_bbox(self, queryset, name, value):
        return queryset.in_bbox(*parse_bbox_value(value).as_tuple())

    def filter_any(self, queryset, name, value):
        # Slugs to ids with the cached option lists, then the link table alone: a subquery
        # joining the PTCEs and the reference list again made PostgreSQL probe it per row.
        ids = [pk for pk, slug, _label in option_rows()[name] if slug in value]
        if name in LINK_TABLES:
            _model, column = LINK_TABLES[name]
            links = link_rows(name).filter(**{f"{column}__in": ids})
            return queryset.filter(pk__in=links.values("ptce_id"))
        return queryset.filter(**{f"{name}_id__in": ids})

    # --- results ------------------------------------------------------------------------
    @property
    def sort(self):
        requested = self.form.data.get("sort")
        if requested:
            return requested
        return "pertinence" if self.form.data.get("q") else "nom"

    def sorted_qs(self):
        queryset = self.qs
        sort = self.sort
        if sort == "pertinence" and self.form.data.get("q"):
            return queryset.order_by("-relevance", "search_name", "pk")
        if sort == "recent":
            return queryset.order_by("-updated_at", "pk")
        return queryset.order_by("search_name", "pk")

    @property
    def is_filtering(self):
        """Whether any filter narrows the PTCEs (the sort and the page do not)."""
        return any(value not in (None, "", []) for value in self.form.cleaned_data.values())

    def queryset_without(self, *excluded):
        """The queryset filtered by everything except the filters named in ``excluded`` (for
        facet counts)."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name not in excluded and value not in (None, "", []):
                queryset = self.filters[name].filter(queryset, value)
        return queryset
