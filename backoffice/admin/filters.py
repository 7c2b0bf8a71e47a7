"""List filters of the back-office: the user's scope, freshness of the information, région
(by the PTCE's département, or the collectivité's for supports and experiences) and département.
The home of the back-office links to them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from collectivites.models import Territory, TerritoryAncestry, TerritoryKind
from collectivites.queries import departement_choices, region_choices

from .. import permissions
from ..freshness import (
    FRESH,
    FRESHNESS_PARAMETER,
    NEVER,
    OUTDATED,
    SCOPE_PARAMETER,
    STALE,
    freshness_q,
)


class ScopeFilter(admin.SimpleListFilter):
    """« Mes fiches »: the PTCEs the user may change (``permissions.ptces_in_scope``)."""

    title = _("ressort")
    parameter_name = SCOPE_PARAMETER

    def lookups(self, request, model_admin):
        if permissions.scope_of(request.user).is_regional:
            return [("mine", _("Fiches de ma région"))]
        return []

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return permissions.ptces_in_scope(permissions.scope_of(request.user), queryset)
        return queryset


class FreshnessFilter(admin.SimpleListFilter):
    title = _("fraîcheur")
    parameter_name = FRESHNESS_PARAMETER

    def lookups(self, request, model_admin):
        return [
            (STALE, _("Jamais vérifiée ou il y a plus de 12 mois")),
            (NEVER, _("Jamais vérifiée")),
            (OUTDATED, _("Vérifiée il y a plus de 12 mois")),
            (FRESH, _("Vérifiée depuis moins de 12 mois")),
        ]

    def queryset(self, request, queryset):
        condition = freshness_q(self.value())
        return queryset if condition is None else queryset.filter(condition)


class RegionFilter(admin.SimpleListFilter):
    """By région, through the PTCE's département."""

    title = _("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return region_choices()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        departements = TerritoryAncestry.objects.filter(
            ancestor__kind=TerritoryKind.REGION,
            ancestor__code=self.value(),
            territory__kind=TerritoryKind.DEPARTEMENT,
        ).values("territory")
        return queryset.filter(departement__in=departements)


class DepartementFilter(admin.SimpleListFilter):
    """By département; only those of the chosen région when one is chosen."""

    title = _("département")
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        choices = departement_choices()
        region = request.GET.get(RegionFilter.parameter_name)
        if region:
            codes = set(
                TerritoryAncestry.objects.filter(
                    ancestor__kind=TerritoryKind.REGION,
                    ancestor__code=region,
                    territory__kind=TerritoryKind.DEPARTEMENT,
                ).values_list("territory__code", flat=True)
            )
            choices = [(code, label) for code, label in choices if code in codes]
        return choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(
            departement__kind=TerritoryKind.DEPARTEMENT, departement__code=self.value()
        )


class EntryScopeFilter(admin.SimpleListFilter):
    """Supports and experiences: « Mes fiches » (``permissions.entries_in_scope``)."""

    title = _("ressort")
    parameter_name = SCOPE_PARAMETER

    def lookups(self, request, model_admin):
        if permissions.scope_of(request.user).is_regional:
            return [("mine", _("Fiches de ma région"))]
        return []

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return permissions.entries_in_scope(permissions.scope_of(request.user), queryset)
        return queryset


class CollectiviteRegionFilter(RegionFilter):
    """Supports and experiences: by the région of the collectivité (the région itself or a
    territory in it)."""

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        regions = Territory.objects.filter(kind=TerritoryKind.REGION, code=self.value())
        return queryset.filter(collectivite__in=permissions.regions_area(regions.values("pk")))
