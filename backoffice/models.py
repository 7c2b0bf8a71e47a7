"""Who curates what: each back-office account has a role, and a scope for the regional
curators (their régions) and the collectivité contributors (their collectivité)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from collectivites.models import TerritoryKind


class Role(models.TextChoices):
    NATIONAL = "national", _("Curateur national (RTES)")
    REGIONAL = "regional", _("Curateur régional (CRESS)")
    COLLECTIVITE = "collectivite", _("Contributeur d'une collectivité")
    READER = "reader", _("Lecteur")


class CuratorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="curator_profile",
    )
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.READER)
    regions = models.ManyToManyField(
        "collectivites.Territory",
        verbose_name=_("régions"),
        related_name="regional_curators",
        limit_choices_to={"kind": TerritoryKind.REGION},
        blank=True,
        help_text=_("Pour un curateur régional : les régions dont il tient les fiches."),
    )
    collectivite = models.ForeignKey(
        "collectivites.Territory",
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="contributors",
        null=True,
        blank=True,
        help_text=_("Pour un contributeur : la collectivité au nom de laquelle il propose."),
    )

    class Meta:
        verbose_name = _("rôle d'un compte")
        verbose_name_plural = _("rôles des comptes")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="curator_profile_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.COLLECTIVITE, collectivite__isnull=False)
                | (~Q(role=Role.COLLECTIVITE) & Q(collectivite__isnull=True)),
                name="curator_profile_collectivite_iff_contributor",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class SpreadsheetUpload(models.Model):
    """The spreadsheet a curator is importing, kept between its preview and its
    confirmation (one per account: a new upload replaces it). The confirmation reads and
    validates this copy again, never data posted back by the browser."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="spreadsheet_upload",
    )
    name = models.CharField(_("nom du fichier"), max_length=255)
    content = models.BinaryField(_("contenu"))
    digest = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("envoyé le"), auto_now=True)

    class Meta:
        verbose_name = _("tableur en cours d'import")
        verbose_name_plural = _("tableurs en cours d'import")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.name} ({self.user})"
