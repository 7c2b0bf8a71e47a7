from django.urls import path

from . import guide_views, map_views, opendata_views, territory_views, views

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("carte/", map_views.MapView.as_view(), name="map"),
    path("donnees/", opendata_views.OpenDataView.as_view(), name="open-data"),
    path("soutenir/", guide_views.SupportGuideView.as_view(), name="support-guide"),
    path("soutenir/<slug:slug>/", guide_views.SupportTypeView.as_view(), name="support-type"),
    path("territoires/", territory_views.TerritoryIndexView.as_view(), name="territory-index"),
    path(
        "territoires/<str:kind>/<str:code>/",
        territory_views.TerritoryView.as_view(),
        name="territory",
    ),
]
