"""Back-office for what ties a collectivité to a PTCE: supports and experiences, with the
PTCEs' moderation status, changed by the curators of the collectivité's région or of the
PTCE's, and proposed by the collectivité's contributors (``backoffice.permissions``)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from collectivites.models import Territory
from directory.models import Experience, PtceStatus, Support

from .. import permissions
from .filters import CollectiviteRegionFilter, EntryScopeFilter
from .history import RoleHistoryAdmin
from .moderation import MODERATION_ACTIONS, ModerationActionsMixin
from .scoping import RoleAdminMixin, scope, scoped_form


class EntryAdmin(ModerationActionsMixin, RoleAdminMixin, RoleHistoryAdmin):
    """What the support and experience admins share: rights, the contributor's form (its
    collectivité fixed, the PTCEs of its territory, draft or review), the checks of the
    form, the moderation actions."""

    actions = MODERATION_ACTIONS
    autocomplete_fields = ["collectivite", "ptce"]

    def may_change(self, scope, obj):
        return permissions.may_change_entry(scope, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        current = scope(request)
        if current.is_contributor:
            return permissions.entries_in_scope(current, queryset)
        return queryset

    def get_autocomplete_fields(self, request):
        if scope(request).is_contributor:
            return []
        return super().get_autocomplete_fields(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form = scoped_form(form, request, self.checked_object(request, obj), check_entry)
        current = scope(request)
        if current.is_contributor:  # on the final class: a subclass would remake its fields
            fields = form.base_fields
            if "collectivite" in fields:
                field = fields["collectivite"]
                field.queryset = Territory.objects.filter(pk=current.collectivite_id)
                field.initial = current.collectivite_id
                field.disabled = True
            if "ptce" in fields:
                fields["ptce"].queryset = permissions.contributor_ptces(current).order_by("name")
            if "status" in fields:
                fields["status"].choices = [
                    (value, label)
                    for value, label in PtceStatus.choices
                    if value in permissions.CONTRIBUTOR_STATUSES
                ]
        return form


@admin.register(Support)
class SupportAdmin(EntryAdmin):
    list_display = ["collectivite", "ptce", "support_type", "status", "start_year", "end_year"]
    list_filter = [
        EntryScopeFilter,
        "status",
        CollectiviteRegionFilter,
        "support_type",
        "collectivite__kind",
    ]
    search_fields = ["collectivite__name", "ptce__name", "description"]
    list_select_related = ["collectivite", "ptce", "support_type"]


@admin.register(Experience)
class ExperienceAdmin(EntryAdmin):
    list_display = ["title", "collectivite", "ptce", "status", "year"]
    list_filter = [
        EntryScopeFilter,
        "status",
        CollectiviteRegionFilter,
        "support_types",
        "collectivite__kind",
    ]
    search_fields = ["title", "summary", "body", "quote", "collectivite__name"]
    filter_horizontal = ["support_types"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["collectivite", "ptce"]


def check_entry(scope, cleaned, obj, instance):
    """A support or an experience stays in the scope once changed (its collectivité and its
    PTCE), and its status moves only along ``permissions.TRANSITIONS`` (a contributor's no
    further than review)."""
    collectivite = cleaned.get("collectivite")
    ptce = cleaned.get("ptce")
    if not permissions.may_change_link(scope, collectivite and collectivite.pk, ptce):
        raise ValidationError(_("Cette collectivité et ce PTCE ne sont pas de votre ressort."))
    new = cleaned.get("status")
    if new is None:
        return
    old = obj.status if obj is not None and obj.pk is not None else None
    if not permissions.may_move_entry_status(scope, obj, old, new):
        raise ValidationError(
            _("Passage du statut « %(old)s » à « %(new)s » non permis.")
            % {
                "old": PtceStatus(old).label if old else _("nouveau"),
                "new": PtceStatus(new).label,
            }
        )
