"""The JSON endpoints, mounted at the site's root: ``/api/v1/…`` and the territory
autocomplete ``/territoires/recherche.json``."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("api/v1/ptce.geojson", views.PtceGeoJsonView.as_view(), name="ptce-geojson"),
    path("api/v1/coverage.json", views.CoverageView.as_view(), name="coverage"),
    path(
        "api/v1/outlines/departements.geojson",
        views.OutlinesView.as_view(),
        {"name": "departements"},
        name="outlines-departements",
    ),
    path(
        "api/v1/outlines/regions.geojson",
        views.OutlinesView.as_view(),
        {"name": "regions"},
        name="outlines-regions",
    ),
    path(
        "api/v1/communes/<int:pk>/point.json",
        views.CommunePointView.as_view(),
        name="commune-point",
    ),
    path(
        "territoires/recherche.json", views.TerritorySearchView.as_view(), name="territory-search"
    ),
]
