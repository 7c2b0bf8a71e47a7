"""A suggestion from the public: a new PTCE or a correction of an existing one, waiting for
a curator. Its proposed values are those of the import format (``suggestions.fields``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from collectivites.models import TerritoryKind


class SuggestionKind(models.TextChoices):
    NEW = "new", _("Nouveau PTCE")
    CORRECTION = "correction", _("Correction d'une fiche")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Refusée")


class Suggestion(models.Model):
    kind = models.CharField(_("type"), max_length=12, choices=SuggestionKind.choices)
    ptce = models.ForeignKey(
        "directory.Ptce",
        verbose_name=_("PTCE"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text=_("La fiche corrigée, ou celle créée en acceptant une proposition."),
    )
    departement = models.ForeignKey(
        "collectivites.Territory",
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": TerritoryKind.DEPARTEMENT},
        help_text=_("Celui de la fiche corrigée, ou celui proposé : il décide qui modère."),
    )
    values = models.JSONField(_("valeurs proposées"), default=dict, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    proposer_name = models.CharField(_("nom de la personne"), max_length=100, blank=True)
    proposer_email = models.EmailField(_("courriel de la personne"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    decline_reason = models.TextField(_("motif du refus"), max_length=2000, blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    processed_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    # A keyed digest of the sender's IP (never the IP itself), for the rate limit.
    ip_hash = models.CharField(_("empreinte de l'adresse IP"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SuggestionKind.values), name="suggestion_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=SuggestionKind.CORRECTION) | Q(ptce__isnull=False),
                name="suggestion_correction_has_ptce",
            ),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.DECLINED) & Q(decline_reason="")
                | Q(status=SuggestionStatus.DECLINED) & ~Q(decline_reason=""),
                name="suggestion_reason_iff_declined",
            ),
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.OPEN, processed_at__isnull=True)
                | (~Q(status=SuggestionStatus.OPEN) & Q(processed_at__isnull=False)),
                name="suggestion_processed_at_iff_processed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "departement"], name="suggestion_queue_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="suggestion_ip_recent_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.subject}"

    @property
    def subject(self):
        """The name the suggestion is about: the PTCE's, or the proposed one."""
        if self.kind == SuggestionKind.CORRECTION and self.ptce_id:
            return self.ptce.name
        return self.values.get("nom", "") or str(_("(sans nom)"))

    @property
    def is_open(self):
        return self.status == SuggestionStatus.OPEN
