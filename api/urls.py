"""The JSON endpoints, mounted at the site's root: ``/api/v1/…`` and the territory
autocomplete ``/territoires/recherche.json``."""

from django.urls import path

from . import docs_views, guide_views, v1_views, views

app_name = "api"

urlpatterns = [
    # The API v1 (Django REST framework, documented by the OpenAPI schema).
    path("api/v1/ptce/", v1_views.PtceListView.as_view(), name="v1-ptce-list"),
    path("api/v1/ptce/<slug:slug>/", v1_views.PtceDetailView.as_view(), name="v1-ptce-detail"),
    path("api/v1/territoires/", v1_views.TerritorySearchView.as_view(), name="v1-territories"),
    path("api/v1/experiences/", guide_views.ExperienceListView.as_view(), name="v1-experiences"),
    path("api/v1/dispositifs/", guide_views.SchemeListView.as_view(), name="v1-schemes"),
    path("api/v1/soutiens/", guide_views.SupportTypeListView.as_view(), name="v1-support-types"),
    path("api/v1/schema/", docs_views.SchemaView.as_view(), name="schema"),
    path("api/v1/docs/", docs_views.DocsView.as_view(), name="docs"),
    # The map's endpoints.
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
