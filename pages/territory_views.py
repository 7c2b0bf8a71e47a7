"""Territory pages: the autocomplete endpoint, the territory finder and a territory's page."""

from django.http import Http404, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from collectivites.filtering import Ignored
from collectivites.models import TerritoryKind
from collectivites.models.territory_search import MAX_QUERY_LENGTH
from directory.facets import facet_counts
from directory.filters import TERRITORY_PARAMETERS, PtceFilterSet
from directory.models import Ptce
from directory.pagination import paginate_ptces
from directory.presenters import active_filters
from directory.views import FRAGMENT_HEADER, PAGE_SIZE

from .territories import (
    FINDER_LIMIT,
    experiences_around,
    regions_of_france,
    schemes_of,
    search_suggestions,
    sub_territory_groups,
    support_ideas,
    supports_given,
    territory_and_trail,
)

SEARCH_CACHE_SECONDS = 300


def _query(params):
    """The first ``q`` of the query string, without NUL bytes or surrounding spaces."""
    values = params.getlist("q")
    return values[0].replace("\x00", "").strip() if values else ""


class TerritorySearchView(View):
    """``/territoires/recherche.json?q=…[&kind=commune&kind=epci]``: at most ten territories
    for the autocomplete. An over-long query is a 400 with a JSON error; anything else,
    however odd, is a 200 (with no results when there is nothing to look for)."""

    def get(self, request):
        text = _query(request.GET)
        if len(text) > MAX_QUERY_LENGTH:
            message = _("Recherche trop longue (%(max)s caractères au plus).")
            return JsonResponse(
                {"error": message % {"max": MAX_QUERY_LENGTH}, "results": []}, status=400
            )
        kinds = [kind for kind in request.GET.getlist("kind") if kind in TerritoryKind.values]
        response = JsonResponse({"results": search_suggestions(text, kinds)})
        patch_cache_control(response, public=True, max_age=SEARCH_CACHE_SECONDS)
        return response


class TerritoryIndexView(TemplateView):
    """``/territoires/``: find a territory by name or code (works without JavaScript), and
    the régions of France with their published PTCEs."""

    template_name = "pages/territory_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = _query(self.request.GET)
        too_long = len(query) > MAX_QUERY_LENGTH
        context.update(
            query=query[:MAX_QUERY_LENGTH],
            query_too_long=too_long,
            matches=[] if too_long or not query else search_suggestions(query, limit=FINDER_LIMIT),
            regions=regions_of_france(),
        )
        return context


class TerritoryView(DetailView):
    """``/territoires/<kind>/<code>/``: a territory, where it lies, the PTCEs there with the
    directory's filters, the supports and schemes of its collectivité and its
    sub-territories with PTCEs. With ``X-Fragment: results`` only the filters and results
    are rendered, for the directory's script."""

    template_name = "pages/territory.html"
    fragment_template_name = "pages/includes/territory_directory_body.html"
    context_object_name = "territory"

    def get_template_names(self):
        if self.request.META.get(FRAGMENT_HEADER) == "results":
            return [self.fragment_template_name]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["X-Fragment"])
        return response

    def get_object(self, queryset=None):
        kind, code = self.kwargs["kind"], self.kwargs["code"].upper()
        if kind not in TerritoryKind.values or len(code) > 9 or not code.isalnum():
            raise Http404(_("Territoire inconnu."))
        territory, self.trail = territory_and_trail(kind, code)
        if territory is None:
            raise Http404(_("Territoire inconnu."))
        # The trail is exactly its ancestors: .region and .departement need no query.
        territory._prefetched_objects_cache = {"ancestors": self.trail}
        return territory

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        territory = self.object
        context.update(self.directory_context(territory))
        if self.request.META.get(FRAGMENT_HEADER) != "results":
            supports = list(supports_given(territory))
            own, peers = experiences_around(territory)
            context.update(
                trail=self.trail,
                supports=supports,
                schemes=schemes_of(territory),
                sub_groups=sub_territory_groups(territory),
                own_experiences=own,
                peer_experiences=peers,
                support_ideas=support_ideas(territory, supports),
                departement=territory.departement
                if territory.kind in (TerritoryKind.COMMUNE, TerritoryKind.EPCI)
                else None,
            )
        return context

    def directory_context(self, territory):
        """The directory's filters, results and facets, within this territory."""
        params, ignored = self.filter_params()
        filterset = PtceFilterSet(
            params,
            queryset=Ptce.objects.published().in_territory(territory),
            request=self.request,
        )
        page, page_ignored = paginate_ptces(
            filterset.sorted_qs(), self.request.GET, PAGE_SIZE, lambda qs: qs.with_places()
        )
        return {
            "filterset": filterset,
            "page_obj": page,
            "ptces": page.object_list,
            "facets": facet_counts(filterset),
            "ignored": [*ignored, *filterset.ignored, *page_ignored],
            "chips": active_filters(filterset),
            "filters_action": territory.get_absolute_url(),
        }

    def filter_params(self):
        """The query string without territory parameters: the page's territory is the one."""
        params = self.request.GET.copy()
        ignored = []
        for name in TERRITORY_PARAMETERS:
            for value in params.pop(name, []):
                if value.strip():
                    reason = _("le territoire est celui de la page")
                    ignored.append(Ignored(name, value, reason))
        return params, ignored
