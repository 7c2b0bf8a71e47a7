"""Small reference lists kept in Django's cache: they change only when a curator edits them."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from .models import SupportType

SUPPORT_TYPES_KEY = "collectivites:support-types:v1"
CACHE_SECONDS = 300


def support_types():
    """Every support type, in display order."""
    items = cache.get(SUPPORT_TYPES_KEY)
    if items is None:
        items = list(SupportType.objects.all())
        cache.set(SUPPORT_TYPES_KEY, items, CACHE_SECONDS)
    return items


def _invalidate(**kwargs):
    cache.delete(SUPPORT_TYPES_KEY)


post_save.connect(_invalidate, sender=SupportType, dispatch_uid="support-types-cache-save")
post_delete.connect(_invalidate, sender=SupportType, dispatch_uid="support-types-cache-delete")
