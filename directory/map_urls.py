"""``/carte/``: the full-page map of the PTCEs (see ``directory.map_views``)."""

from django.urls import path

from . import map_views

app_name = "map"

urlpatterns = [
    path("", map_views.MapView.as_view(), name="map"),
]
