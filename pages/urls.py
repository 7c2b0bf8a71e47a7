from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from directory.territory_choice import TerritoryChoiceView

from . import (
    embed_views,
    feeds,
    guide_views,
    map_views,
    opendata_views,
    site_views,
    syndication_views,
    territory_views,
    views,
)

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("carte/", map_views.MapView.as_view(), name="map"),
    path(
        "carte/territoire/",
        TerritoryChoiceView.as_view(list_url_name="pages:map"),
        name="map-territory-choice",
    ),
    path("donnees/", opendata_views.OpenDataView.as_view(), name="open-data"),
    path("embed/carte/", embed_views.EmbedMapView.as_view(), name="embed-map"),
    path("soutenir/", guide_views.SupportGuideView.as_view(), name="support-guide"),
    path("soutenir/<slug:slug>/", guide_views.SupportTypeView.as_view(), name="support-type"),
    path("territoires/", territory_views.TerritoryIndexView.as_view(), name="territory-index"),
    path(
        "territoires/<str:kind>/<str:code>/",
        territory_views.TerritoryView.as_view(),
        name="territory",
    ),
    path("mentions-legales/", site_views.LegalNoticeView.as_view(), name="legal-notice"),
    path("accessibilite/", site_views.AccessibilityView.as_view(), name="accessibility"),
    path("contact/", site_views.ContactView.as_view(), name="contact"),
    path("plan-du-site/", site_views.SiteMapView.as_view(), name="site-map"),
    # Browsers ask for /favicon.ico on their own: the static file (pages link the SVG).
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("favicon.ico"), permanent=True),
        name="favicon",
    ),
    path(
        "territoires/<str:kind>/<str:code>/flux/",
        feeds.TerritoryPtceFeed(),
        name="territory-feed",
    ),
    path(
        "territoires/<str:kind>/<str:code>/flux/atom/",
        feeds.TerritoryPtceAtomFeed(),
        name="territory-feed-atom",
    ),
    path("sitemap.xml", syndication_views.sitemap_xml, name="sitemap"),
    path("robots.txt", syndication_views.robots_txt, name="robots"),
]
