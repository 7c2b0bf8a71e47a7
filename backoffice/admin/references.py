"""Back-office for the directory's reference lists (themes, stages, legal forms): national
curators only."""

from django.contrib import admin

from directory.models import LegalForm, Stage, Theme

from .scoping import RoleAdminMixin


@admin.register(Theme, Stage)
class ReferenceAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LegalForm)
class LegalFormAdmin(ReferenceAdmin):
    pass
