"""``/experiences/``: the experiences (retours d'expérience) of collectivités, filtered by
support type, level, région and text, and their pages."""

from django.views.generic import DetailView

from collectivites.views import FilteredListView

from .experience_filters import ExperienceFilterSet
from .models import Experience, PtceStatus


class ExperienceListView(FilteredListView):
    template_name = "directory/experience_list.html"
    filterset_class = ExperienceFilterSet
    queryset = (
        Experience.objects.published()
        .select_related("collectivite", "ptce")
        .prefetch_related("support_types")
    )


class ExperienceDetailView(DetailView):
    template_name = "directory/experience_detail.html"
    context_object_name = "experience"
    queryset = (
        Experience.objects.published()
        .select_related("collectivite", "ptce")
        .prefetch_related("support_types", "collectivite__ancestors")
    )

    def get_object(self, queryset=None):
        experience = super().get_object(queryset)
        if experience.ptce_id and experience.ptce.status != PtceStatus.PUBLISHED:
            experience.ptce = None  # an unpublished PTCE is not named publicly
        return experience
