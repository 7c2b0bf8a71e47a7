"""What the map shows: the directory's filters plus a strict ``bbox`` (``MapQuery``), the
number of PTCEs per département or région, and the parameters that select them. Serialising
them (GeoJSON, JSON) is the API's business (``api/``).

The directory's filters (``PtceFilterSet``) stay lenient: what is invalid in them is left out
and listed in ``MapQuery.ignored``. ``bbox`` and ``level`` are strict here: a bad value raises
``ParameterError`` (the API answers 400; the map page names it and shows the whole map).

``bbox=west,south,east,north`` in WGS84 degrees, edges included: latitudes within [-90, 90]
with south <= north, longitudes within [-180, 180]. West greater than east is allowed and
means a box crossing the antimeridian (RFC 7946, section 5.2), e.g. ``170,-20,-170,-10``.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from collectivites.models import TerritoryAncestry, TerritoryKind
from core.cache import cached

from .filters import Bbox, BboxError, PtceFilterSet, parse_bbox_value
from .models import Ptce

LEVELS = (TerritoryKind.DEPARTEMENT.value, TerritoryKind.REGION.value)
# The directory's sort does not change what the map shows: left out of the cache keys.
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

    def cache_parts(self):
        """What the query's results depend on besides the public-data version: the cleaned
        filters (invalid values are not in them) and the box."""
        data = self.filterset.form.data
        filters = sorted(
            (name, sorted(data.getlist(name))) for name in data if name not in NOT_KEYED
        )
        return (filters, self.bbox and self.bbox.as_tuple())


def located(queryset):
    return queryset.filter(latitude__isnull=False, longitude__isnull=False)


def region_of_departement():
    """``{département code: région code}`` (cached)."""
    return cached(
        "directory:region-of-departement",
        lambda: dict(
            TerritoryAncestry.objects.filter(
                territory__kind=TerritoryKind.DEPARTEMENT, ancestor__kind=TerritoryKind.REGION
            ).values_list("territory__code", "ancestor__code")
        ),
    )


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
