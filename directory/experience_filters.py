"""Filters of the experiences list (``/experiences/``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from collectivites.filtering import LenientFilterSet
from collectivites.filters import LEVEL_CHOICES, support_choices
from collectivites.models import TerritoryKind

from .models import Experience


class ExperienceFilterSet(LenientFilterSet):
    multi_choices = {"support": support_choices, "level": lambda: LEVEL_CHOICES}
    territory_parameters = {"region": TerritoryKind.REGION}

    q = django_filters.CharFilter(method="filter_q", label=_("Mot-clé"))
    support = django_filters.MultipleChoiceFilter(method="filter_support", label=_("Soutien"))
    level = django_filters.MultipleChoiceFilter(method="filter_level", label=_("Niveau"))
    region = django_filters.CharFilter(method="filter_region", label=_("Région"))

    class Meta:
        model = Experience
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_support(self, queryset, name, value):
        return queryset.with_support(value)

    def filter_level(self, queryset, name, value):
        return queryset.of_level(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(self.territories["region"])
