"""A subscription to the new PTCEs of a territory (optionally of one theme).

Personal data: the address alone (no name), kept while the subscription lives. An
unconfirmed subscription is deleted after ``ALERTS_CONFIRM_DAYS`` (``send_alerts`` purges
them); unsubscribing deletes the row. The address is never shown (pages say « vérifiez votre
boîte »), never exported, masked in the back-office (``masked_email``)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_urlsafe(24)


def masked_email(email):
    """``c…@e…`` for ``camille@example.org``: enough to tell two rows apart, not to read."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain[:1]}…"


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_before(self, moment):
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)


class Subscription(models.Model):
    email = models.EmailField(_("courriel"), max_length=254)
    territory = models.ForeignKey(
        "collectivites.Territory",
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    theme = models.ForeignKey(
        "directory.Theme",
        verbose_name=_("thématique"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # Signed into the links of the e-mails (``alerts.tokens``): never the primary key.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    # The digests: PTCEs first published after this moment (the confirmation, then each send).
    last_sent_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)
    digests_sent = models.PositiveIntegerField(_("envois"), default=0)
    ip_hash = models.CharField(_("empreinte de l'adresse IP"), max_length=64, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement aux alertes")
        verbose_name_plural = _("abonnements aux alertes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "territory"],
                condition=Q(theme__isnull=True),
                name="alert_unique_without_theme",
            ),
            models.UniqueConstraint(
                fields=["email", "territory", "theme"],
                condition=Q(theme__isnull=False),
                name="alert_unique_with_theme",
            ),
        ]
        indexes = [
            models.Index(fields=["confirmed_at"], name="alert_confirmed_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="alert_ip_recent_idx"),
            models.Index(fields=["email", "created_at"], name="alert_email_recent_idx"),
        ]

    def __str__(self):
        return f"{masked_email(self.email)} — {self.territory}"

    @property
    def since(self):
        """PTCEs first published after this moment go in the next digest."""
        return self.last_sent_at or self.confirmed_at
