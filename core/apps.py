from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Generic helpers that depend on no other app of the portal: text normalisation,
    lenient query-string handling, database upkeep, and the one cache module with the
    public-data version it is keyed by."""

    name = "core"
    verbose_name = _("Socle technique")

    def ready(self):
        from . import cache  # noqa: F401 - connects its request signals
