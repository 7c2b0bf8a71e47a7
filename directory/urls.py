"""The directory's pages: ``/ptce/``, a PTCE's page, and ``/experiences/``."""

from django.urls import path

from . import experience_views, views

app_name = "directory"

urlpatterns = [
    path("ptce/", views.PtceListView.as_view(), name="ptce-list"),
    path("ptce/<slug:slug>/", views.PtceDetailView.as_view(), name="ptce-detail"),
    path("experiences/", experience_views.ExperienceListView.as_view(), name="experience-list"),
    path(
        "experiences/<slug:slug>/",
        experience_views.ExperienceDetailView.as_view(),
        name="experience-detail",
    ),
]
