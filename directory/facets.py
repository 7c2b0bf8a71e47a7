"""Facet counts: for each filter option, how many PTCEs the current filters would give with
that option, other choices of the same filter set aside (so options of one filter combine
with "or").

One query for all of them: a grouped count per facet, in the link tables (``ptce_themes``,
supports) or on the PTCE rows themselves, restricted to the PTCEs matching the other filters;
labels come from the cached option lists, so options with no PTCE still show (with 0)."""

from dataclasses import dataclass

from django.db.models import CharField, Count, F, IntegerField, Value
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


# Facets that are columns of the PTCE row: ``{filter name: column}``.
ROW_FACETS = {"stage": "stage_id", "legal_form": "legal_form_id", "charter": "charter_signed"}


class TypedNull(Cast):
    """``NULL`` of a type: PostgreSQL matches the branches of a UNION by type, and a bare
    parameter has none. A constant, so left out of ``GROUP BY`` (Django groups by every
    non-aggregate expression but bare values; grouping by it cost PostgreSQL a fifth of the
    theme facet's time at 10,000 PTCEs)."""

    def __init__(self, output_field):
        super().__init__(Value(None), output_field)

    def get_group_by_cols(self):
        return []


NO_INT = TypedNull(IntegerField())
NO_TEXT = TypedNull(CharField())


def _link_branch(name, filterset):
    """``(facet, option id, None, None, number of PTCEs)`` rows for a link-table facet, over
    the PTCEs matching the other filters. A PTCE has a theme once (the link is unique), so
    themes are counted with ``COUNT(*)``; a support type can come from several
    collectivités, so supports count distinct PTCEs."""
    _model, column = LINK_TABLES[name]
    base = filterset.queryset_without(name).values("pk")
    counted = Count("ptce_id", distinct=True) if name == "support" else Count("*")
    return (
        link_rows(name)
        .filter(ptce__in=base)
        .order_by()
        .values(facet=Value(name), a=F(column), b=NO_INT, c=NO_TEXT)
        .annotate(n=counted)
        .values_list("facet", "a", "b", "c", "n")
    )


def _rows_branch(filterset):
    """``("row", stage id, legal form id, charter, number of PTCEs)``: the PTCEs matching every
    filter but the three row facets, grouped by the three columns at once (one pass over a
    narrow index instead of three over the table); ``_row_counts`` splits them."""
    return (
        filterset.queryset_without(*ROW_FACETS)
        .order_by()
        .values(facet=Value("row"), a=F("stage_id"), b=F("legal_form_id"), c=F("charter_signed"))
        .annotate(n=Count("*"))
        .values_list("facet", "a", "b", "c", "n")
    )


def _row_counts(groups, filterset):
    """``{facet: {value as text: count}}`` for the row facets, from the ``(stage, legal form,
    charter, n)`` groups: a facet's count keeps the groups that the two other row filters
    accept, which is what filtering by them would have given."""
    accepted = {name: _accepted_values(filterset, name) for name in ROW_FACETS}
    counts = {name: {} for name in ROW_FACETS}
    for values, n in groups:
        row = dict(zip(ROW_FACETS, values, strict=True))
        for name in ROW_FACETS:
            others_accept = all(
                accepted[other] is None or row[other] in accepted[other]
                for other in ROW_FACETS
                if other != name
            )
            if others_accept and row[name] is not None:
                value = str(row[name])
                counts[name][value] = counts[name].get(value, 0) + n
    return counts


def _accepted_values(filterset, name):
    """The column values the filter ``name`` accepts, or ``None`` when it is not set."""
    value = filterset.form.cleaned_data.get(name)
    if value in (None, "", []):
        return None
    if name == "charter":
        return {value}
    return {pk for pk, slug, _label in option_rows()[name] if slug in value}


def _all_counts(filterset):
    """``{facet name: {option value as text: count}}`` for the five facets, in one query:
    a ``UNION ALL`` of a grouped count per link-table facet (themes, supports), each over the
    PTCEs matching the other filters, and of one grouped count of the PTCE rows by their
    three facet columns."""
    branches = [_link_branch(name, filterset) for name in LINK_TABLES]
    counts = {name: {} for name in LINK_TABLES}
    groups = []
    for facet, a, b, c, n in branches[0].union(*branches[1:], _rows_branch(filterset), all=True):
        if facet == "row":
            groups.append(((a, b, c), n))
        else:
            counts[facet][str(a)] = n
    counts.update(_row_counts(groups, filterset))
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
