"""Public pages of the directory: the list with its filters, and the PTCE page."""

from django.utils.cache import patch_vary_headers
from django.views.generic import DetailView, TemplateView

from .facets import facet_counts, facets_key
from .filters import TERRITORY_PARAMETERS, PtceFilterSet
from .models import Ptce
from .pagination import paginate_ptces
from .presenters import (
    active_filters,
    departement_options,
    members_by_category,
    region_options,
    supports_by_collectivite,
)
from .structured_data import organization_jsonld

PAGE_SIZE = 20
FRAGMENT_HEADER = "HTTP_X_FRAGMENT"


class PtceListView(TemplateView):
    """``/ptce/``: filters in the URL, 20 results a page, facet counts. With the header
    ``X-Fragment: results`` only the filters and results are rendered (for the page's
    script, which swaps them in without reloading the page)."""

    template_name = "directory/ptce_list.html"
    fragment_template_name = "directory/includes/directory_body.html"

    def get_template_names(self):
        if self.request.META.get(FRAGMENT_HEADER) == "results":
            return [self.fragment_template_name]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["X-Fragment"])
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = PtceFilterSet(
            self.request.GET, queryset=Ptce.objects.published(), request=self.request
        )
        page, page_ignored = paginate_ptces(
            filterset.sorted_qs(),
            self.request.GET,
            PAGE_SIZE,
            lambda qs: qs.with_places(),
            filtered=filterset.is_filtering,
        )
        context.update(
            filterset=filterset,
            page_obj=page,
            ptces=page.object_list,
            facets=facet_counts(filterset),
            # Keys the cached rendering of the filter form (same inputs as the counts).
            filters_cache_key=f"{facets_key(filterset)}:{filterset.sort}",
            ignored=[*filterset.ignored, *page_ignored],
            chips=active_filters(filterset),
            region_options=region_options(),
            departement_options=departement_options(),
            territory_parameters=TERRITORY_PARAMETERS,
        )
        return context


class PtceDetailView(DetailView):
    """A published PTCE; drafts, reviews and archived entries are 404 for the public."""

    template_name = "directory/ptce_detail.html"
    context_object_name = "ptce"

    def get_queryset(self):
        return Ptce.objects.published().for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ptce = self.object
        region = ptce.departement.region
        absolute_url = self.request.build_absolute_uri(ptce.get_absolute_url())
        context.update(
            region=region,
            trail=[t for t in (region, ptce.departement, ptce.seat_commune) if t is not None],
            absolute_url=absolute_url,
            jsonld=organization_jsonld(ptce, absolute_url, region),
            members_by_category=members_by_category(ptce),
            supports_by_collectivite=supports_by_collectivite(ptce),
        )
        return context
