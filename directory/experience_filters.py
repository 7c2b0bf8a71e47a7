"""Filters of the experiences list (``/experiences/``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from collectivites.filters import LEVEL_CHOICES, CollectiviteListFilterSet, support_choices

from .models import Experience


class ExperienceFilterSet(CollectiviteListFilterSet):
    multi_choices = {"support": support_choices, "level": lambda: LEVEL_CHOICES}

    level = django_filters.MultipleChoiceFilter(method="filter_level", label=_("Niveau"))

    class Meta:
        model = Experience
        fields = []
