"""Back-office for what ties a collectivité to a PTCE: supports and experiences, changed by
the curators of the collectivité's région or of the PTCE's (``backoffice.permissions``)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.models import Experience, Support

from .. import permissions
from .history import RoleHistoryAdmin
from .scoping import RoleAdminMixin, scoped_form


@admin.register(Support)
class SupportAdmin(RoleAdminMixin, RoleHistoryAdmin):
    list_display = ["collectivite", "ptce", "support_type", "start_year", "end_year"]
    list_filter = ["support_type", "collectivite__kind"]
    search_fields = ["collectivite__name", "ptce__name", "description"]
    autocomplete_fields = ["collectivite", "ptce"]
    list_select_related = ["collectivite", "ptce", "support_type"]

    def may_change(self, scope, obj):
        if obj is None:
            return permissions.may_change_link(scope)
        return permissions.may_change_link(scope, obj.collectivite_id, obj.ptce)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return scoped_form(form, request, obj, check_link)


@admin.register(Experience)
class ExperienceAdmin(RoleAdminMixin, RoleHistoryAdmin):
    list_display = ["title", "collectivite", "ptce", "year"]
    list_filter = ["support_types", "collectivite__kind"]
    search_fields = ["title", "summary", "body", "quote", "collectivite__name"]
    autocomplete_fields = ["collectivite", "ptce"]
    filter_horizontal = ["support_types"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["collectivite", "ptce"]

    def may_change(self, scope, obj):
        if obj is None:
            return permissions.may_change_link(scope)
        return permissions.may_change_link(scope, obj.collectivite_id, obj.ptce)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return scoped_form(form, request, obj, check_link)


def check_link(scope, cleaned, obj, instance):
    """A support or an experience stays in the scope once changed."""
    collectivite = cleaned.get("collectivite")
    ptce = cleaned.get("ptce")
    if not permissions.may_change_link(scope, collectivite and collectivite.pk, ptce):
        raise ValidationError(_("Cette collectivité et ce PTCE ne sont pas de votre ressort."))
