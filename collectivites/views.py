"""Pages for collectivités: how to support a PTCE (``/soutenir/``), experiences and schemes."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from .filtering import paginate
from .filters import ExperienceFilterSet, SchemeFilterSet
from .models import Experience, Resource, Scheme, Support, SupportType, Territory, TerritoryKind

PUBLISHED = "published"  # directory.PtceStatus.PUBLISHED, named here to import nothing of it


def support_types_with_counts():
    """Every support type with how many experiences, schemes, collectivités and published
    PTCEs it concerns (one query)."""
    published = Q(supports__ptce__status=PUBLISHED)
    return SupportType.objects.annotate(
        experience_count=Count("experiences", distinct=True),
        scheme_count=Count("schemes", distinct=True),
        collectivite_count=Count("supports__collectivite", filter=published, distinct=True),
        ptce_count=Count("supports__ptce", filter=published, distinct=True),
    ).order_by("position", "slug")


class SupportGuideView(TemplateView):
    """``/soutenir/``: the ways to support a PTCE, the roles of each level, resources."""

    template_name = "collectivites/support_guide.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            support_types=support_types_with_counts(),
            resources=Resource.objects.all(),
            **kwargs,
        )


class SupportTypeView(DetailView):
    """``/soutenir/<slug>/``: one support type with its experiences, schemes and supports."""

    template_name = "collectivites/support_type.html"
    context_object_name = "support_type"

    def get_object(self, queryset=None):
        return get_object_or_404(support_types_with_counts(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        support_type = self.object
        return super().get_context_data(
            experiences=Experience.objects.with_support([support_type.slug]).select_related(
                "collectivite", "ptce"
            ),
            schemes=Scheme.objects.with_support([support_type.slug]).select_related("owner"),
            supports=Support.objects.of_published_ptces()
            .filter(support_type=support_type)
            .select_related("collectivite", "ptce"),
            other_types=SupportType.objects.exclude(pk=support_type.pk),
            **kwargs,
        )


class FilteredListView(TemplateView):
    """A list page driven by a ``LenientFilterSet`` and paginated."""

    filterset_class = None
    queryset = None
    per_page = 20

    def get_queryset(self):
        return self.queryset.all()

    def get_context_data(self, **kwargs):
        filterset = self.filterset_class(self.request.GET, queryset=self.get_queryset())
        page, page_ignored = paginate(filterset.qs, self.request.GET, self.per_page)
        form = filterset.form
        return super().get_context_data(
            filterset=filterset,
            filter_fields={
                "checkboxes": [form[name] for name in filterset.multi_choices],
                "radio": form["open"] if "open" in form.fields else None,
            },
            region_options=Territory.objects.of_kind(TerritoryKind.REGION)
            .order_by("name")
            .values_list("code", "name"),
            page_obj=page,
            object_list=page.object_list,
            ignored=[*filterset.ignored, *page_ignored],
            **kwargs,
        )


class ExperienceListView(FilteredListView):
    template_name = "collectivites/experience_list.html"
    filterset_class = ExperienceFilterSet
    queryset = Experience.objects.select_related("collectivite", "ptce").prefetch_related(
        "support_types"
    )


class ExperienceDetailView(DetailView):
    template_name = "collectivites/experience_detail.html"
    context_object_name = "experience"
    queryset = Experience.objects.select_related("collectivite", "ptce").prefetch_related(
        "support_types", "collectivite__ancestors"
    )

    def get_object(self, queryset=None):
        experience = super().get_object(queryset)
        if experience.ptce_id and experience.ptce.status != PUBLISHED:
            experience.ptce = None  # an unpublished PTCE is not named publicly
        return experience


class SchemeListView(FilteredListView):
    template_name = "collectivites/scheme_list.html"
    filterset_class = SchemeFilterSet
    queryset = Scheme.objects.select_related("owner").prefetch_related("support_types")


class SchemeDetailView(DetailView):
    template_name = "collectivites/scheme_detail.html"
    context_object_name = "scheme"
    queryset = Scheme.objects.select_related("owner").prefetch_related(
        Prefetch("support_types", queryset=SupportType.objects.order_by("position"))
    )
