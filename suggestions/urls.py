from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("proposer/", views.ProposeView.as_view(), name="propose"),
    path("proposer/merci/", views.ThanksView.as_view(), name="thanks"),
    path("ptce/<slug:slug>/corriger/", views.CorrectView.as_view(), name="correct"),
]
