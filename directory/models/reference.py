"""Reference lists with fixed slugs (created by data migrations, editable in the admin)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceItem(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Theme(ReferenceItem):
    description = models.TextField(_("description"), blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")


class Stage(ReferenceItem):
    """Gestation, émergence, développement, consolidation."""

    description = models.TextField(_("description"), blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("stade")
        verbose_name_plural = _("stades")


class LegalForm(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("forme juridique")
        verbose_name_plural = _("formes juridiques")
