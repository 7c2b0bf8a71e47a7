"""Back-office for PTCEs: search, filters, territory autocomplete, members, national calls
and supports inline; every right comes from ``backoffice.permissions``."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.admin_forms import PtceAdminForm
from directory.models import (
    Member,
    NationalCallAward,
    Ptce,
    PtceStatus,
    Support,
    commune_departement,
)

from .. import permissions
from .curation import mark_verified
from .duplicates import FIELD as NOT_DUPLICATE
from .duplicates import duplicate_checked
from .exports import PtceExportMixin
from .filters import DepartementFilter, FreshnessFilter, RegionFilter, ScopeFilter
from .history import RoleHistoryAdmin, child_history, restore_children
from .imports import SpreadsheetImportMixin
from .knowledge import URL_FIELD_OVERRIDES
from .moderation import MODERATION_ACTIONS
from .scoping import RoleAdminMixin, RoleInlineMixin, scope, scoped_form


class MemberInline(RoleInlineMixin, admin.TabularInline):
    model = Member
    formfield_overrides = URL_FIELD_OVERRIDES
    extra = 0
    autocomplete_fields = ["territory"]


class NationalCallAwardInline(RoleInlineMixin, admin.TabularInline):
    model = NationalCallAward
    extra = 0


class SupportInline(RoleInlineMixin, admin.TabularInline):
    model = Support
    extra = 0
    autocomplete_fields = ["collectivite"]
    fields = ["collectivite", "support_type", "status", "start_year", "end_year", "description"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = scoped_form(formset.form, request, None, check_inline_support)
        return formset


def check_inline_support(scope, cleaned, obj, instance):
    """A support changed inline moves its status along the transitions (checked on the
    support as it was read: the form has not written into it yet)."""
    new = cleaned.get("status")
    if new is None or cleaned.get("DELETE"):
        return
    old = instance.status if instance.pk is not None else None
    if not permissions.may_move_entry_status(scope, instance, old, new):
        raise ValidationError(
            _("Passage du statut « %(old)s » à « %(new)s » non permis.")
            % {
                "old": PtceStatus(old).label if old else _("nouveau"),
                "new": PtceStatus(new).label,
            }
        )


@admin.register(Ptce)
class PtceAdmin(SpreadsheetImportMixin, PtceExportMixin, RoleAdminMixin, RoleHistoryAdmin):
    form = PtceAdminForm
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "seat_commune", "departement", "status", "last_verified", "updated_at"]
    list_filter = [
        ScopeFilter,
        "status",
        FreshnessFilter,
        RegionFilter,
        DepartementFilter,
        "themes",
        "stage",
        "legal_form",
        "charter_signed",
    ]
    actions = [mark_verified, *MODERATION_ACTIONS]
    search_fields = [
        "name",
        "summary",
        "carrying_structure",
        "seat_commune__name",
        "=departement__code",
    ]
    autocomplete_fields = ["seat_commune", "departement", "action_territories"]
    filter_horizontal = ["themes"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["seat_commune", "departement"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MemberInline, NationalCallAwardInline, SupportInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "summary", "description"]}),
        (
            gettext_lazy("Localisation"),
            {
                "fields": [
                    "seat_commune",
                    "departement",
                    ("latitude", "longitude"),
                    "action_territories",
                ]
            },
        ),
        (
            gettext_lazy("Caractéristiques"),
            {
                "fields": [
                    "themes",
                    "stage",
                    "legal_form",
                    "carrying_structure",
                    "year_founded",
                    "charter_signed",
                ]
            },
        ),
        (gettext_lazy("Contact public"), {"fields": ["website", "email", "phone", "logo"]}),
        (
            gettext_lazy("Provenance"),
            {"fields": ["source", "last_verified", "created_at", "updated_at"]},
        ),
    ]

    def may_change(self, scope, obj):
        return permissions.may_change_ptce(scope, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # Creation: the « Ce n'est pas un doublon » box under the name (backoffice.duplicates).
        (title, options), *rest = fieldsets
        fields = [*options["fields"]]
        fields.insert(1, NOT_DUPLICATE)
        return [(title, {**options, "fields": fields}), *rest]

    def get_queryset(self, request):
        """A contributor sees the PTCEs of its territory (read-only)."""
        queryset = super().get_queryset(request)
        current = scope(request)
        if current.is_contributor:
            return queryset.filter(pk__in=permissions.contributor_ptces(current).values("pk"))
        return queryset

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = duplicate_checked(self.form)
        form = super().get_form(request, obj, change=change, **kwargs)
        # A revert is checked against the PTCE as it is now (scope, status transition).
        return scoped_form(form, request, self.checked_object(request, obj), check_ptce)

    def history_view(self, request, object_id, extra_context=None):
        members = child_history(Member, "ptce", object_id) if object_id.isdigit() else []
        context = {"related_histories": [(_("Membres"), members)], **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def restore_related(self, request, obj, record):
        """Members come back as they were at the end of the chosen version's change."""
        following = record.next_record
        if following is not None:
            restore_children(Member, "ptce", obj, following.history_date, request.user)


def check_ptce(scope, cleaned, obj, instance):
    """A PTCE stays in the scope (its département, derived from its commune when there is
    one) and its status moves only along ``permissions.TRANSITIONS``."""
    commune = cleaned.get("seat_commune")
    departement = commune_departement(commune) if commune else cleaned.get("departement")
    if departement is not None and not permissions.may_place_ptce(scope, departement.pk):
        raise ValidationError(
            _("Le département %(name)s n'est pas de votre ressort.") % {"name": departement}
        )
    new = cleaned.get("status")
    if new is None:
        return
    old = obj.status if obj is not None else None
    if old is None:
        allowed = new in permissions.CREATION_STATUSES
    else:
        allowed = permissions.may_move_status(scope, obj, old, new)
    if not allowed:
        raise ValidationError(
            _("Passage du statut « %(old)s » à « %(new)s » non permis.")
            % {
                "old": PtceStatus(old).label if old else _("nouveau"),
                "new": PtceStatus(new).label,
            }
        )
