"""The JSON endpoints: PTCEs as GeoJSON, coverage counts, territory outlines, the territory
autocomplete and, for curators, a commune's town-hall point. Errors: ``api.responses``."""

import functools
import json

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from collectivites.models import Territory, TerritoryKind
from collectivites.models.territory_search import MAX_QUERY_LENGTH
from collectivites.queries import search_suggestions
from core.lenient import clean_text
from directory.map_query import MapQuery, ParameterError, parse_level

from .payloads import cached_payload, coverage, feature_collection
from .responses import GEOJSON, JSON, LONG_LIVED, Payload, error_response, payload_response

OUTLINE_FILES = {"departements": "departements.geojson", "regions": "regions.geojson"}
SEARCH_CACHE_SECONDS = 300


@method_decorator(csrf_exempt, name="dispatch")  # read-only: other methods get a JSON 405
class JsonView(View):
    http_method_names = ["get", "head", "options"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        message = _("Méthode %(method)s non autorisée.") % {"method": request.method}
        response = error_response(405, message)
        response["Allow"] = ", ".join(self._allowed_methods())
        return response


class CachedPayloadView(JsonView):
    """A payload of the published PTCEs selected by the directory's filters; subclasses give
    the cache kind, the content type and the builder."""

    content_type = JSON

    def get(self, request, *args, **kwargs):
        try:
            query = MapQuery.from_params(request.GET, request=request)
            kind, build = self.describe(query)
        except ParameterError as error:
            return error_response(400, error.message, error.parameter)
        return payload_response(request, cached_payload(kind, query, build), self.content_type)

    def describe(self, query):  # pragma: no cover - abstract
        raise NotImplementedError


class PtceGeoJsonView(CachedPayloadView):
    """``/api/v1/ptce.geojson``: published PTCEs having coordinates, with the directory's
    filters and ``bbox``."""

    content_type = GEOJSON

    def describe(self, query):
        return "ptce-geojson", feature_collection


class CoverageView(CachedPayloadView):
    """``/api/v1/coverage.json?level=departement|region``: published PTCEs per territory."""

    def describe(self, query):
        level = parse_level(self.request.GET)
        return f"coverage-{level}", coverage(level)


@functools.lru_cache(maxsize=256)
def outline_payload(name, code):
    """The vendored outlines (``fixtures/territories``), whole or one territory's; None for
    an unknown code. Kept in memory: the files change only with a deployment."""
    path = settings.TERRITORY_FIXTURES_DIR / OUTLINE_FILES[name]
    raw = path.read_bytes()
    modified = int(path.stat().st_mtime)
    if not code:
        return Payload.build(raw, modified)
    features = [f for f in json.loads(raw)["features"] if f["properties"]["code"] == code]
    if not features:
        return None
    body = json.dumps(
        {"type": "FeatureCollection", "features": features},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    return Payload.build(body, modified)


class OutlinesView(JsonView):
    """``/api/v1/outlines/departements.geojson`` and ``regions.geojson`` (``?code=`` for one
    territory): simplified outlines for the coverage layer and the territory maps."""

    def get(self, request, name):
        code = request.GET.get("code", "").strip().upper()
        if code and (len(code) > 3 or not code.isalnum()):
            return error_response(400, _("Code de territoire invalide."), "code")
        payload = outline_payload(name, code)
        if payload is None:
            return error_response(404, _("Aucun territoire n'a ce code."), "code")
        return payload_response(request, payload, GEOJSON, LONG_LIVED)


class CommunePointView(JsonView):
    """``/api/v1/communes/<id>/point.json``, for curators (the admin's point picker): the
    town hall's coordinates of a commune."""

    def get(self, request, pk):
        user = request.user
        if not (user.is_active and user.is_staff):
            return error_response(403, _("Réservé à l'équipe du portail."))
        commune = (
            Territory.objects.filter(pk=pk, kind=TerritoryKind.COMMUNE)
            .values("pk", "code", "name", "latitude", "longitude")
            .first()
        )
        if commune is None:
            return error_response(404, _("Commune inconnue."))
        if commune["latitude"] is None or commune["longitude"] is None:
            return error_response(404, _("La position de la mairie de cette commune est inconnue."))
        response = JsonResponse(commune, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "private, max-age=3600"
        return response


class TerritorySearchView(JsonView):
    """``/territoires/recherche.json?q=…[&kind=commune&kind=epci]``: at most ten territories
    for the autocomplete. An over-long query is a 400; anything else, however odd, is a 200
    (with no results when there is nothing to look for)."""

    def get(self, request):
        values = request.GET.getlist("q")
        text = clean_text(values[0]) if values else ""
        if len(text) > MAX_QUERY_LENGTH:
            message = _("Recherche trop longue (%(max)s caractères au plus).")
            return error_response(400, message % {"max": MAX_QUERY_LENGTH}, "q")
        kinds = [kind for kind in request.GET.getlist("kind") if kind in TerritoryKind.values]
        response = JsonResponse({"results": search_suggestions(text, kinds)})
        patch_cache_control(response, public=True, max_age=SEARCH_CACHE_SECONDS)
        return response
