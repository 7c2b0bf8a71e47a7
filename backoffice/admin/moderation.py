"""Bulk moderation actions of the PTCE, support and experience lists: « Envoyer en
relecture », « Publier », « Archiver », « Repasser en brouillon ».

Every selected object is checked first (scope and allowed transition, by
``backoffice.permissions.may_move``): a selection holding one that may not move is refused
whole, with a message naming them, and nothing is written. Otherwise each object is saved
through the ORM in one transaction (signals move the public-data version, the history
records the author) and the move is written to the admin's log."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory.models import Ptce, PtceStatus

from .. import permissions

NAMED_AT_MOST = 5


def _refusal(refused, status):
    names = ", ".join(f"« {obj} »" for obj in refused[:NAMED_AT_MOST])
    if len(refused) > NAMED_AT_MOST:
        names += " " + _("et %(count)d autres") % {"count": len(refused) - NAMED_AT_MOST}
    return ngettext(
        "Rien n'a été modifié : %(names)s ne peut pas passer au statut « %(status)s » "
        "(hors de votre ressort ou passage non permis).",
        "Rien n'a été modifié : %(names)s ne peuvent pas passer au statut « %(status)s » "
        "(hors de votre ressort ou passages non permis).",
        len(refused),
    ) % {"names": names, "status": PtceStatus(status).label}


def move_selection(modeladmin, request, queryset, status):
    """Moves every object of ``queryset`` to ``status``, all or nothing."""
    scope = permissions.scope_of(request.user)
    objects = list(queryset.order_by("pk"))
    refused = [obj for obj in objects if not permissions.may_move(scope, obj, status)]
    if refused:
        modeladmin.message_user(request, _refusal(refused, status), messages.ERROR)
        return
    moving = [obj for obj in objects if obj.status != status]
    label = str(modeladmin.model._meta.get_field("status").verbose_name)
    fields = ["status", "updated_at"] if modeladmin.model is Ptce else ["status"]
    with transaction.atomic():
        for obj in moving:
            obj.status = status
            obj.save(update_fields=fields)
            modeladmin.log_change(request, obj, [{"changed": {"fields": [label]}}])
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d fiche passée au statut « %(status)s ».",
            "%(count)d fiches passées au statut « %(status)s ».",
            len(moving),
        )
        % {"count": len(moving), "status": PtceStatus(status).label},
        messages.SUCCESS,
    )


def _action(status, name, description):
    def action(modeladmin, request, queryset):
        move_selection(modeladmin, request, queryset, status)

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


send_to_review = _action(PtceStatus.REVIEW, "send_to_review", gettext_lazy("Envoyer en relecture"))
publish = _action(PtceStatus.PUBLISHED, "publish", gettext_lazy("Publier"))
archive = _action(PtceStatus.ARCHIVED, "archive", gettext_lazy("Archiver"))
back_to_draft = _action(PtceStatus.DRAFT, "back_to_draft", gettext_lazy("Repasser en brouillon"))

MODERATION_ACTIONS = [send_to_review, publish, archive, back_to_draft]
CONTRIBUTOR_ACTIONS = {"send_to_review", "back_to_draft"}


class ModerationActionsMixin:
    """Offers the moderation actions; a contributor is offered only those it may make."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if permissions.scope_of(request.user).is_contributor:
            for name in ("publish", "archive"):
                actions.pop(name, None)
        return actions
