"""Back-office for territories, support types, schemes and resources (the ground floor)."""

from django.contrib import admin
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from collectivites.models import Resource, Scheme, SupportType, Territory, TerritoryKind
from collectivites.queries import KIND_NOUNS

from .history import RoleHistoryAdmin
from .scoping import RoleAdminMixin

# Web addresses typed without a scheme are read as https (Django 6's default, stated now).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Territory)
class TerritoryAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "code", "population"]
    list_filter = ["kind"]
    search_fields = ["name", "search_name", "code", "=postcodes"]
    ordering = ["kind", "name"]
    readonly_fields = ["search_name"]
    fields = [
        "kind",
        "code",
        "name",
        "slug",
        "search_name",
        "tncc",
        "nature",
        "population",
        "postcodes",
        ("latitude", "longitude"),
    ]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """The public autocomplete's search and ranking (``Territory.objects.search``): best
        match, then broadest level, then most populated."""
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        return queryset.search(search_term), False

    def autocomplete_label(self, obj):
        """« Région Bretagne », « Département du Finistère (29) », « Commune de Brest
        (29019) », « Intercommunalité CA Quimper Bretagne Occidentale »: the label of a
        result of the admin's autocomplete (``backoffice.site``), its level first."""
        noun = capfirst(KIND_NOUNS[obj.kind])
        if obj.kind in (TerritoryKind.DEPARTEMENT, TerritoryKind.COMMUNE):
            return f"{noun} {obj.of_name} ({obj.code})"
        return f"{noun} {obj}"


@admin.register(SupportType)
class SupportTypeAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Scheme)
class SchemeAdmin(RoleAdminMixin, RoleHistoryAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "owner_display", "start_year", "end_year"]
    list_filter = ["support_types", "owner__kind"]
    search_fields = ["name", "description", "owner__name"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["support_types"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["owner"]

    @admin.display(description=_("porteur"))
    def owner_display(self, obj):
        return obj.owner_label


@admin.register(Resource)
class ResourceAdmin(RoleAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["title", "publisher", "url", "position"]
    list_editable = ["position"]
    search_fields = ["title", "publisher", "description"]
