"""The four levels of French territory that are also the collectivités: région, département,
EPCI à fiscalité propre (intercommunalité) and commune, keyed by their official codes.

Each territory stores links to *all* the territories it lies in (``ancestors``), so that a
match "up and down the hierarchy" is one indexed lookup instead of a walk.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from core.models import coordinates_constraint
from core.text import normalize

from .. import grammar
from . import territory_search

# ``code__length`` in the constraints below.
models.CharField.register_lookup(Length)


class TerritoryKind(models.TextChoices):
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    COMMUNE = "commune", _("Commune")


# Levels under which the sources list the overseas collectivities (see ``grammar``).
OVERSEAS_KINDS = (TerritoryKind.REGION, TerritoryKind.DEPARTEMENT)

# Broadest first: used to sort territories and to build breadcrumbs.
KIND_RANK = {
    TerritoryKind.REGION: 0,
    TerritoryKind.DEPARTEMENT: 1,
    TerritoryKind.EPCI: 2,
    TerritoryKind.COMMUNE: 3,
}


class TerritoryQuerySet(models.QuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def related_to(self, territory):
        """The territory itself, every territory it lies in and every territory lying in it."""
        links = TerritoryAncestry.objects
        return self.filter(
            Q(pk=territory.pk)
            | Q(pk__in=links.filter(ancestor=territory).values("territory"))
            | Q(pk__in=links.filter(territory=territory).values("ancestor"))
        )

    def within(self, territory):
        """Territories lying in ``territory`` (not itself)."""
        return self.filter(
            pk__in=TerritoryAncestry.objects.filter(ancestor=territory).values("territory")
        )

    def search(self, text):
        """Territories matching a name (any case, accents or not) or a code, best first
        (see ``territory_search``)."""
        return territory_search.search_territories(self, text)


class Territory(models.Model):
    kind = models.CharField(_("niveau"), max_length=12, choices=TerritoryKind.choices)
    code = models.CharField(
        _("code officiel"),
        max_length=9,
        help_text=_("Code INSEE (région, département, commune) ou SIREN (EPCI)."),
    )
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    search_name = models.CharField(
        _("nom normalisé"),
        max_length=200,
        editable=False,
        help_text=_("Nom en minuscules sans accents, pour la recherche."),
    )
    tncc = models.PositiveSmallIntegerField(
        _("type de nom (TNCC)"),
        null=True,
        blank=True,
        help_text=_("Code INSEE qui donne l'article du nom (le, la, les, l'…)."),
    )
    nature = models.CharField(
        _("nature juridique"),
        max_length=10,
        blank=True,
        help_text=_("Pour un EPCI : CC, CA, CU, MET…"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    postcodes = models.JSONField(_("codes postaux"), default=list, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    ancestors = models.ManyToManyField(
        "self",
        verbose_name=_("territoires englobants"),
        through="TerritoryAncestry",
        through_fields=("territory", "ancestor"),
        symmetrical=False,
        related_name="descendants",
        blank=True,
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["search_name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code"),
            models.CheckConstraint(
                condition=Q(kind__in=TerritoryKind.values), name="territory_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=TerritoryKind.REGION, code__length__in=[2, 3])
                    | Q(kind=TerritoryKind.DEPARTEMENT, code__length__in=[2, 3])
                    | Q(kind=TerritoryKind.EPCI, code__length=9)
                    | Q(kind=TerritoryKind.COMMUNE, code__length=5)
                ),
                name="territory_code_length_by_kind",
            ),
            coordinates_constraint("territory_coordinates_valid"),
        ]
        indexes = [
            models.Index(fields=["search_name"], name="territory_search_name_idx"),
            models.Index(fields=["kind", "name"], name="territory_kind_name_idx"),
        ]

    def __str__(self):
        if self.kind == TerritoryKind.COMMUNE:
            return f"{self.name} ({self.code})"
        if self.kind == TerritoryKind.DEPARTEMENT:
            return f"{self.name} ({self.code})"
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize(self.name)
        super().save(*args, **kwargs)

    # --- names with their article (``collectivites.grammar``) ------------------------------
    @property
    def phrase(self):
        return grammar.territory_phrase(self.kind, self.code, self.name, self.tncc)

    @property
    def the_name(self):
        """« l'Allier », « le Finistère », « Le Havre », « la CA Vichy Communauté »."""
        return self.phrase.the()

    name_with_article = the_name

    @property
    def of_name(self):
        """« de l'Allier », « du Finistère », « du Havre », « de La Rochelle », « de Cusset »."""
        return self.phrase.of()

    @property
    def to_name(self):
        """« à Cusset », « au Mans », « aux Abymes », « à La Rochelle »."""
        return self.phrase.to()

    @property
    def in_name(self):
        """« dans l'Allier », « en Occitanie », « à Cusset », « au Havre », « à Paris »,
        « à La Réunion », « en Guadeloupe », « dans la CA Vichy Communauté »."""
        return grammar.in_place(self.kind, self.code, self.name, self.tncc)

    @property
    def authority(self):
        return grammar.authority_phrase(self.kind, self.code, self.name, self.tncc)

    @property
    def authority_name(self):
        """The collectivité behind the territory, as a label: « Département de l'Oise »."""
        return self.authority.text

    @property
    def the_authority(self):
        """« le Département de l'Oise », « la Commune de Beauvais », « la CA Vichy
        Communauté »."""
        return self.authority.the()

    @property
    def of_authority(self):
        """« du Département de l'Oise », « de la Région Occitanie »."""
        return self.authority.of()

    @property
    def to_authority(self):
        """« au Département de l'Oise », « à la Commune de Beauvais »."""
        return self.authority.to()

    @property
    def is_overseas_collectivity(self):
        """Nouvelle-Calédonie, Polynésie française, Wallis et Futuna, Saint-Pierre-et-Miquelon,
        Saint-Barthélemy, Saint-Martin, the TAAF, Clipperton: listed by the sources as a
        région and a département, neither in law."""
        return self.kind in OVERSEAS_KINDS and self.code in grammar.OVERSEAS_COLLECTIVITY_CODES

    @property
    def kind_label(self):
        """The level as shown: « Département », « Collectivité d'outre-mer »."""
        if self.is_overseas_collectivity:
            return _("Collectivité d'outre-mer")
        return self.get_kind_display()

    # --- hierarchy ---------------------------------------------------------------------
    @property
    def rank(self):
        return KIND_RANK[self.kind]

    def ancestors_by_rank(self):
        """Enclosing territories, broadest first (uses prefetched ``ancestors`` if any)."""
        return sorted(self.ancestors.all(), key=lambda t: (t.rank, t.search_name, t.code))

    def ancestor_of_kind(self, kind):
        matches = [t for t in self.ancestors.all() if t.kind == kind]
        return matches[0] if matches else None

    @property
    def departement(self):
        if self.kind == TerritoryKind.DEPARTEMENT:
            return self
        return self.ancestor_of_kind(TerritoryKind.DEPARTEMENT)

    @property
    def region(self):
        if self.kind == TerritoryKind.REGION:
            return self
        return self.ancestor_of_kind(TerritoryKind.REGION)

    @property
    def epci(self):
        return self.ancestor_of_kind(TerritoryKind.EPCI)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class TerritoryAncestry(models.Model):
    """``territory`` lies in ``ancestor`` (directly or not): Cusset → Vichy Communauté, Allier,
    Auvergne-Rhône-Alpes."""

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="ancestry_links"
    )
    ancestor = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="descendancy_links"
    )

    class Meta:
        verbose_name = _("appartenance territoriale")
        verbose_name_plural = _("appartenances territoriales")
        ordering = ["territory_id", "ancestor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "ancestor"], name="territory_ancestry_unique"
            ),
            models.CheckConstraint(
                condition=~Q(territory=models.F("ancestor")), name="territory_ancestry_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.territory} ⊂ {self.ancestor}"
