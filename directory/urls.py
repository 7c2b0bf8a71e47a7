"""The directory's pages: ``/ptce/``, its feeds, a PTCE's page, and ``/experiences/``."""

from django.urls import path

from . import experience_views, export_views, feeds, territory_choice, views

app_name = "directory"

urlpatterns = [
    path("ptce/", views.PtceListView.as_view(), name="ptce-list"),
    # Two segments: no PTCE's slug can hide it.
    path(
        "ptce/filtre/territoire/",
        territory_choice.TerritoryChoiceView.as_view(),
        name="territory-choice",
    ),
    path("ptce/export.csv", export_views.PtceExportView.as_view(), name="ptce-export-csv"),
    path(
        "ptce/export.xlsx",
        export_views.PtceExportView.as_view(extension="xlsx"),
        name="ptce-export-xlsx",
    ),
    path("donnees/schema-ptce.json", export_views.PtceSchemaView.as_view(), name="schema-ptce"),
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
