from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectivitesConfig(AppConfig):
    """Ground floor: territories (which are also the collectivités), support types, schemes
    and resources. Names nothing of the apps above it (tests/test_layers.py)."""

    name = "collectivites"
    verbose_name = _("Territoires et collectivités")

    def ready(self):
        from . import signals  # noqa: F401 - connect the receivers
