from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The PTCEs, built on the territories of ``collectivites``."""

    name = "directory"
    verbose_name = _("Annuaire des PTCE")

    def ready(self):
        from . import logo_files, search_signals, signals  # noqa: F401 - connect the receivers
