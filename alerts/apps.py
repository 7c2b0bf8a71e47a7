from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """E-mail alerts: anyone may subscribe to the new PTCEs of a territory (optionally a
    theme), with a double opt-in; ``manage.py send_alerts`` sends the weekly digests. On top:
    reads the directory and the territories; the back-office shows only counts and masked
    addresses (``backoffice/admin/alerts.py``)."""

    name = "alerts"
    verbose_name = _("Alertes par courriel")
