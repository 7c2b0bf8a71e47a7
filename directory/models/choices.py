"""Choices of a PTCE's fields, shared by the models that need them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PtceStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    REVIEW = "review", _("En relecture")
    PUBLISHED = "published", _("Publié")
    ARCHIVED = "archived", _("Archivé")


class Charter(models.TextChoices):
    YES = "oui", _("Oui")
    NO = "non", _("Non")
    UNKNOWN = "inconnu", _("Non renseigné")
