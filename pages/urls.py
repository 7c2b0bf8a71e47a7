from django.urls import path

from . import territory_views, views

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("territoires/", territory_views.TerritoryIndexView.as_view(), name="territory-index"),
    path(
        "territoires/recherche.json",
        territory_views.TerritorySearchView.as_view(),
        name="territory-search",
    ),
    path(
        "territoires/<str:kind>/<str:code>/",
        territory_views.TerritoryView.as_view(),
        name="territory",
    ),
]
