"""The map's JSON API (``/api/v1/``): PTCEs as GeoJSON, coverage counts, territory outlines
and, for curators, a commune's town-hall point.

Responses are built once and cached gzipped (``directory.geo``); every response carries a
weak ``ETag`` and ``Last-Modified`` and answers 304 to ``If-None-Match`` /
``If-Modified-Since``; the body goes out gzipped when the client accepts it. A bad ``bbox`` or
``level`` is a 400 with ``{"error": …, "parameter": …}``; invalid directory filters are left
out and listed in the payload's ``ignored`` member, as on the directory's pages.
"""

import functools
import json
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views import View

from collectivites.models import Territory, TerritoryKind

from .geo import (
    MapQuery,
    ParameterError,
    Payload,
    cached_payload,
    compact_json,
    coverage,
    feature_collection,
    parse_level,
)

GEOJSON = "application/geo+json"
JSON = "application/json"
# Data that changes with every edit: stored by browsers, revalidated each time (304s).
REVALIDATE = "public, no-cache"
# Territory outlines: rebuilt once a year, with a deployment.
LONG_LIVED = "public, max-age=604800"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
OUTLINE_FILES = {"departements": "departements.geojson", "regions": "regions.geojson"}


def error_response(status, message, parameter=None):
    body = {"error": message}
    if parameter is not None:
        body["parameter"] = parameter
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def payload_response(request, payload, content_type, cache_control=REVALIDATE):
    """``payload`` as a response: 304 when the client's copy is current, gzipped when the
    client accepts it."""
    response = HttpResponse(content_type=content_type)
    response["ETag"] = payload.etag
    response["Last-Modified"] = http_date(payload.last_modified)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept-Encoding"])
    conditional = get_conditional_response(
        request, etag=payload.etag, last_modified=payload.last_modified, response=response
    )
    if conditional is not response:
        return conditional
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response.content = payload.gzipped
        response["Content-Encoding"] = "gzip"
    else:
        response.content = payload.body()
    response["Content-Length"] = str(len(response.content))
    return response


class CachedPayloadView(View):
    """GET only; subclasses give the cache kind, the content type and the payload."""

    http_method_names = ["get", "head", "options"]
    content_type = JSON

    def get(self, request, *args, **kwargs):
        try:
            query = MapQuery.from_params(request.GET, request=request)
            kind, build = self.describe(query)
        except ParameterError as error:
            return error_response(400, error.message, error.parameter)
        payload = cached_payload(query.cache_key(kind), build)
        return payload_response(request, payload, self.content_type)

    def describe(self, query):  # pragma: no cover - abstract
        raise NotImplementedError


class PtceGeoJsonView(CachedPayloadView):
    """``/api/v1/ptce.geojson``: published PTCEs having coordinates, with the directory's
    filters and ``bbox``."""

    content_type = GEOJSON

    def describe(self, query):
        return "ptce", functools.partial(feature_collection, query)


class CoverageView(CachedPayloadView):
    """``/api/v1/coverage.json?level=departement|region``: published PTCEs per territory."""

    def describe(self, query):
        level = parse_level(self.request.GET)
        return f"coverage-{level}", functools.partial(coverage, query, level)


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
    return Payload.build(
        compact_json({"type": "FeatureCollection", "features": features}), modified
    )


class OutlinesView(View):
    """``/api/v1/outlines/departements.geojson`` and ``regions.geojson`` (``?code=`` for one
    territory): simplified outlines for the coverage layer and the territory maps."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, name):
        code = request.GET.get("code", "").strip().upper()
        if code and (len(code) > 3 or not code.isalnum()):
            return error_response(400, _("Code de territoire invalide."), "code")
        payload = outline_payload(name, code)
        if payload is None:
            return error_response(404, _("Aucun territoire n'a ce code."), "code")
        return payload_response(request, payload, GEOJSON, LONG_LIVED)


class CommunePointView(View):
    """``/api/v1/communes/<id>/point.json``, for curators (the admin's point picker): the
    town hall's coordinates of a commune."""

    http_method_names = ["get", "head", "options"]

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
