"""The API v1's knowledge for collectivités: ``/api/v1/experiences/``,
``/api/v1/dispositifs/`` (schemes) and ``/api/v1/soutiens/`` (support types), with the
filters of their pages (``ExperienceFilterSet``, ``SchemeFilterSet``, unchanged) made strict
(``api.filtering``)."""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema

from collectivites.filters import SchemeFilterSet
from collectivites.models import Scheme, SupportType
from directory.experience_filters import ExperienceFilterSet
from directory.models import Experience, Support

from . import schema
from .filtering import cleaned_parts, strict_filterset
from .guide_serializers import ExperienceSerializer, SchemeSerializer, SupportTypeSerializer
from .pagination import PageRequest, page_of, paginated_body
from .v1_views import PublicDataView

ORDERED_SUPPORT_TYPES = Prefetch("support_types", queryset=SupportType.objects.order_by("position"))


class FilteredListView(PublicDataView):
    """A list driven by one of the site's lenient FilterSets, made strict."""

    filterset_class = None
    serializer_class = None

    def get_queryset(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def decorate(self, objects):
        """What the serializer needs beyond the rows (nothing by default)."""
        return objects

    def get(self, request):
        params = request.query_params
        filterset = strict_filterset(self.filterset_class, params, self.get_queryset(), request)
        page_request = PageRequest(params)
        parts = (cleaned_parts(filterset), page_request.cache_parts())
        return self.respond(request, parts, lambda: self.build(filterset, page_request))

    def build(self, filterset, page_request):
        page = page_of(filterset.qs, page_request)
        results = self.serializer_class(
            self.decorate(list(page.object_list)), many=True, context=self.serializer_context()
        ).data
        count = page.paginator.count
        return paginated_body(self.request, filterset.form.data, page_request, count, results)


class ExperienceListView(FilteredListView):
    cache_name = "experiences"
    filterset_class = ExperienceFilterSet
    serializer_class = ExperienceSerializer

    def decorate(self, experiences):
        for experience in experiences:  # an unpublished PTCE is never named
            ptce = experience.ptce
            experience.public_ptce = ptce if ptce is not None and ptce.is_public else None
        return experiences

    def get_queryset(self):
        return (
            Experience.objects.published()
            .select_related("collectivite", "ptce")
            .prefetch_related(ORDERED_SUPPORT_TYPES)
        )

    @extend_schema(
        operation_id="experiences_list",
        summary=gettext_lazy("Les retours d'expérience de collectivités"),
        description=gettext_lazy(
            "Les filtres de la page /experiences/. Un PTCE non publié n'est jamais nommé."
        ),
        parameters=[*schema.EXPERIENCE_FILTERS, *schema.PAGE],
        responses=schema.responses(
            schema.paginated("PageRetoursExperience", ExperienceSerializer), 404
        ),
        tags=["Collectivités"],
    )
    def get(self, request):
        return super().get(request)


class SchemeListView(FilteredListView):
    cache_name = "schemes"
    filterset_class = SchemeFilterSet
    serializer_class = SchemeSerializer

    def get_queryset(self):
        return Scheme.objects.select_related("owner").prefetch_related(ORDERED_SUPPORT_TYPES)

    @extend_schema(
        operation_id="schemes_list",
        summary=gettext_lazy("Les dispositifs de soutien"),
        description=gettext_lazy(
            "Dispositifs des collectivités et de l'État ; les filtres de la page /dispositifs/."
        ),
        parameters=[*schema.SCHEME_FILTERS, *schema.PAGE],
        responses=schema.responses(schema.paginated("PageDispositifs", SchemeSerializer), 404),
        tags=["Collectivités"],
    )
    def get(self, request):
        return super().get(request)


class SupportTypeListView(PublicDataView):
    cache_name = "support-types"

    @extend_schema(
        operation_id="support_types_list",
        summary=gettext_lazy("Les types de soutien d'une collectivité à un PTCE"),
        description=gettext_lazy(
            "Dans l'ordre du guide /soutenir/, avec le nombre de PTCE publiés qui ont reçu "
            "chacun. Leurs slugs sont les valeurs du filtre support."
        ),
        parameters=schema.PAGE,
        responses=schema.responses(
            schema.paginated("PageTypesDeSoutien", SupportTypeSerializer), 404
        ),
        tags=["Collectivités"],
    )
    def get(self, request):
        page_request = PageRequest(request.query_params)
        return self.respond(request, page_request.cache_parts(), lambda: self.build(page_request))

    def build(self, page_request):
        page = page_of(SupportType.objects.all(), page_request)
        counts = dict(
            Support.objects.published()
            .order_by()
            .values("support_type_id")
            .annotate(ptces=Count("ptce_id", distinct=True))
            .values_list("support_type_id", "ptces")
        )
        for support_type in page.object_list:
            support_type.ptce_count = counts.get(support_type.pk, 0)
        results = SupportTypeSerializer(
            page.object_list, many=True, context=self.serializer_context()
        ).data
        empty = self.request.query_params.copy()
        empty.clear()
        return paginated_body(self.request, empty, page_request, page.paginator.count, results)
