"""A PTCE's logo file lives as long as a PTCE names it: when a logo is replaced or cleared,
or its PTCE deleted, the old file is deleted from storage once the transaction has committed
(a rolled-back edit keeps it), and only if no PTCE names it any more.

Connected in ``DirectoryConfig.ready()``. Bulk writes (``QuerySet.update``, the CSV import)
send no signal and leave files alone; the import never touches logos.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Ptce

logger = logging.getLogger(__name__)
PREVIOUS = "_logo_before_save"


@receiver(pre_save, sender=Ptce, dispatch_uid="directory-logo-remember")
def remember_logo(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    """Note the name stored in the database before this save (one query by primary key,
    none for a new PTCE or a save that leaves the logo out)."""
    previous = ""
    writes_logo = update_fields is None or "logo" in update_fields
    if not raw and writes_logo and not instance._state.adding and instance.pk is not None:
        previous = (
            sender._base_manager.using(using)
            .filter(pk=instance.pk)
            .values_list("logo", flat=True)
            .first()
        ) or ""
    setattr(instance, PREVIOUS, previous)


@receiver(post_save, sender=Ptce, dispatch_uid="directory-logo-replaced")
def delete_replaced_logo(sender, instance, raw=False, using=None, **kwargs):
    previous = instance.__dict__.pop(PREVIOUS, "")
    if not raw and previous and previous != instance.logo.name:
        delete_after_commit(previous, using)


@receiver(post_delete, sender=Ptce, dispatch_uid="directory-logo-deleted")
def delete_logo_of_deleted_ptce(sender, instance, using=None, **kwargs):
    # Read without the descriptor: a deferred logo would be fetched from a deleted row.
    value = instance.__dict__.get("logo")
    name = getattr(value, "name", value)
    if name:
        delete_after_commit(name, using)


def delete_after_commit(name, using=None):
    """Delete the file ``name`` after the current transaction commits (at once outside
    one), unless a PTCE still names it. A storage error is logged, never raised: the write
    it follows has already succeeded."""

    def delete():
        if Ptce._base_manager.using(using).filter(logo=name).exists():
            return
        Ptce._meta.get_field("logo").storage.delete(name)
        logger.info("Deleted the logo file %s, which no PTCE names any more.", name)

    transaction.on_commit(delete, using=using, robust=True)
