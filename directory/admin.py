"""Back-office for PTCEs: search, filters, territory autocomplete, members and supports inline."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from collectivites.admin import URL_FIELD_OVERRIDES

from .admin_forms import PtceAdminForm
from .models import Experience, LegalForm, Member, NationalCallAward, Ptce, Stage, Support, Theme


class MemberInline(admin.TabularInline):
    model = Member
    formfield_overrides = URL_FIELD_OVERRIDES
    extra = 0
    autocomplete_fields = ["territory"]


class NationalCallAwardInline(admin.TabularInline):
    model = NationalCallAward
    extra = 0


class SupportInline(admin.TabularInline):
    model = Support
    extra = 0
    autocomplete_fields = ["collectivite"]
    fields = ["collectivite", "support_type", "start_year", "end_year", "description"]


@admin.register(Ptce)
class PtceAdmin(admin.ModelAdmin):
    form = PtceAdminForm
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "seat_commune", "departement", "status", "last_verified", "updated_at"]
    list_filter = ["status", "themes", "stage", "legal_form", "charter_signed"]
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
            _("Localisation"),
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
            _("Caractéristiques"),
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
        (_("Contact public"), {"fields": ["website", "email", "phone", "logo"]}),
        (_("Provenance"), {"fields": ["source", "last_verified", "created_at", "updated_at"]}),
    ]


@admin.register(Theme, Stage)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LegalForm)
class LegalFormAdmin(ReferenceAdmin):
    pass


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["collectivite", "ptce", "support_type", "start_year", "end_year"]
    list_filter = ["support_type", "collectivite__kind"]
    search_fields = ["collectivite__name", "ptce__name", "description"]
    autocomplete_fields = ["collectivite", "ptce"]
    list_select_related = ["collectivite", "ptce", "support_type"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["title", "collectivite", "ptce", "year"]
    list_filter = ["support_types", "collectivite__kind"]
    search_fields = ["title", "summary", "body", "quote", "collectivite__name"]
    autocomplete_fields = ["collectivite", "ptce"]
    filter_horizontal = ["support_types"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["collectivite", "ptce"]
