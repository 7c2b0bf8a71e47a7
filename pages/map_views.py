"""``/carte/``: the full-page map (directory filters, coverage of territories, API URLs).
The page works without JavaScript: the directory's own filter form (the same include, the
same facets), the number of PTCEs found, a link to the same search in the directory
and a table of PTCEs per région (the accessible equivalent of the coverage layer)."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from collectivites.models import TerritoryKind
from collectivites.queries import (
    departement_choices,
    overseas_collectivity_choices,
    overseas_regions,
    region_choices,
)
from core.lenient import Ignored
from directory.facets import facet_counts, filters_form_key
from directory.map_query import MapQuery, ParameterError, coverage_counts, located
from directory.territory_choice import TerritoryBoxMixin


class MapView(TerritoryBoxMixin, TemplateView):
    template_name = "pages/map.html"
    territory_choice_url_name = "pages:map-territory-choice"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, ignored = lenient_query(self.request)
        context.update(map_context(query, ignored))
        return context


def without(params, *names):
    """A copy of the QueryDict ``params`` without ``names``."""
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query


def lenient_query(request):
    """The page's ``MapQuery`` and what it left out: unlike the API, a bad ``bbox`` is named
    and the whole map shown."""
    try:
        return MapQuery.from_params(request.GET, request=request), []
    except ParameterError as error:
        value = request.GET.get(error.parameter, "")
        query = MapQuery.from_params(without(request.GET, error.parameter), request=request)
        return query, [Ignored(error.parameter, value, error.message)]


def map_context(query, extra_ignored):
    data = query.filterset.form.data
    queryset = query.queryset()
    region_counts = coverage_counts(queryset, TerritoryKind.REGION)
    shown_count = located(queryset).count()
    list_url = reverse("directory:ptce-list")
    filterset = query.filterset
    bbox = query.bbox
    bbox_value = ",".join(f"{value:g}" for value in bbox.as_tuple()) if bbox else ""
    list_params = without(data, "sort", "page", "bbox")
    if bbox_value:  # the directory takes the zone too
        list_params["bbox"] = bbox_value
    return {
        "filterset": query.filterset,
        "bbox": bbox,
        "bbox_value": bbox_value,
        "ignored": [*query.filterset.ignored, *extra_ignored],
        "shown_count": shown_count,
        "unlocated_count": sum(region_counts.values()) - shown_count,
        # The directory's filter form (directory/includes/filters_form.html), as on /ptce/.
        "region_options": SimpleLazyObject(region_choices),
        "departement_options": SimpleLazyObject(departement_choices),
        "facets": SimpleLazyObject(lambda: facet_counts(filterset)),
        "filters_cache_key": filters_form_key(filterset),
        "filters_form_id": "map-filters",
        "filters_action": reverse("pages:map"),
        "territory_action": reverse("pages:map-territory-choice"),
        "region_rows": region_rows(data, region_counts),
        "list_query": list_params,
        "api_urls": {
            "points": reverse("api:ptce-geojson"),
            "coverage": reverse("api:coverage"),
            "departements": reverse("api:outlines-departements"),
            "regions": reverse("api:outlines-regions"),
            "list": list_url,
        },
        "map_messages": map_messages(),
        "map_places": map_places(),
    }


def region_rows(data, counts):
    """(code, name, count, query of the directory) per région, in alphabetical order, the
    other filters kept; then the overseas collectivities that have PTCEs, named as such."""
    others = without(data, "region", "departement", "sort", "page")
    rows = []
    places = list(region_choices())
    for code, name in overseas_collectivity_choices():
        if counts.get(code):
            places.append((code, _("%(name)s (collectivité d'outre-mer)") % {"name": name}))
    for code, name in places:
        query = others.copy()
        query["region"] = code
        rows.append((code, name, counts.get(code, 0), query))
    return rows


# Zoom that shows a whole overseas région (Guyane is larger, Mayotte smaller).
OVERSEAS_ZOOM = {"03": 7, "06": 10}


def map_places():
    """Where the map's « Aller à » control moves: France métropolitaine (the default view),
    then each overseas région (which the default view leaves out), with a point inside it."""
    center = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
    places = [
        {
            "name": _("France métropolitaine"),
            "latitude": center[0],
            "longitude": center[1],
            "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
        }
    ]
    for region in overseas_regions():
        places.append(
            {
                "name": region.name,
                "latitude": region.latitude,
                "longitude": region.longitude,
                "zoom": OVERSEAS_ZOOM.get(region.code, 9),
            }
        )
    return places


def map_messages():
    """The map script's texts (``{n}``, ``{name}`` are filled in by the script)."""
    return {
        "count_none": _("Aucun PTCE sur la carte"),
        "count_one": _("1 PTCE sur la carte"),
        "count_many": _("{n} PTCE sur la carte"),
        "cluster": _("{n} PTCE regroupés : zoomer sur ce groupe"),
        "coverage": _("{name} : {n} PTCE"),
        "markers_layer": _("PTCE (marqueurs)"),
        "coverage_layer": _("Couverture : PTCE par territoire"),
        "legend_departement": _("PTCE par département"),
        "legend_region": _("PTCE par région"),
        "legend_none": _("Aucun PTCE"),
        "error": _("La carte n'a pas pu être chargée. Réessayez ou consultez la liste."),
        "see_page": _("Voir la fiche"),
        "table_link": _(" PTCE, voir la liste"),
        "places": _("Aller à"),
    }
