from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alertes/", views.SubscribeView.as_view(), name="subscribe"),
    path("alertes/verifiez/", views.CheckMailboxView.as_view(), name="check-mailbox"),
    path("alertes/confirmer/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("alertes/desabonner/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
