"""Accounts' roles: only a national curator changes them."""

from django.contrib import admin

from ..models import CuratorProfile
from .scoping import RoleAdminMixin


@admin.register(CuratorProfile)
class CuratorProfileAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "collectivite"]
    list_filter = ["role", "regions"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "regions", "collectivite"]
    list_select_related = ["user", "collectivite"]
