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

from . import territory_search

# ``code__length`` in the constraints below.
models.CharField.register_lookup(Length)


class TerritoryKind(models.TextChoices):
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    COMMUNE = "commune", _("Commune")


# Broadest first: used to sort territories and to build breadcrumbs.
KIND_RANK = {
    TerritoryKind.REGION: 0,
    TerritoryKind.DEPARTEMENT: 1,
    TerritoryKind.EPCI: 2,
    TerritoryKind.COMMUNE: 3,
}

# INSEE "type de nom en clair" (TNCC): the article of a name and its forms after "de"/"en".
# https://www.insee.fr/fr/information/2560625
_ARTICLES = {
    0: ("", "de ", "à "),
    1: ("", "d'", "à "),
    2: ("le ", "du ", "au "),
    3: ("la ", "de la ", "à la "),
    4: ("les ", "des ", "aux "),
    5: ("l'", "de l'", "à l'"),
    6: ("aux ", "des ", "aux "),
    7: ("las ", "de las ", "à las "),
    8: ("los ", "de los ", "à los "),
}


# Names that take another preposition than their level's usual one.
_IN_NAME_EXCEPTIONS = {
    **{(TerritoryKind.REGION, code): "en" for code in ("01", "02", "03")},
    **{(TerritoryKind.DEPARTEMENT, code): "en" for code in ("971", "972", "973")},
    (TerritoryKind.REGION, "04"): "à",
    (TerritoryKind.REGION, "06"): "à",
    (TerritoryKind.DEPARTEMENT, "974"): "à",
    (TerritoryKind.DEPARTEMENT, "976"): "à",
    (TerritoryKind.DEPARTEMENT, "75"): "à",
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
        ordering = ["name", "code"]
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

    # --- names with their article --------------------------------------------------------
    # Départements and régions are named without their article (« Allier », tncc 5); communes
    # carry it (« Le Havre », tncc 2), and then « de » and « à » contract with it.
    def _split_article(self):
        """(article as written in the name or None, name without the article)."""
        article = _ARTICLES.get(self.tncc if self.tncc is not None else 0, _ARTICLES[0])[0]
        if article and self.name.lower().startswith(article):
            return self.name[: len(article)], self.name[len(article) :]
        return None, self.name

    def _forms(self):
        return _ARTICLES.get(self.tncc if self.tncc is not None else 0, _ARTICLES[0])

    @property
    def name_with_article(self):
        """« l'Allier », « la Drôme », « Le Havre », « Cusset »."""
        written, _bare = self._split_article()
        return self.name if written else f"{self._forms()[0]}{self.name}"

    @property
    def of_name(self):
        """« de l'Allier », « du Rhône », « du Havre », « de La Rochelle », « de Cusset »."""
        return self._contracted(1)

    def _contracted(self, form):
        written, bare = self._split_article()
        if written is None:
            return f"{self._forms()[form]}{self.name}"
        if self.tncc in (2, 4, 6):  # le → du/au, les → des/aux: the article merges
            return f"{self._forms()[form]}{bare}"
        preposition = "de " if form == 1 else "à "
        return f"{preposition}{self.name}"  # « de La Rochelle », « à L'Haÿ-les-Roses »

    @property
    def in_name(self):
        """« dans l'Allier », « en Occitanie », « à Cusset », « au Havre », « à Paris »,
        « à La Réunion », « en Guadeloupe »."""
        exception = _IN_NAME_EXCEPTIONS.get((self.kind, self.code))
        if exception:
            return f"{exception} {self.name}"
        if self.kind == TerritoryKind.COMMUNE:
            return self._contracted(2)
        if self.kind == TerritoryKind.REGION and self.tncc in (None, 0, 1, 3, 5):
            return f"en {self.name}"
        return f"dans {self.name_with_article}"

    @property
    def authority_name(self):
        """The collectivité behind the territory: « Département de l'Oise »."""
        if self.kind == TerritoryKind.REGION:
            return f"Région {self.name}"
        if self.kind == TerritoryKind.DEPARTEMENT:
            return f"Département {self.of_name}"
        if self.kind == TerritoryKind.COMMUNE:
            return f"Commune {self.of_name}"
        return self.name

    # --- hierarchy ---------------------------------------------------------------------
    @property
    def rank(self):
        return KIND_RANK[self.kind]

    def ancestors_by_rank(self):
        """Enclosing territories, broadest first (uses prefetched ``ancestors`` if any)."""
        return sorted(self.ancestors.all(), key=lambda t: (t.rank, t.name))

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
