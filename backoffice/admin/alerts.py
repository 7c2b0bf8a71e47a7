"""The alert subscriptions in the back-office: counts and masked addresses only, for the
national curators. Nobody adds or edits one here; a national curator may delete one (a
request to be forgotten: the exact address is searched, ``=email``, never listed). No
address is exported or shown (``alerts.models.masked_email``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscription, masked_email

from .. import permissions

SHOWN = [
    "address",
    "territory",
    "theme",
    "created_at",
    "confirmed_at",
    "last_sent_at",
    "digests_sent",
]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["address", "territory", "theme", "confirmed", "created_at", "last_sent_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["territory", "theme"]
    search_fields = ["=email"]
    fields = SHOWN
    readonly_fields = SHOWN
    show_full_result_count = True

    @admin.display(description=_("courriel (masqué)"))
    def address(self, obj):
        return masked_email(obj.email)

    @admin.display(description=_("confirmé"), boolean=True)
    def confirmed(self, obj):
        return obj.confirmed_at is not None

    def has_module_permission(self, request):
        return permissions.scope_of(request.user).is_national

    def has_view_permission(self, request, obj=None):
        return permissions.scope_of(request.user).is_national

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return permissions.scope_of(request.user).is_national
