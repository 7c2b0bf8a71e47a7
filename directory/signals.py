"""Keep the search columns of a PTCE in step with what it shows."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Member, Ptce
from .search import refresh_search_fields


@receiver(post_save, sender=Ptce)
def ptce_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_fields([instance.pk])


@receiver(post_save, sender=Member)
@receiver(post_delete, sender=Member)
def member_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_fields([instance.ptce_id])
