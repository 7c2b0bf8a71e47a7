"""The guide for collectivités: ``/soutenir/`` (the ways to support a PTCE, the roles of each
level, resources) and ``/soutenir/<slug>/`` (one support type with its experiences, schemes
and the supports given)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from collectivites.models import Resource, Scheme, SupportType
from directory.models import Experience, PtceStatus, Support


def support_types_with_counts():
    """Every support type with how many experiences, schemes, collectivités and published
    PTCEs it concerns (one query)."""
    published = Q(
        supports__status=PtceStatus.PUBLISHED, supports__ptce__status=PtceStatus.PUBLISHED
    )
    return SupportType.objects.annotate(
        experience_count=Count(
            "experiences",
            filter=Q(experiences__status=PtceStatus.PUBLISHED),
            distinct=True,
        ),
        scheme_count=Count("schemes", distinct=True),
        collectivite_count=Count("supports__collectivite", filter=published, distinct=True),
        ptce_count=Count("supports__ptce", filter=published, distinct=True),
    ).order_by("position", "slug")


class SupportGuideView(TemplateView):
    template_name = "pages/support_guide.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            support_types=support_types_with_counts(),
            resources=Resource.objects.all(),
            **kwargs,
        )


class SupportTypeView(DetailView):
    template_name = "pages/support_type.html"
    context_object_name = "support_type"

    def get_object(self, queryset=None):
        return get_object_or_404(support_types_with_counts(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        support_type = self.object
        return super().get_context_data(
            experiences=Experience.objects.published()
            .with_support([support_type.slug])
            .select_related("collectivite", "ptce"),
            schemes=Scheme.objects.with_support([support_type.slug]).select_related("owner"),
            supports=Support.objects.published()
            .filter(support_type=support_type)
            .select_related("collectivite", "ptce"),
            other_types=SupportType.objects.exclude(pk=support_type.pk),
            **kwargs,
        )
