from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The curators' back-office (« Espace contributeurs »): roles and what each may do
    (``permissions``, the one place that decides), and the admin of every model. On top:
    reads the directory and the territories, read by nobody."""

    name = "backoffice"
    verbose_name = _("Espace contributeurs")

    def ready(self):
        from . import notifications  # noqa: F401 - the curators hear of new suggestions
