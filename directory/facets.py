"""Facet counts: for each filter option, how many PTCEs the current filters would give with
that option, other choices of the same filter set aside (so options of one filter combine
with "or")."""

from dataclasses import dataclass

from django.db.models import Count, Q

from collectivites.models import SupportType

from .filters import CHARTER_CHOICES
from .models import LegalForm, Stage, Theme

FACET_MODELS = {
    "theme": (Theme, "ptces", "name"),
    "support": (SupportType, "supports__ptce", "title"),
    "stage": (Stage, "ptces", "name"),
    "legal_form": (LegalForm, "ptces", "name"),
}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def facet_counts(filterset):
    """``{"theme": [FacetOption, ...], ..., "charter": [...]}`` in one query per facet."""
    data = filterset.form.data
    facets = {}
    for name, (model, relation, label) in FACET_MODELS.items():
        base = filterset.queryset_without(name).values("pk")
        selected = set(data.getlist(name))
        rows = (
            model.objects.annotate(
                n=Count(relation, filter=Q(**{f"{relation}__in": base}), distinct=True)
            )
            .order_by(*model._meta.ordering)
            .values_list("slug", label, "n")
        )
        facets[name] = [FacetOption(slug, text, n, slug in selected) for slug, text, n in rows]
    base = filterset.queryset_without("charter")
    counts = dict(
        base.order_by()
        .values_list("charter_signed")
        .annotate(n=Count("pk"))
        .values_list("charter_signed", "n")
    )
    facets["charter"] = [
        FacetOption(value, str(text), counts.get(value, 0), data.get("charter") == value)
        for value, text in CHARTER_CHOICES
    ]
    return facets
