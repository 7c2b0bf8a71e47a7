from django.urls import path

from . import (
    embed_views,
    feeds,
    guide_views,
    map_views,
    syndication_views,
    territory_views,
    views,
)

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("carte/", map_views.MapView.as_view(), name="map"),
    path("embed/carte/", embed_views.EmbedMapView.as_view(), name="embed-map"),
    path("soutenir/", guide_views.SupportGuideView.as_view(), name="support-guide"),
    path("soutenir/<slug:slug>/", guide_views.SupportTypeView.as_view(), name="support-type"),
    path("territoires/", territory_views.TerritoryIndexView.as_view(), name="territory-index"),
    path(
        "territoires/<str:kind>/<str:code>/",
        territory_views.TerritoryView.as_view(),
        name="territory",
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
