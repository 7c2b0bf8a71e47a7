"""Keep the PTCEs' search columns in step with everything they index (``directory.search``):
the PTCE itself, its themes, members and published supports, and the labels of its themes,
stage, legal form, support types, commune and département. Bulk writes (the CSV import) call
``refresh_search_fields`` themselves; the territory import sends ``territories_renamed``."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from collectivites.models import SupportType, Territory, TerritoryKind
from collectivites.signals import territories_renamed

from .models import LegalForm, Member, Ptce, Stage, Support, Theme
from .search import refresh_search_fields

BATCH_SIZE = 500


def refresh_in_batches(ids):
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH_SIZE):
        refresh_search_fields(ids[start : start + BATCH_SIZE])


@receiver(post_save, sender=Ptce, dispatch_uid="directory-search-ptce")
def ptce_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_fields([instance.pk])


# --- rows hanging off a PTCE: members and supports (a row may move to another PTCE) ----------
@receiver(pre_save, sender=Member, dispatch_uid="directory-search-member-before")
@receiver(pre_save, sender=Support, dispatch_uid="directory-search-support-before")
def row_before_save(sender, instance, raw=False, **kwargs):
    instance._search_previous_ptce = None
    if not raw and instance.pk and not instance._state.adding:
        previous = sender.objects.filter(pk=instance.pk).values_list("ptce_id", flat=True)
        instance._search_previous_ptce = previous.first()


@receiver(post_save, sender=Member, dispatch_uid="directory-search-member-saved")
@receiver(post_delete, sender=Member, dispatch_uid="directory-search-member-deleted")
@receiver(post_save, sender=Support, dispatch_uid="directory-search-support-saved")
@receiver(post_delete, sender=Support, dispatch_uid="directory-search-support-deleted")
def row_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_search_previous_ptce", None)
    ids = {instance.ptce_id, previous} - {None}
    # A row deleted with its PTCE (cascade) leaves nothing to refresh.
    refresh_search_fields(Ptce.objects.filter(pk__in=ids).values_list("pk", flat=True))


# --- themes of a PTCE, from either side ------------------------------------------------------
@receiver(m2m_changed, sender=Ptce.themes.through, dispatch_uid="directory-search-themes")
def themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_search_fields([instance.pk])
        return
    # From a theme: ``theme.ptces.add(...)``; a clear names no PTCE, so remember them first.
    if action == "pre_clear":
        instance._search_cleared = list(instance.ptces.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        refresh_in_batches(pk_set or ())
    elif action == "post_clear":
        refresh_in_batches(getattr(instance, "_search_cleared", ()))


# --- labels: themes, stages, legal forms, support types, communes, départements ---------------
def _ptces_labelled(instance):
    """The ids of the PTCEs whose search text holds ``instance``'s label."""
    if isinstance(instance, Theme):
        return Ptce.themes.through.objects.filter(theme=instance).values_list("ptce_id", flat=True)
    if isinstance(instance, Stage):
        return Ptce.objects.filter(stage=instance).values_list("pk", flat=True)
    if isinstance(instance, LegalForm):
        return Ptce.objects.filter(legal_form=instance).values_list("pk", flat=True)
    if isinstance(instance, SupportType):
        return Support.objects.filter(support_type=instance).values_list("ptce_id", flat=True)
    if instance.kind == TerritoryKind.COMMUNE:
        return Ptce.objects.filter(seat_commune=instance).values_list("pk", flat=True)
    return Ptce.objects.filter(departement=instance).values_list("pk", flat=True)


LABELS = [Theme, Stage, LegalForm, SupportType]


def label_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return  # a new label names no PTCE yet
    if sender is Territory and instance.kind not in (
        TerritoryKind.COMMUNE,
        TerritoryKind.DEPARTEMENT,
    ):
        return
    refresh_in_batches(_ptces_labelled(instance))


def label_deleting(sender, instance, **kwargs):
    # Deleting a theme drops its links, a stage or a legal form is set to null: no signal
    # names the PTCEs afterwards.
    instance._search_labelled = list(_ptces_labelled(instance))


def label_deleted(sender, instance, **kwargs):
    refresh_in_batches(getattr(instance, "_search_labelled", ()))


for model in [*LABELS, Territory]:
    label = model._meta.label
    post_save.connect(label_saved, sender=model, dispatch_uid=f"directory-search-label-{label}")
for model in [Theme, Stage, LegalForm]:
    label = model._meta.label
    pre_delete.connect(label_deleting, sender=model, dispatch_uid=f"search-deleting-{label}")
    post_delete.connect(label_deleted, sender=model, dispatch_uid=f"search-deleted-{label}")


@receiver(territories_renamed, dispatch_uid="directory-search-territories-renamed")
def territories_renamed_by_import(sender, ids, **kwargs):
    named = Q(seat_commune__in=ids) | Q(departement__in=ids)
    refresh_in_batches(Ptce.objects.filter(named).values_list("pk", flat=True))
