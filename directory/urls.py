"""The directory's pages: ``/ptce/``, its feeds, a PTCE's page, and ``/experiences/``."""

from django.urls import path

from . import experience_views, feeds, views

app_name = "directory"

urlpatterns = [
    path("ptce/", views.PtceListView.as_view(), name="ptce-list"),
    # Before the PTCE pages: "flux" would be read as a slug.
    path("ptce/flux/", feeds.NewPtceFeed(), name="ptce-feed"),
    path("ptce/flux/atom/", feeds.NewPtceAtomFeed(), name="ptce-feed-atom"),
    path("ptce/<slug:slug>/", views.PtceDetailView.as_view(), name="ptce-detail"),
    path("experiences/", experience_views.ExperienceListView.as_view(), name="experience-list"),
    path(
        "experiences/<slug:slug>/",
        experience_views.ExperienceDetailView.as_view(),
        name="experience-detail",
    ),
]
