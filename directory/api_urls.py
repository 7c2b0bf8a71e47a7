"""``/api/v1/``: the map's JSON API (see ``directory.api``)."""

from django.urls import path

from . import api

app_name = "directory_api"

urlpatterns = [
    path("ptce.geojson", api.PtceGeoJsonView.as_view(), name="ptce-geojson"),
    path("coverage.json", api.CoverageView.as_view(), name="coverage"),
    path(
        "outlines/departements.geojson",
        api.OutlinesView.as_view(),
        {"name": "departements"},
        name="outlines-departements",
    ),
    path(
        "outlines/regions.geojson",
        api.OutlinesView.as_view(),
        {"name": "regions"},
        name="outlines-regions",
    ),
    path("communes/<int:pk>/point.json", api.CommunePointView.as_view(), name="commune-point"),
]
