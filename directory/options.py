"""The options of the directory's filters (slugs and labels of themes, support types, stages,
legal forms), cached under the public-data version (``core.cache``): a curator's edit of a
list moves it."""

from django.db.models import F, Value

from collectivites.models import SupportType
from core.cache import cached

from .models import LegalForm, Stage, Theme

SOURCES = {
    "theme": (Theme, "name"),
    "support": (SupportType, "title"),
    "stage": (Stage, "name"),
    "legal_form": (LegalForm, "name"),
}


def _cached_rows():
    """``{"theme": [(pk, slug, label), ...], ...}`` in each list's display order."""
    return cached("directory:filter-options", _compute_rows)


def _compute_rows():
    # One query for the four lists (UNION ALL), in each list's order.
    parts = [
        model.objects.order_by()
        .annotate(list_name=Value(key), rank=F("position"), label=F(label))
        .values_list("list_name", "rank", "pk", "slug", "label")
        for key, (model, label) in SOURCES.items()
    ]
    union = parts[0].union(*parts[1:], all=True)
    rows = {key: [] for key in SOURCES}
    for key, _rank, pk, slug, text in sorted(union, key=lambda r: (r[0], r[1], r[4])):
        rows[key].append((pk, slug, text))
    return rows


def filter_options():
    """``{"theme": [(slug, label), ...], ...}`` in each list's display order."""
    return {
        key: [(slug, label) for _pk, slug, label in rows] for key, rows in _cached_rows().items()
    }


def option_rows():
    """``{"theme": [(pk, slug, label), ...], ...}``: the same, with primary keys."""
    return _cached_rows()
