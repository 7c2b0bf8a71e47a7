"""What collectivités can know and use without any PTCE: the ways to support a PTCE
(support types), schemes (dispositifs) and curated resources. Supports given to a PTCE and
experiences, which name PTCEs, live in ``directory``."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import year_range_constraint
from core.text import normalize

from .territory import TerritoryAncestry, TerritoryKind

TERRITORY_MODEL = "collectivites.Territory"
STATE = "etat"  # owner level of the State's schemes (no owner)
LEVELS = [*TerritoryKind.values]


def year_field(verbose_name):
    return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True)


def year_constraints(prefix):
    """Years within bounds and a period that does not end before it starts."""
    return [
        year_range_constraint("start_year", f"{prefix}_start_year_range"),
        year_range_constraint("end_year", f"{prefix}_end_year_range"),
        models.CheckConstraint(
            condition=Q(start_year__isnull=True)
            | Q(end_year__isnull=True)
            | Q(end_year__gte=F("start_year")),
            name=f"{prefix}_period_ordered",
        ),
    ]


class SupportType(models.Model):
    """A way for a collectivité to support a PTCE (fixed slugs, see data migration 0002)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("intitulé"), max_length=120)
    short_title = models.CharField(_("intitulé court"), max_length=60)
    description = models.TextField(_("explication"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("type de soutien")
        verbose_name_plural = _("types de soutien")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.title


def in_region_q(prefix, region):
    """``prefix`` (a territory relation) is the région or lies in it."""
    inside = TerritoryAncestry.objects.filter(ancestor=region).values("territory")
    return Q(**{prefix: region}) | Q(**{f"{prefix}__in": inside})


def text_q(text):
    query = Q()
    for word in normalize(text).split()[:12]:
        query &= Q(search_text__contains=word)
    return query


class SchemeQuerySet(models.QuerySet):
    def national(self):
        """The State's schemes (no owner)."""
        return self.filter(owner__isnull=True)

    def with_support(self, slugs):
        return self.filter(support_types__slug__in=slugs).distinct()

    def in_region(self, region):
        """The région's own schemes, those of collectivités inside it, and the State's."""
        return self.filter(in_region_q("owner", region) | Q(owner__isnull=True))

    def open_to(self, territory):
        """Schemes a collectivité can turn to: its own, those of the territories it lies in
        (its région's, its département's…) and the State's."""
        enclosing = TerritoryAncestry.objects.filter(territory=territory).values("ancestor")
        return self.filter(Q(owner=territory) | Q(owner__in=enclosing) | Q(owner__isnull=True))

    def of_level(self, levels):
        """Schemes whose owner is of one of these levels (``etat``: the State's)."""
        query = Q(owner__kind__in=[level for level in levels if level != STATE])
        if STATE in levels:
            query |= Q(owner__isnull=True)
        return self.filter(query)

    def search(self, text):
        return self.filter(text_q(text))

    def running(self, year=None):
        """Schemes the data says are open in ``year`` (this year by default): started by then
        (or no start known) and either ending that year or later, declared open-ended by their
        source (``ongoing``), or starting that very year. No end year alone says nothing."""
        year = year or timezone.localdate().year
        return self.filter(
            Q(start_year__isnull=True) | Q(start_year__lte=year),
            Q(end_year__gte=year) | Q(end_year__isnull=True, ongoing=True) | Q(start_year=year),
        )

    def finished(self, year=None):
        """Schemes whose end year is past."""
        year = year or timezone.localdate().year
        return self.filter(end_year__lt=year)


class Scheme(models.Model):
    """A dispositif: a région's call, a département's programme, the State's AMI PTCE."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=250)
    owner = models.ForeignKey(
        TERRITORY_MODEL,
        verbose_name=_("collectivité porteuse"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schemes",
        help_text=_("Laisser vide pour un dispositif de l'État."),
    )
    support_types = models.ManyToManyField(
        SupportType, verbose_name=_("types de soutien"), related_name="schemes", blank=True
    )
    description = models.TextField(_("description"))
    url = models.URLField(_("lien"), blank=True)
    start_year = year_field(_("depuis"))
    end_year = year_field(_("jusqu'à"))
    ongoing = models.BooleanField(
        _("ouvert sans date de fin selon la source"),
        default=False,
        help_text=_(
            "À cocher seulement si la source dit que le dispositif est permanent ou toujours "
            "ouvert. Sinon le portail n'affiche « En cours » que d'après les années."
        ),
    )
    source = models.CharField(_("source"), max_length=500)
    search_text = models.TextField(blank=True, editable=False)

    objects = SchemeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[support_types], excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["name"]
        constraints = year_constraints("scheme")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        owner = self.owner.name if self.owner_id else "État"
        self.search_text = normalize(f"{self.name} {self.description} {owner}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("collectivites:scheme-detail", kwargs={"slug": self.slug})

    def status(self, year=None):
        """``"running"``, ``"finished"`` or ``""`` (the data does not say), as ``running()``
        and ``finished()`` decide."""
        year = year or timezone.localdate().year
        if self.end_year is not None and self.end_year < year:
            return "finished"
        started = self.start_year is None or self.start_year <= year
        says_open = (
            (self.end_year is not None and self.end_year >= year)
            or (self.end_year is None and self.ongoing)
            or self.start_year == year
        )
        return "running" if started and says_open else ""

    @property
    def is_running(self):
        return self.status() == "running"

    @property
    def status_label(self):
        """« En cours », « Terminé », or nothing when the data does not say."""
        return {"running": _("En cours"), "finished": _("Terminé")}.get(self.status(), "")

    @property
    def is_national(self):
        return self.owner_id is None

    @property
    def owner_label(self):
        return self.owner.authority_name if self.owner else _("État")


class Resource(models.Model):
    """A curated "to go further" link for collectivités."""

    title = models.CharField(_("titre"), max_length=250, unique=True)
    url = models.URLField(_("lien"))
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    year = year_field(_("année"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["position", "title"]

    def __str__(self):
        return self.title
