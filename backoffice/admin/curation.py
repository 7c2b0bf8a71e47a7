"""Curation actions of the PTCE admin: « Marquer comme vérifiée aujourd'hui »."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from .. import permissions


@admin.action(
    description=gettext_lazy("Marquer comme vérifiée aujourd'hui"),
    permissions=["change"],
)
def mark_verified(modeladmin, request, queryset):
    """Sets ``last_verified`` to today on every selected PTCE, each one saved (signals move
    the public-data version, history records it). A selection holding a PTCE out of the
    user's scope is refused as a whole: nothing is written."""
    scope = permissions.scope_of(request.user)
    ptces = list(queryset.order_by("pk"))
    in_scope = set(permissions.ptces_in_scope(scope, queryset).values_list("pk", flat=True))
    refused = [
        ptce
        for ptce in ptces
        if ptce.pk not in in_scope or not permissions.may_change_ptce(scope, ptce)
    ]
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "Rien n'a été modifié : la fiche « %(names)s » n'est pas de votre ressort.",
                "Rien n'a été modifié : les fiches « %(names)s » ne sont pas de votre ressort.",
                len(refused),
            )
            % {"names": " », « ".join(p.name for p in refused[:5])},
            messages.ERROR,
        )
        return None
    today = timezone.localdate()
    with transaction.atomic():
        for ptce in ptces:
            ptce.last_verified = today
            ptce.save(update_fields=["last_verified", "updated_at"])
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d fiche marquée comme vérifiée aujourd'hui.",
            "%(count)d fiches marquées comme vérifiées aujourd'hui.",
            len(ptces),
        )
        % {"count": len(ptces)},
        messages.SUCCESS,
    )
    return None
