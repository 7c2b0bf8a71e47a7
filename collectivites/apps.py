from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectivitesConfig(AppConfig):
    """Ground floor: territories (which are also the collectivités), support types, supports,
    experiences, schemes and resources. Imports nothing from ``directory``."""

    name = "collectivites"
    verbose_name = _("Territoires et collectivités")
