from django.urls import path

from . import views

app_name = "collectivites"

urlpatterns = [
    path("dispositifs/", views.SchemeListView.as_view(), name="scheme-list"),
    path("dispositifs/<slug:slug>/", views.SchemeDetailView.as_view(), name="scheme-detail"),
]
