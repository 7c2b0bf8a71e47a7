"""Territory pages: the territory finder and a territory's page."""

from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from collectivites.models import TerritoryKind
from collectivites.models.territory_search import MAX_QUERY_LENGTH
from collectivites.queries import search_suggestions
from core.cache import key
from core.lenient import Ignored, clean_text
from directory.filters import TERRITORY_PARAMETERS
from directory.models import Ptce
from directory.views import DirectoryResultsMixin

from .embed_views import embed_snippet
from .territories import (
    FINDER_LIMIT,
    experiences_around,
    has_sub_territories,
    regions_of_france,
    schemes_of,
    sub_territory_groups,
    support_ideas,
    supports_given,
    territory_and_trail,
)


def first_query(params):
    """The first ``q`` of the query string, without NUL bytes or surrounding spaces."""
    values = params.getlist("q")
    return clean_text(values[0]) if values else ""


class TerritoryIndexView(TemplateView):
    """``/territoires/``: find a territory by name or code (works without JavaScript), and
    the régions of France with their published PTCEs."""

    template_name = "pages/territory_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = first_query(self.request.GET)
        too_long = len(query) > MAX_QUERY_LENGTH
        context.update(
            query=query[:MAX_QUERY_LENGTH],
            query_too_long=too_long,
            matches=[] if too_long or not query else search_suggestions(query, limit=FINDER_LIMIT),
            regions=regions_of_france(),
        )
        return context


class TerritoryView(DirectoryResultsMixin, DetailView):
    """``/territoires/<kind>/<code>/``: a territory, where it lies, the PTCEs there with the
    directory's filters, the supports and schemes of its collectivité and its
    sub-territories with PTCEs."""

    template_name = "pages/territory.html"
    fragment_template_name = "pages/includes/territory_directory_body.html"
    context_object_name = "territory"

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

    def get_base_queryset(self):
        return Ptce.objects.published().in_territory(self.object)

    def get_filter_params(self):
        """The query string without territory parameters: the page's territory is the one."""
        params = self.request.GET.copy()
        ignored = []
        for name in TERRITORY_PARAMETERS:
            for value in params.pop(name, []):
                if value.strip():
                    ignored.append(Ignored(name, value, _("le territoire est celui de la page")))
        return params, ignored

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        territory = self.object
        context.update(self.directory_context(), filters_action=territory.get_absolute_url())
        if not self.wants_fragment:
            supports = list(supports_given(territory))
            own, peers = experiences_around(territory)
            context.update(
                trail=self.trail,
                supports=supports,
                schemes=schemes_of(territory),
                # The section is cached rendered (hundreds of lines on a département's
                # page); the groups are computed only when that rendering is missing.
                sub_groups=SimpleLazyObject(lambda: sub_territory_groups(territory)),
                has_sub_groups=SimpleLazyObject(lambda: has_sub_territories(territory)),
                sub_territories_key=key("pages:sub-territories-html", territory.pk),
                own_experiences=own,
                peer_experiences=peers,
                support_ideas=support_ideas(territory, supports),
                departement=territory.departement
                if territory.kind in (TerritoryKind.COMMUNE, TerritoryKind.EPCI)
                else None,
                embed=embed_snippet(territory),
            )
        return context
