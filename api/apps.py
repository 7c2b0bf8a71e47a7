from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Every JSON endpoint of the portal, with one error shape (``api.responses``). Sits on
    top: reads the directory and the territories, is read by nobody."""

    name = "api"
    verbose_name = _("API")
