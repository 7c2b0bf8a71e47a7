"""Facet counts: for each filter option, how many PTCEs the current filters would give with
that option, other choices of the same filter set aside (so options of one filter combine
with "or").

One grouped query per facet, counted in the link tables (``ptce_themes``, supports) or on the
PTCE rows themselves, restricted to the PTCEs matching the other filters; labels come from the
cached option lists, so options with no PTCE still show (with 0)."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.db.models.signals import post_delete, post_save

from collectivites.models import Support

from .filters import CHARTER_CHOICES, LINK_TABLES
from .geo import bump_version, data_state
from .options import option_rows

CACHE_SECONDS = 3600
NOT_KEYED = {"sort", "page"}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def _counts_by_id(name, base):
    """{option id: number of PTCEs of ``base`` having it}, for the link-table facets."""
    model, column = LINK_TABLES[name]
    rows = (
        model.objects.filter(ptce__in=base)
        .values(column)
        .annotate(n=Count("ptce_id", distinct=True))
        .values_list(column, "n")
    )
    return dict(rows)


def facets_key(filterset):
    """What the facet counts depend on: the base queryset, the cleaned filters and the state
    of the data. Also keys the cached filter form of the directory page."""
    if not hasattr(filterset, "_facets_key"):
        data = filterset.form.data
        keyed = sorted(
            (name, tuple(values)) for name, values in data.lists() if name not in NOT_KEYED
        )
        raw = repr((str(filterset.queryset.query), keyed, data_state()))
        filterset._facets_key = hashlib.sha256(raw.encode()).hexdigest()
    return filterset._facets_key


def facet_counts(filterset):
    """``{"theme": [FacetOption, ...], ..., "charter": [...]}``, cached until the PTCEs change
    (the map's data version, bumped by saves, and a fingerprint that moves with bulk
    writes); computed in one query per facet."""
    key = "directory:facets:" + facets_key(filterset)
    facets = cache.get(key)
    if facets is None:
        facets = _compute(filterset, filterset.form.data)
        cache.set(key, facets, CACHE_SECONDS)
    return facets


ROW_FACETS = {"stage": "stage_id", "legal_form": "legal_form_id", "charter": "charter_signed"}


def _compute(filterset, data):
    facets = {}
    rows_by_name = option_rows()
    row_counts = _row_facet_counts(filterset, data)
    for name, rows in rows_by_name.items():
        if name in ROW_FACETS:
            counts = row_counts[name]
        else:
            counts = _counts_by_id(name, filterset.queryset_without(name).values("pk"))
        selected = set(data.getlist(name))
        facets[name] = [
            FacetOption(slug, label, counts.get(pk, 0), slug in selected)
            for pk, slug, label in rows
        ]
    counts = row_counts["charter"]
    facets["charter"] = [
        FacetOption(value, str(text), counts.get(value, 0), data.get("charter") == value)
        for value, text in CHARTER_CHOICES
    ]
    return facets


def _row_facet_counts(filterset, data):
    """Counts of the facets held on the PTCE row itself (stage, legal form, charter). Those
    whose filter is not in use share the same base: one grouped query serves them all."""
    counts = {name: {} for name in ROW_FACETS}
    inactive = [name for name in ROW_FACETS if not data.getlist(name)]
    if inactive:
        fields = [ROW_FACETS[name] for name in inactive]
        grouped = (
            filterset.queryset_without(None)
            .order_by()
            .values(*fields)
            .annotate(n=Count("pk"))
            .values_list(*fields, "n")
        )
        for row in grouped:
            for name, value in zip(inactive, row[:-1], strict=True):
                counts[name][value] = counts[name].get(value, 0) + row[-1]
    for name in ROW_FACETS:
        if name not in inactive:
            field = ROW_FACETS[name]
            base = filterset.queryset_without(name).order_by()
            counts[name] = dict(base.values(field).annotate(n=Count("pk")).values_list(field, "n"))
    return counts


# Support facet counts change with supports: they move the version too.
post_save.connect(bump_version, sender=Support, dispatch_uid="facets-support-saved")
post_delete.connect(bump_version, sender=Support, dispatch_uid="facets-support-deleted")
