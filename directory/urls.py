from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.PtceListView.as_view(), name="ptce-list"),
    path("<slug:slug>/", views.PtceDetailView.as_view(), name="ptce-detail"),
]
