"""Filters of the schemes list (``/dispositifs/``); ``support_choices`` and ``LEVEL_CHOICES``
serve the experiences list too."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .filtering import LenientFilterSet
from .models import Scheme, SupportType, TerritoryKind
from .models.knowledge import STATE

LEVEL_CHOICES = [(kind.value, kind.label) for kind in TerritoryKind]
OWNER_LEVEL_CHOICES = [*LEVEL_CHOICES, (STATE, _("État"))]
YES_NO = [("oui", _("Oui")), ("non", _("Non"))]


def support_choices():
    return SupportType.objects.values_list("slug", "title")


class CollectiviteListFilterSet(LenientFilterSet):
    """``q``, ``support``, ``level`` and ``region``: the filters of the lists for
    collectivités (schemes here, experiences in ``directory``). The queryset gives
    ``search``, ``with_support``, ``of_level`` and ``in_region``; subclasses declare ``level``
    (its label and choices differ)."""

    territory_parameters = {"region": TerritoryKind.REGION}

    q = django_filters.CharFilter(method="filter_q", label=_("Mot-clé"))
    support = django_filters.MultipleChoiceFilter(method="filter_support", label=_("Soutien"))
    region = django_filters.CharFilter(method="filter_region", label=_("Région"))

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_support(self, queryset, name, value):
        return queryset.with_support(value)

    def filter_level(self, queryset, name, value):
        return queryset.of_level(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(self.territories["region"])


class SchemeFilterSet(CollectiviteListFilterSet):
    multi_choices = {"support": support_choices, "level": lambda: OWNER_LEVEL_CHOICES}
    single_choices = {"open": YES_NO}

    level = django_filters.MultipleChoiceFilter(method="filter_level", label=_("Porteur"))
    open = django_filters.ChoiceFilter(method="filter_open", label=_("En cours"))

    class Meta:
        model = Scheme
        fields = []

    def filter_open(self, queryset, name, value):
        """« oui »: open according to the data; « non »: ended according to the data
        (schemes the data says nothing about are in neither)."""
        return queryset.running() if value == "oui" else queryset.finished()
