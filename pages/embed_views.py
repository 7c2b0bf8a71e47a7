"""``/embed/carte/``: the embeddable map, for an ``<iframe>`` on a CRESS's or a
collectivité's site. It takes every filter of ``/ptce/`` (the same FilterSet, through
``MapQuery``) and shows a map, a short list of the PTCEs, the attribution and a link back to
the portal.

The one page that may be framed by any site: no ``X-Frame-Options`` (``xframe_options_exempt``)
and ``frame-ancestors *`` (``core.csp.PortalCSPMiddleware``, ``settings.FRAMEABLE_PATHS``).
It sets no cookie (no form, no session, no CSRF token), so that it works in a third-party
frame and the whole-page cache stores it. Every link opens outside the frame (``<base
target="_blank">``, ``rel="noopener"``)."""

from django.conf import settings
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import TemplateView

from .map_views import lenient_query, without

EMBED_LIST_LIMIT = 50


@method_decorator(xframe_options_exempt, name="dispatch")
class EmbedMapView(TemplateView):
    template_name = "pages/embed_map.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, ignored = lenient_query(self.request)
        filterset = query.filterset
        queryset = query.queryset()
        params = without(filterset.form.data, "sort", "page")
        if query.bbox is not None:
            params["bbox"] = ",".join(f"{value:g}" for value in query.bbox.as_tuple())
        ptces = list(
            queryset.select_related("seat_commune", "departement").order_by("search_name", "pk")[
                : EMBED_LIST_LIMIT + 1
            ]
        )
        territories = list(filterset.territories.values())
        context.update(
            ignored=[*filterset.ignored, *ignored],
            place=territories[0] if len(territories) == 1 else None,
            ptces=ptces[:EMBED_LIST_LIMIT],
            more=len(ptces) > EMBED_LIST_LIMIT,
            total=queryset.count(),  # always: the page's queries do not grow with the PTCEs
            query_string=f"?{params.urlencode()}" if params else "",
            points_url=reverse("api:ptce-geojson"),
            map_labels={
                "cluster": _("{n} PTCE regroupés : zoomer sur ce groupe"),
                "see_page": _("Voir la fiche"),
            },
        )
        return context


def embed_snippet(territory):
    """``{"url", "code"}``: the absolute address (``settings.SITE_URL``) of a territory's
    embeddable map and the ``<iframe>`` to paste in another site."""
    url = f"{settings.SITE_URL}{reverse('pages:embed-map')}?{territory.kind}={territory.code}"
    title = _("Les PTCE %(place)s — Portail des PTCE") % {"place": territory.in_name}
    code = format_html(
        '<iframe src="{}" title="{}" width="100%" height="600" loading="lazy"></iframe>',
        url,
        title,
    )
    return {"url": url, "code": code}
