"""Public pages of the directory: the list with its filters, the PTCE page, the map and the
experiences. ``DirectoryResultsMixin`` is the list's machinery, shared with the territory
pages (``pages.territory_views``)."""

from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, TemplateView

from collectivites.queries import departement_choices, region_choices, regions_by_departement
from core.cache import key
from core.lenient import LastPageRedirectMixin

from .facets import facet_counts, filters_form_key
from .filters import TERRITORY_PARAMETERS, PtceFilterSet
from .models import Ptce
from .pagination import paginate_ptces
from .presenters import active_filters, cards, page_details, suggestion_query
from .territory_choice import TerritoryBoxMixin

PAGE_SIZE = 20
FRAGMENT_HEADER = "HTTP_X_FRAGMENT"


class DirectoryResultsMixin(LastPageRedirectMixin):
    """Filters in the URL, 20 results a page (a page beyond the last redirects to the last),
    facet counts and chips, over ``get_base_queryset()``. With the header ``X-Fragment:
    results`` only the filters and results are rendered (``fragment_template_name``), for the
    page's script, which swaps them in without reloading the page."""

    fragment_template_name = None

    @property
    def wants_fragment(self):
        return self.request.META.get(FRAGMENT_HEADER) == "results"

    def get_template_names(self):
        if self.wants_fragment:
            return [self.fragment_template_name]
        return super().get_template_names()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["X-Fragment"])
        return response

    def get_base_queryset(self):
        return Ptce.objects.published()

    def get_filter_params(self):
        """``(query parameters for the FilterSet, what was set aside as ignored)``."""
        return self.request.GET, []

    def directory_context(self):
        params, ignored = self.get_filter_params()
        filterset = PtceFilterSet(params, queryset=self.get_base_queryset(), request=self.request)
        page, page_ignored = paginate_ptces(
            filterset.sorted_qs(),
            self.request.GET,
            PAGE_SIZE,
            cards,
            filtered=self.filtered(filterset),
        )
        return {
            "filterset": filterset,
            "page_obj": page,
            "ptces": page.object_list,
            # Only the filter form uses these; a cached rendering of it needs none.
            "facets": SimpleLazyObject(lambda: facet_counts(filterset)),
            "region_options": SimpleLazyObject(region_choices),
            "departement_options": SimpleLazyObject(departement_choices),
            "filters_cache_key": filters_form_key(filterset),
            "ignored": [*ignored, *filterset.ignored, *page_ignored],
            "chips": active_filters(filterset),
            "suggestion_query": suggestion_query(filterset),
        }

    def filtered(self, filterset):
        """Whether the base queryset is narrowed (see ``paginate_ptces``)."""
        return True


class PtceListView(TerritoryBoxMixin, DirectoryResultsMixin, TemplateView):
    """``/ptce/``: every published PTCE, filtered."""

    template_name = "directory/ptce_list.html"
    fragment_template_name = "directory/includes/directory_body.html"

    def filtered(self, filterset):
        return filterset.is_filtering

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.directory_context(), territory_parameters=TERRITORY_PARAMETERS)
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
        region = regions_by_departement().get(ptce.departement_id)
        absolute_url = self.request.build_absolute_uri(ptce.get_absolute_url())
        context.update(
            region=region,
            trail=[t for t in (region, ptce.departement, ptce.seat_commune) if t is not None],
            absolute_url=absolute_url,
            # The page's body is cached whole (``details_key``); what it needs beyond the
            # row is fetched only when that rendering is missing.
            details=SimpleLazyObject(lambda: page_details(ptce, absolute_url, region)),
            details_key=key("directory:ptce-page", ptce.pk, absolute_url),
        )
        return context
