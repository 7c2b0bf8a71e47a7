"""The options of the directory's filters (slugs and labels of themes, support types, stages,
legal forms and territory levels), cached: they change only when a curator edits a list."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from collectivites.models import SupportType

from .models import LegalForm, Stage, Theme

CACHE_KEY = "directory:filter-options:v1"
CACHE_SECONDS = 300
SOURCES = {
    "theme": (Theme, "name"),
    "support": (SupportType, "title"),
    "stage": (Stage, "name"),
    "legal_form": (LegalForm, "name"),
}


def filter_options():
    """``{"theme": [(slug, label), ...], ...}`` in each list's display order."""
    options = cache.get(CACHE_KEY)
    if options is None:
        options = {
            key: list(model.objects.values_list("slug", label))
            for key, (model, label) in SOURCES.items()
        }
        cache.set(CACHE_KEY, options, CACHE_SECONDS)
    return options


def _invalidate(**kwargs):
    cache.delete(CACHE_KEY)


for _model, _label in SOURCES.values():
    post_save.connect(_invalidate, sender=_model, dispatch_uid=f"options-save-{_model.__name__}")
    post_delete.connect(_invalidate, sender=_model, dispatch_uid=f"options-del-{_model.__name__}")
