from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("territoires/<str:kind>/<str:code>/", views.TerritoryView.as_view(), name="territory"),
]
