"""What ties a collectivité to a PTCE: the supports it gives (one support type each) and
the experiences (retours d'expérience) it tells. They sit above both the territories
(``collectivites``) and the PTCEs, in the directory."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from collectivites.models import SupportType
from collectivites.models.knowledge import (
    in_region_q,
    text_q,
    year_constraints,
    year_field,
)
from core.models import year_range_constraint
from core.text import normalize

from .choices import PtceStatus

TERRITORY_MODEL = "collectivites.Territory"
UNKNOWN_STATUS = "?"


def status_field():
    """The moderation status of a support or an experience: the PTCEs' (``PtceStatus``, the
    same transitions in ``backoffice.permissions``). A new entry is a draft."""
    return models.CharField(
        _("statut"),
        max_length=10,
        choices=PtceStatus.choices,
        default=PtceStatus.DRAFT,
        db_index=True,
    )


def status_constraint(prefix):
    return models.CheckConstraint(
        condition=Q(status__in=PtceStatus.values), name=f"{prefix}_status_valid"
    )


class ModeratedMixin:
    """Remembers the status an entry was read with, so that a write can tell whether the
    public saw it (``is_or_was_public``, read by ``directory.signals``)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status", UNKNOWN_STATUS)
        return instance

    @property
    def is_or_was_public(self):
        """Published now or when read (a new entry was not; an entry read without its status
        counts as public)."""
        was = getattr(self, "_loaded_status", None if self._state.adding else UNKNOWN_STATUS)
        return PtceStatus.PUBLISHED in (self.status, was) or was == UNKNOWN_STATUS


class SupportQuerySet(models.QuerySet):
    def given_by(self, territory):
        return self.filter(collectivite=territory)

    def published(self):
        """What the public may see: published supports of published PTCEs."""
        return self.filter(status=PtceStatus.PUBLISHED, ptce__status=PtceStatus.PUBLISHED)

    def published_rows(self):
        """Supports published themselves, whatever their PTCE: for queries already restricted
        to published PTCEs (facets, the directory's ``support`` filter, a PTCE's page)."""
        return self.filter(status=PtceStatus.PUBLISHED)


class Support(ModeratedMixin, models.Model):
    """A collectivité supports a PTCE in one way, over some years."""

    collectivite = models.ForeignKey(
        TERRITORY_MODEL,
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="supports_given",
    )
    ptce = models.ForeignKey(
        "directory.Ptce", verbose_name=_("PTCE"), on_delete=models.CASCADE, related_name="supports"
    )
    support_type = models.ForeignKey(
        SupportType,
        verbose_name=_("type de soutien"),
        on_delete=models.PROTECT,
        related_name="supports",
    )
    description = models.TextField(_("description"), blank=True)
    start_year = year_field(_("depuis"))
    end_year = year_field(_("jusqu'à"))
    source = models.CharField(_("source"), max_length=500, blank=True)
    status = status_field()

    objects = SupportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        ordering = ["collectivite__name", "support_type__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectivite", "ptce", "support_type"], name="support_unique"
            ),
            *year_constraints("support"),
            status_constraint("support"),
        ]

    def __str__(self):
        return f"{self.collectivite} → {self.ptce} ({self.support_type.short_title})"

    @property
    def is_public(self):
        return self.status == PtceStatus.PUBLISHED


class ExperienceQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published experiences (an unpublished PTCE they name is
        hidden by the views)."""
        return self.filter(status=PtceStatus.PUBLISHED)

    def with_support(self, slugs):
        return self.filter(support_types__slug__in=slugs).distinct()

    def of_level(self, levels):
        return self.filter(collectivite__kind__in=levels)

    def in_region(self, region):
        return self.filter(in_region_q("collectivite", region))

    def search(self, text):
        return self.filter(text_q(text))


class Experience(ModeratedMixin, models.Model):
    """A retour d'expérience: what a collectivité did with or for a PTCE."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    collectivite = models.ForeignKey(
        TERRITORY_MODEL,
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="experiences",
    )
    ptce = models.ForeignKey(
        "directory.Ptce",
        verbose_name=_("PTCE"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experiences",
    )
    support_types = models.ManyToManyField(
        SupportType, verbose_name=_("types de soutien"), related_name="experiences", blank=True
    )
    summary = models.CharField(_("résumé"), max_length=400)
    body = models.TextField(_("récit"), blank=True)
    quote = models.TextField(_("citation"), blank=True)
    quote_author = models.CharField(_("auteur de la citation"), max_length=200, blank=True)
    quote_author_role = models.CharField(_("fonction de l'auteur"), max_length=200, blank=True)
    year = year_field(_("année"))
    source = models.CharField(_("source"), max_length=500)
    status = status_field()
    search_text = models.TextField(blank=True, editable=False)

    objects = ExperienceQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[support_types], excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("retour d'expérience")
        verbose_name_plural = _("retours d'expérience")
        ordering = ["title"]
        constraints = [
            year_range_constraint("year", "experience_year_range"),
            models.CheckConstraint(
                condition=Q(quote="") | ~Q(quote_author=""),
                name="experience_quote_attributed",
            ),
            status_constraint("experience"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        place = self.collectivite.name if self.collectivite_id else ""
        parts = [self.title, self.summary, self.body, self.quote, self.quote_author, place]
        self.search_text = normalize(" ".join(parts))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:experience-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status == PtceStatus.PUBLISHED
