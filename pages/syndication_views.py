"""``/sitemap.xml`` and ``/robots.txt``. The sitemap is cached by the cache rule
(``core.cache.cached``), keyed by the scheme and host of its absolute links and the page."""

from django.contrib.sitemaps.views import sitemap
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.cache import cached

from .sitemaps import SITEMAPS

# Paths robots need not crawl: back-office, accounts, the embeddable copy of the map (its
# content is on the portal's pages), forms, and the downloads of the directory.
ROBOTS_DISALLOWED = ["/admin/", "/compte/", "/embed/", "/alertes/", "/proposer/", "/ptce/export"]


@require_safe
def sitemap_xml(request):
    page = request.GET.get("p", "1")
    if not page.isdigit() or len(page) > 6:
        raise Http404("No page")  # as django's view does; a page out of range too

    def render():
        response = sitemap(request, sitemaps=SITEMAPS)
        response.render()
        return response.status_code, response["Content-Type"], response.content

    status, content_type, content = cached(
        "pages:sitemap", render, request.scheme, request.get_host(), page
    )
    return HttpResponse(content, content_type=content_type, status=status)


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('pages:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
