"""The map's payloads: published PTCEs as a GeoJSON FeatureCollection and the number of
PTCEs per territory, built from a ``directory.map_query.MapQuery`` and cached under the
public-data version with the query's cleaned parameters only.

A request whose parameters had invalid values gets the payload of its valid ones, with the
invalid ones named in ``ignored``: the cached body is reused and only that member changes,
so invalid values never make new cache entries."""

from django.urls import reverse

from core.cache import cached, current_version
from directory.map_query import coverage_counts, located
from directory.models import Ptce, Theme

from .responses import Payload, compact_json

COORDINATE_DECIMALS = 5
NO_IGNORED = b'"ignored":[]'


def cached_payload(kind, query, build):
    """The ``Payload`` of ``build(query)`` (a dict whose ``ignored`` member is empty), cached
    under ``kind`` and the query's cleaned parameters; the query's ``ignored`` spliced in."""
    payload = cached(
        f"api:{kind}",
        lambda: Payload.build(compact_json(build(query)), current_version().timestamp),
        *query.cache_parts(),
    )
    ignored = query.ignored
    if not ignored:
        return payload
    body = payload.body().replace(NO_IGNORED, b'"ignored":' + compact_json(ignored), 1)
    return Payload.build(body, payload.last_modified)


def theme_names_by_ptce(ptce_ids_queryset):
    """``{ptce_id: [theme names in the themes' display order]}``."""
    themes = list(Theme.objects.values_list("pk", "name"))  # in the display order
    order = {pk: index for index, (pk, _name) in enumerate(themes)}
    names = dict(themes)
    links = Ptce.themes.through.objects.filter(ptce_id__in=ptce_ids_queryset).values_list(
        "ptce_id", "theme_id"
    )
    grouped = {}
    for ptce_id, theme_id in links:
        grouped.setdefault(ptce_id, []).append(theme_id)
    return {
        ptce_id: [names[pk] for pk in sorted(ids, key=order.__getitem__)]
        for ptce_id, ids in grouped.items()
    }


def feature_collection(query):
    """The GeoJSON FeatureCollection (a dict) of the query's PTCEs that have coordinates."""
    queryset = located(query.queryset())
    rows = queryset.order_by("pk").values_list(
        "pk",
        "name",
        "slug",
        "latitude",
        "longitude",
        "seat_commune__name",
        "departement__code",
    )
    themes = theme_names_by_ptce(queryset.values("pk"))
    prefix, suffix = reverse("directory:ptce-detail", kwargs={"slug": "-"}).split("-", 1)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [
                    round(longitude, COORDINATE_DECIMALS),
                    round(latitude, COORDINATE_DECIMALS),
                ],
            },
            "properties": {
                "id": pk,
                "name": name,
                "slug": slug,
                "url": f"{prefix}{slug}{suffix}",
                "commune": commune,
                "departement": departement,
                "themes": themes.get(pk, []),
            },
        }
        for pk, name, slug, latitude, longitude, commune, departement in rows
    ]
    return {"type": "FeatureCollection", "ignored": [], "features": features}


def coverage(level):
    """Builds the coverage payload of ``level`` for a query."""

    def build(query):
        return {
            "level": level,
            "ignored": [],
            "counts": coverage_counts(query.queryset(), level),
        }

    return build
