"""Facet counts: for each filter option, how many PTCEs the current filters would give with
that option, other choices of the same filter set aside (so options of one filter combine
with "or").

One query for all of them: a grouped count per facet, in the link tables (``ptce_themes``,
supports) or on the PTCE rows themselves, restricted to the PTCEs matching the other filters;
labels come from the cached option lists, so options with no PTCE still show (with 0)."""

from dataclasses import dataclass

from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast

from core.cache import cached, key

from .filters import CHARTER_CHOICES, LINK_TABLES, link_rows
from .options import option_rows

NOT_KEYED = {"sort", "page"}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def facets_parts(filterset):
    """What the facet counts depend on besides the public-data version: the base queryset
    and the cleaned filters (the FilterSet keeps only valid values)."""
    data = filterset.form.data
    keyed = sorted((name, tuple(values)) for name, values in data.lists() if name not in NOT_KEYED)
    return (str(filterset.queryset.query), keyed)


def filters_form_key(filterset):
    """Keys the cached rendering of the directory's filter form: the facet counts' inputs,
    the sort, the version and the release."""
    return key(
        "directory:filters-form", *facets_parts(filterset), filterset.form.data.get("sort", "")
    )


def facet_counts(filterset):
    """``{"theme": [FacetOption, ...], ..., "charter": [...]}``, cached until public data
    change; computed in one query."""
    return cached(
        "directory:facets",
        lambda: _compute(filterset, filterset.form.data),
        *facets_parts(filterset),
    )


ROW_FACETS = {"stage": "stage_id", "legal_form": "legal_form_id", "charter": "charter_signed"}


def _branch(name, queryset, column, counted):
    """``(facet name, option value as text, number of PTCEs)`` rows of one facet."""
    return (
        queryset.order_by()
        .values(facet=Value(name), value=Cast(column, CharField()))
        .annotate(n=Count(counted, distinct=True))
        .values_list("facet", "value", "n")
    )


def _all_counts(filterset):
    """``{facet name: {option value as text: count}}`` for the five facets, in one query:
    a ``UNION ALL`` of one grouped count per facet, each over the PTCEs matching the other
    filters (link tables for themes and supports, the PTCE rows for the others)."""
    branches = []
    for name, (_model, column) in LINK_TABLES.items():
        base = filterset.queryset_without(name).values("pk")
        branches.append(_branch(name, link_rows(name).filter(ptce__in=base), column, "ptce_id"))
    for name, field in ROW_FACETS.items():
        branches.append(_branch(name, filterset.queryset_without(name), field, "pk"))
    counts = {name: {} for name in [*LINK_TABLES, *ROW_FACETS]}
    for name, value, n in branches[0].union(*branches[1:], all=True):
        counts[name][value] = n
    return counts


def _compute(filterset, data):
    counts = _all_counts(filterset)
    facets = {}
    for name, rows in option_rows().items():
        selected = set(data.getlist(name))
        facets[name] = [
            FacetOption(slug, label, counts[name].get(str(pk), 0), slug in selected)
            for pk, slug, label in rows
        ]
    facets["charter"] = [
        FacetOption(value, str(text), counts["charter"].get(value, 0), data.get("charter") == value)
        for value, text in CHARTER_CHOICES
    ]
    return facets
