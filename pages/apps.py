from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """Pages that combine PTCEs, supports and territories (home page, health check, set-up of
    a new portal). Sits above ``collectivites`` and ``directory``."""

    name = "pages"
    verbose_name = _("Pages du portail")
