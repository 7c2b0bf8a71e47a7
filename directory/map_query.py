"""What the map shows, as compact JSON: the published PTCEs as GeoJSON points, the number of
PTCEs per département or région, and the parameters that select them.

The directory's filters (``PtceFilterSet``) stay lenient: what is invalid in them is left out
and listed in the payload's ``ignored`` member. ``bbox`` and ``level`` are strict here: a bad
value raises ``ParameterError`` (the view answers 400). (``bbox`` is also a filter of the
directory's pages, lenient there; both read it with ``filters.parse_bbox_value``.)

``bbox=west,south,east,north`` in WGS84 degrees, edges included: latitudes within [-90, 90]
with south <= north, longitudes within [-180, 180]. West greater than east is allowed and
means a box crossing the antimeridian (RFC 7946, section 5.2), e.g. ``170,-20,-170,-10``.

Payloads are cached (Django cache). A key holds a version number, bumped by the signals at
the end of this module (a PTCE saved or deleted, its themes changed, a theme edited), and a
fingerprint of the table (latest ``updated_at``) that also catches the bulk
writes of the CSV import and writes from other processes.
"""

import gzip
import hashlib
import json
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from collectivites.models import TerritoryAncestry, TerritoryKind

from .filters import Bbox, BboxError, PtceFilterSet, parse_bbox_value
from .models import Ptce, Theme

VERSION_KEY = "directory:geo:version"
PAYLOAD_TIMEOUT = 3600
REGION_OF_KEY = "directory:geo:region-of:v1"
COORDINATE_DECIMALS = 5
LEVELS = (TerritoryKind.DEPARTEMENT.value, TerritoryKind.REGION.value)
# The directory's sort does not change what the map shows: left out of the cache key.
NOT_KEYED = {"sort"}


class ParameterError(ValueError):
    """An API parameter with a value that cannot be used (answered 400)."""

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message

    def as_dict(self):
        return {"error": self.message, "parameter": self.parameter}


def _single(params, name):
    values = params.getlist(name)
    if len(values) > 1:
        raise ParameterError(
            name, _("Le paramètre %(name)s ne peut figurer qu'une fois.") % {"name": name}
        )
    return values[0].strip() if values else ""


def parse_bbox(params):
    """``Bbox`` from ``params["bbox"]``, or None when absent or empty; ``ParameterError``
    when malformed (the parsing is the directory filter's, ``parse_bbox_value``)."""
    raw = _single(params, "bbox")
    if not raw:
        return None
    try:
        return parse_bbox_value(raw)
    except BboxError as error:
        raise ParameterError("bbox", error.message) from None


def parse_level(params):
    value = _single(params, "level") or TerritoryKind.DEPARTEMENT.value
    if value not in LEVELS:
        raise ParameterError("level", _("level attend « departement » ou « region »."))
    return value


@dataclass
class MapQuery:
    """The directory's filters (lenient) plus the API's ``bbox`` (strict)."""

    filterset: PtceFilterSet
    bbox: Bbox | None = None

    @classmethod
    def from_params(cls, params, request=None):
        bbox = parse_bbox(params)
        # The box is applied here, strictly; the FilterSet (lenient) does not see it, so it
        # is applied once and left out of the FilterSet's data (cache key, links).
        filters = params.copy()
        filters.pop("bbox", None)
        filterset = PtceFilterSet(filters, queryset=Ptce.objects.published(), request=request)
        return cls(filterset=filterset, bbox=bbox)

    @property
    def ignored(self):
        return [
            {"parameter": item.parameter, "value": item.value, "reason": item.reason}
            for item in self.filterset.ignored
        ]

    def queryset(self):
        """Published PTCEs matching the filters (and the box, when there is one)."""
        queryset = self.filterset.qs
        if self.bbox is not None:
            queryset = queryset.in_bbox(*self.bbox.as_tuple())
        return queryset

    def cache_key(self, kind):
        data = self.filterset.form.data
        material = {
            "kind": kind,
            "filters": sorted(
                (name, sorted(data.getlist(name))) for name in data if name not in NOT_KEYED
            ),
            "bbox": self.bbox and list(self.bbox.as_tuple()),
            "ignored": self.ignored,
            "version": data_version(),
            "fingerprint": fingerprint(),
        }
        digest = hashlib.sha256(json.dumps(material, default=str).encode()).hexdigest()
        return f"directory:geo:{kind}:{digest}"


# --- serialisation ------------------------------------------------------------------------
def compact_json(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


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


def located(queryset):
    return queryset.filter(latitude__isnull=False, longitude__isnull=False)


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
    return {"type": "FeatureCollection", "ignored": query.ignored, "features": features}


def region_of_departement():
    """``{département code: région code}`` (cached: it changes once a year at most)."""
    mapping = cache.get(REGION_OF_KEY)
    if mapping is None:
        mapping = dict(
            TerritoryAncestry.objects.filter(
                territory__kind=TerritoryKind.DEPARTEMENT, ancestor__kind=TerritoryKind.REGION
            ).values_list("territory__code", "ancestor__code")
        )
        cache.set(REGION_OF_KEY, mapping, PAYLOAD_TIMEOUT)
    return mapping


def coverage_counts(queryset, level):
    """``{code: number of PTCEs}`` per département (the seat's) or per région, zeros left
    out, codes in order."""
    by_departement = (
        Ptce.objects.filter(pk__in=queryset.values("pk"))
        .order_by()
        .values_list("departement__code")
        .annotate(count=Count("pk"))
    )
    counts = {}
    if level == TerritoryKind.REGION:
        region_of = region_of_departement()
        for code, count in by_departement:
            region = region_of.get(code)
            if region is not None:
                counts[region] = counts.get(region, 0) + count
    else:
        counts = dict(by_departement)
    return dict(sorted(counts.items()))


def coverage(query, level):
    return {
        "level": level,
        "ignored": query.ignored,
        "counts": coverage_counts(query.queryset(), level),
    }


# --- cached payloads ------------------------------------------------------------------------
@dataclass(frozen=True)
class Payload:
    """A JSON body stored gzipped, with what conditional requests need."""

    gzipped: bytes
    etag: str
    last_modified: int
    length: int

    @classmethod
    def build(cls, body, last_modified):
        return cls(
            gzipped=gzip.compress(body, compresslevel=6, mtime=0),
            etag=f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
            last_modified=last_modified,
            length=len(body),
        )

    def body(self):
        return gzip.decompress(self.gzipped)


def cached_payload(key, build):
    """The cached ``Payload`` under ``key``, built from ``build()`` (a JSON-able value) when
    missing."""
    payload = cache.get(key)
    if payload is None:
        payload = Payload.build(compact_json(build()), last_modified())
        cache.set(key, payload, PAYLOAD_TIMEOUT)
    return payload


def fingerprint():
    """Unix time of the latest change of a PTCE: moves with every creation and update, bulk
    ones included (the importer stamps ``updated_at``); deletions move the version instead
    (``post_delete`` is sent by ``QuerySet.delete()`` too). One probe of the ``updated_at``
    index, not a count of the table."""
    last = Ptce.objects.aggregate(last=Max("updated_at"))["last"]
    return last.timestamp() if last else 0


def data_version():
    """A number that changes whenever the signals below see a PTCE change (nanoseconds)."""
    return cache.get_or_set(VERSION_KEY, time.time_ns, None)


def data_state():
    """What cached figures about published PTCEs depend on: the version bumped by the
    signals and the fingerprint of the table (for bulk writes), as a string fit for a
    cache key."""
    return f"{data_version()}-{fingerprint():.6f}"


def cached_until_change(name, compute, seconds=3600):
    """``compute()``, cached under ``name`` until published PTCEs change (``data_state``):
    figures derived from the PTCEs (home page numbers, territory counts)."""
    return cache.get_or_set(f"{name}:{data_state()}", compute, seconds)


def last_modified():
    """Unix time of the latest known change (never earlier than the last version bump, so
    that a deletion also moves it forward)."""
    return int(max(fingerprint(), data_version() / 1e9))


def bump_version(sender=None, raw=False, action=None, **kwargs):
    if raw or (action is not None and not action.startswith("post_")):
        return
    current = cache.get(VERSION_KEY) or 0
    cache.set(VERSION_KEY, max(time.time_ns(), current + 1), None)


post_save.connect(bump_version, sender=Ptce, dispatch_uid="geo-ptce-saved")
post_delete.connect(bump_version, sender=Ptce, dispatch_uid="geo-ptce-deleted")
m2m_changed.connect(bump_version, sender=Ptce.themes.through, dispatch_uid="geo-ptce-themes")
m2m_changed.connect(
    bump_version, sender=Ptce.action_territories.through, dispatch_uid="geo-ptce-acting"
)
post_save.connect(bump_version, sender=Theme, dispatch_uid="geo-theme-saved")
post_delete.connect(bump_version, sender=Theme, dispatch_uid="geo-theme-deleted")
