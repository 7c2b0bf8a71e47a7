from django.urls import path

from . import views

app_name = "collectivites"

urlpatterns = [
    path("soutenir/", views.SupportGuideView.as_view(), name="support-guide"),
    path("soutenir/<slug:slug>/", views.SupportTypeView.as_view(), name="support-type"),
    path("experiences/", views.ExperienceListView.as_view(), name="experience-list"),
    path(
        "experiences/<slug:slug>/",
        views.ExperienceDetailView.as_view(),
        name="experience-detail",
    ),
    path("dispositifs/", views.SchemeListView.as_view(), name="scheme-list"),
    path("dispositifs/<slug:slug>/", views.SchemeDetailView.as_view(), name="scheme-detail"),
]
