"""What the directory's writes do besides writing: move the public-data version
(``core.cache``) when the public can see the change. Edits of drafts move nothing. The search
columns are kept in step by ``search_signals``."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.cache import bump_public_version, connect_public_writes

from .models import (
    Experience,
    LegalForm,
    Member,
    NationalCallAward,
    Ptce,
    PtceStatus,
    Stage,
    Support,
    Theme,
)


def _ptce_is_public(ptce_id):
    return Ptce.objects.filter(pk=ptce_id, status=PtceStatus.PUBLISHED).exists()


@receiver(post_save, sender=Ptce, dispatch_uid="directory-ptce-saved")
def ptce_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if created:
        instance._loaded_status = None  # nothing was public before
    if instance.is_or_was_public:
        bump_public_version()
    instance._loaded_status = instance.status


@receiver(post_delete, sender=Ptce, dispatch_uid="directory-ptce-deleted")
def ptce_deleted(sender, instance, **kwargs):
    if instance.is_or_was_public:
        bump_public_version()


@receiver(m2m_changed, sender=Ptce.themes.through, dispatch_uid="directory-ptce-themes")
@receiver(m2m_changed, sender=Ptce.action_territories.through, dispatch_uid="directory-ptce-acting")
def ptce_links_changed(sender, instance, action, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    # From a theme or a territory (reverse), any PTCE may be concerned.
    if reverse or instance.is_or_was_public:
        bump_public_version()


@receiver(post_save, sender=Member, dispatch_uid="directory-member-saved")
@receiver(post_delete, sender=Member, dispatch_uid="directory-member-deleted")
def member_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if _ptce_is_public(instance.ptce_id):
        bump_public_version()


@receiver(post_save, sender=NationalCallAward, dispatch_uid="directory-award-saved")
@receiver(post_delete, sender=NationalCallAward, dispatch_uid="directory-award-deleted")
def award_changed(sender, instance, raw=False, **kwargs):
    if not raw and _ptce_is_public(instance.ptce_id):
        bump_public_version()


@receiver(post_save, sender=Support, dispatch_uid="directory-support-saved")
@receiver(post_save, sender=Experience, dispatch_uid="directory-experience-saved")
def moderated_saved(sender, instance, created=False, raw=False, **kwargs):
    """A support or an experience moves the version only when published now or before (a
    published support of a draft PTCE moves it too: harmless, a recomputation)."""
    if raw:
        return
    if created:
        instance._loaded_status = None
    if instance.is_or_was_public:
        bump_public_version()
    instance._loaded_status = instance.status


@receiver(post_delete, sender=Support, dispatch_uid="directory-support-deleted")
@receiver(post_delete, sender=Experience, dispatch_uid="directory-experience-deleted")
def moderated_deleted(sender, instance, **kwargs):
    if instance.is_or_was_public:
        bump_public_version()


@receiver(
    m2m_changed, sender=Experience.support_types.through, dispatch_uid="directory-experience-types"
)
def experience_types_changed(sender, instance, action, reverse, **kwargs):
    if action.startswith("post_") and (reverse or instance.is_or_was_public):
        bump_public_version()


# Reference lists show publicly (filters, facets, pages).
connect_public_writes(models=[Theme, Stage, LegalForm])
