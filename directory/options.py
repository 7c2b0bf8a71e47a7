"""The options of the directory's filters (slugs and labels of themes, support types, stages,
legal forms and territory levels), cached: they change only when a curator edits a list."""

from django.core.cache import cache
from django.db.models import F, Value
from django.db.models.signals import post_delete, post_save

from collectivites.models import SupportType

from .models import LegalForm, Stage, Theme

CACHE_KEY = "directory:filter-options:v2"
CACHE_SECONDS = 300
SOURCES = {
    "theme": (Theme, "name"),
    "support": (SupportType, "title"),
    "stage": (Stage, "name"),
    "legal_form": (LegalForm, "name"),
}


def _cached_rows():
    """``{"theme": [(pk, slug, label), ...], ...}`` in each list's display order."""
    rows = cache.get(CACHE_KEY)
    if rows is None:
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
        cache.set(CACHE_KEY, rows, CACHE_SECONDS)
    return rows


def filter_options():
    """``{"theme": [(slug, label), ...], ...}`` in each list's display order."""
    return {
        key: [(slug, label) for _pk, slug, label in rows] for key, rows in _cached_rows().items()
    }


def option_rows():
    """``{"theme": [(pk, slug, label), ...], ...}``: the same, with primary keys."""
    return _cached_rows()


def _invalidate(**kwargs):
    cache.delete(CACHE_KEY)


for _model, _label in SOURCES.values():
    post_save.connect(_invalidate, sender=_model, dispatch_uid=f"options-save-{_model.__name__}")
    post_delete.connect(_invalidate, sender=_model, dispatch_uid=f"options-del-{_model.__name__}")
