"""The API v1's PTCE and territory endpoints (Django REST framework): ``/api/v1/ptce/``,
``/api/v1/ptce/<slug>/`` and ``/api/v1/territoires/``.

Every answer is built from published data only, cached whole under the public-data version
(``core.cache``: the cleaned parameters and the site's address in the key), and served with
``ETag``/``Last-Modified`` and 304s (``api.responses.payload_response``). Read-only: GET,
HEAD and OPTIONS; anything else is a 405 in JSON (``api.errors``)."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView

from collectivites.models import TerritoryKind
from collectivites.models.territory_search import MAX_QUERY_LENGTH
from collectivites.queries import search_suggestions
from core.cache import cached, current_version
from core.lenient import clean_text
from directory.filters import PtceFilterSet
from directory.models import Ptce
from directory.models.ptce import prefetch_page
from directory.pagination import paginate_ptces
from directory.presenters import cards

from . import schema
from .errors import InvalidParameter
from .filtering import cleaned_parts, strict_filterset
from .pagination import PageRequest, paginated_body
from .regions import attach_regions
from .responses import JSON, Payload, compact_json, payload_response
from .serializers import PtceDetailSerializer, PtceSerializer, TerritorySuggestionSerializer

# Long columns a list item does not show: left in the database.
UNLISTED = ("description", "source", "search_document", "search_text", "search_vector")


class PublicDataView(GenericAPIView):
    """A read-only endpoint whose answer is cached under the public-data version."""

    http_method_names = ["get", "head", "options"]
    cache_name = None

    def respond(self, request, parts, build):
        """``build()`` (a dict) as JSON, cached under ``parts`` (cleaned values only) and the
        site's address (the answer holds absolute URLs)."""

        def compute():
            return Payload.build(compact_json(build()), current_version().timestamp)

        site = request.build_absolute_uri("/")
        payload = cached(f"api:v1-{self.cache_name}", compute, site, *parts)
        return payload_response(request, payload, JSON)

    def serializer_context(self):
        return {"request": self.request}


class PtceListView(PublicDataView):
    cache_name = "ptce-list"

    @extend_schema(
        operation_id="ptce_list",
        summary=gettext_lazy("Les PTCE publiés, filtrés et paginés"),
        description=gettext_lazy(
            "Les filtres sont ceux de l'annuaire (/ptce/). Un filtre dont la valeur est "
            "inconnue ou invalide donne une erreur 400 qui nomme le paramètre."
        ),
        parameters=[*schema.PTCE_FILTERS, *schema.PAGE],
        responses=schema.responses(schema.paginated("PagePtce", PtceSerializer), 404),
        tags=["PTCE"],
    )
    def get(self, request):
        params = request.query_params
        filterset = strict_filterset(PtceFilterSet, params, Ptce.objects.published(), request)
        page_request = PageRequest(params)
        parts = (cleaned_parts(filterset), page_request.cache_parts())
        return self.respond(request, parts, lambda: self.build(filterset, page_request))

    def build(self, filterset, page_request):
        ordered = filterset.sorted_qs()
        page, _ignored = paginate_ptces(
            ordered,
            QueryDict(f"page={page_request.number}"),
            page_request.size,
            lambda queryset: cards(queryset.select_related("legal_form").defer(*UNLISTED)),
            filtered=filterset.is_filtering,
        )
        ptces = attach_regions(page.object_list)
        results = PtceSerializer(ptces, many=True, context=self.serializer_context()).data
        count = page.paginator.count
        return paginated_body(self.request, filterset.form.data, page_request, count, results)


class PtceDetailView(PublicDataView):
    cache_name = "ptce-detail"

    @extend_schema(
        operation_id="ptce_retrieve",
        summary=gettext_lazy("La fiche complète d'un PTCE publié"),
        description=gettext_lazy(
            "Membres, appels nationaux, territoires d'action, soutiens reçus et retours "
            "d'expérience. Un PTCE non publié est introuvable (404)."
        ),
        parameters=[schema.SLUG],
        responses=schema.responses(PtceDetailSerializer, 404),
        tags=["PTCE"],
    )
    def get(self, request, slug):
        pk = Ptce.objects.published().filter(slug=slug).values_list("pk", flat=True).first()
        if pk is None:
            raise NotFound(_("Aucun PTCE publié n'a cet identifiant."))
        return self.respond(request, (pk,), lambda: self.build(pk))

    def build(self, pk):
        ptce = Ptce.objects.published().for_page().get(pk=pk)
        prefetch_page([ptce])  # the PTCE page's relations: published supports, experiences
        attach_regions([ptce])
        return PtceDetailSerializer(ptce, context=self.serializer_context()).data


class TerritorySearchView(PublicDataView):
    cache_name = "territories"

    @extend_schema(
        operation_id="territories_search",
        summary=gettext_lazy("Recherche de territoires (autocomplétion)"),
        description=gettext_lazy(
            "Au plus dix territoires (régions, départements, intercommunalités, communes), "
            "les meilleurs d'abord : la recherche de l'annuaire et des pages de territoire. "
            "Sans texte à chercher, la liste est vide."
        ),
        parameters=schema.TERRITORY_SEARCH,
        responses=schema.responses(
            inline_serializer(
                "Territoires",
                fields={
                    "results": TerritorySuggestionSerializer(
                        many=True, help_text=gettext_lazy("Les territoires trouvés.")
                    )
                },
            )
        ),
        tags=["Territoires"],
    )
    def get(self, request):
        params = request.query_params
        values = params.getlist("q")
        if len(values) > 1:
            raise InvalidParameter("q", _("Le paramètre q ne peut figurer qu'une fois."))
        text = clean_text(values[0]) if values else ""
        if len(text) > MAX_QUERY_LENGTH:
            message = _("Recherche trop longue (%(max)s caractères au plus).")
            raise InvalidParameter("q", message % {"max": MAX_QUERY_LENGTH})
        kinds = []
        for kind in params.getlist("kind"):
            if kind not in TerritoryKind.values:
                raise InvalidParameter(
                    "kind", _("kind attend region, departement, epci ou commune.")
                )
            if kind not in kinds:
                kinds.append(kind)
        kinds.sort()
        return self.respond(request, (text, kinds), lambda: self.build(text, kinds))

    def build(self, text, kinds):
        results = search_suggestions(text, kinds)
        for result in results:
            result["url"] = self.request.build_absolute_uri(result["url"])
        return {"results": TerritorySuggestionSerializer(results, many=True).data}
