from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """Public suggestions: a visitor proposes a new PTCE or a correction of one; nothing is
    published until a curator accepts it. On top: reads the directory and the territories;
    the back-office (``backoffice/admin/suggestions.py``) moderates them."""

    name = "suggestions"
    verbose_name = _("Suggestions du public")
