"""PTCEs, their members and the national calls they won."""

from django.contrib.postgres.search import SearchVectorField, TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import OuterRef, Prefetch, Q, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from collectivites.models import Territory, TerritoryAncestry, TerritoryKind
from core.db import GroupConcat
from core.images import ImageContentValidator
from core.models import coordinates_constraint, year_range_constraint
from core.text import normalize

from .choices import Charter, PtceStatus
from .reference import LegalForm, Stage, Theme
from .support import Experience, Support

TERRITORY_MODEL = "collectivites.Territory"
UNKNOWN_STATUS = "?"
DUPLICATE_SIMILARITY = 0.5  # PostgreSQL trigram similarity of two names (0 to 1)


def name_key(name):
    """A name without accents, case, spaces or punctuation: « Fabrica Nova » → fabricanova."""
    return normalize(name).replace(" ", "")


# Paths under /ptce/ that are not PTCE pages (directory/urls.py): never a PTCE's slug.
RESERVED_SLUGS = frozenset({"flux"})


CARD_DEFERRED = ["search_document", "search_text", "search_vector", "source"]


class PtceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PtceStatus.PUBLISHED)

    def newly_published(self, since=None):
        """Published PTCEs, the latest first publication first (feeds, alerts); with
        ``since``, only those first published after it."""
        queryset = self.published().filter(published_at__isnull=False)
        if since is not None:
            queryset = queryset.filter(published_at__gt=since)
        return queryset.order_by("-published_at", "-pk")

    def in_bbox(self, west, south, east, north):
        """PTCEs whose coordinates lie in the box (WGS84 degrees, edges included). A ``west``
        greater than ``east`` is a box crossing the antimeridian (RFC 7946, section 5.2)."""
        inside = Q(latitude__gte=south, latitude__lte=north)
        if west <= east:
            return self.filter(inside, longitude__gte=west, longitude__lte=east)
        return self.filter(inside, Q(longitude__gte=west) | Q(longitude__lte=east))

    def in_territory(self, territory):
        """PTCEs whose seat or one of whose territories of action lies in ``territory`` or
        contains it. The seat is the commune, or the département when no commune is known:
        a PTCE of Cusset matches Cusset, Vichy Communauté, the Allier and
        Auvergne-Rhône-Alpes; one acting on the whole Allier matches each of its communes."""
        return self.filter(pk__in=ptce_ids_in_territory(territory))

    def for_page(self):
        """The PTCE row of a page, with its places, stage and legal form (one query); the
        rest of the page comes from ``prefetch_page``."""
        return self.select_related("seat_commune", "departement", "stage", "legal_form")

    def with_places(self):
        """What a card needs to name the place and themes without extra queries."""
        return self.select_related("seat_commune", "departement", "stage").prefetch_related(
            "themes"
        )

    def possible_duplicates(self, name, departement, exclude_pk=None):
        """PTCEs of the same département whose name may be the same as ``name``: equal once
        accents, case, spaces and punctuation are ignored (« Ecopole ... d'Audruicq » and
        « Écopole … d’Audruicq », « Fabrica Nova » and « Fabricanova », on both databases),
        or, on PostgreSQL, close by trigram similarity (``DUPLICATE_SIMILARITY``)."""
        key = name_key(name)
        if not key or departement is None:
            return self.none()
        candidates = self.filter(departement_id=getattr(departement, "pk", departement))
        if exclude_pk is not None:
            candidates = candidates.exclude(pk=exclude_pk)
        same = [pk for pk, other in candidates.values_list("pk", "name") if name_key(other) == key]
        found = Q(pk__in=same)
        if connections[self.db].vendor == "postgresql":
            close = candidates.annotate(
                similarity=TrigramSimilarity("search_name", Value(normalize(name)))
            ).filter(similarity__gte=DUPLICATE_SIMILARITY)
            found |= Q(pk__in=close.values("pk"))
        return self.filter(found)

    def for_cards(self):
        """What a card shows, in one query: the place, the stage and, as ``theme_ids`` (text,
        comma-separated), the ids of its themes; ``directory.presenters.cards`` turns those
        into themes from the cached option lists."""
        themes = (
            Ptce.themes.through.objects.filter(ptce_id=OuterRef("pk"))
            .order_by()
            .values("ptce_id")
            .annotate(ids=GroupConcat("theme_id"))
            .values("ids")
        )
        return (
            self.select_related("seat_commune", "departement", "stage")
            # The search columns (several kB a PTCE) and the sources are never on a card.
            .defer(*CARD_DEFERRED)
            .annotate(theme_ids=Subquery(themes))
        )


class Ptce(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("résumé"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    seat_commune = models.ForeignKey(
        TERRITORY_MODEL,
        verbose_name=_("commune du siège"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seated_ptces",
        limit_choices_to={"kind": TerritoryKind.COMMUNE},
    )
    departement = models.ForeignKey(
        TERRITORY_MODEL,
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        related_name="departement_ptces",
        limit_choices_to={"kind": TerritoryKind.DEPARTEMENT},
        blank=True,  # derived from the commune in clean(); the column stays NOT NULL
        help_text=_("Déduit de la commune quand elle est renseignée."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    action_territories = models.ManyToManyField(
        TERRITORY_MODEL,
        verbose_name=_("territoires d'action"),
        related_name="acting_ptces",
        blank=True,
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thématiques"), related_name="ptces", blank=True
    )
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stade"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ptces",
    )
    legal_form = models.ForeignKey(
        LegalForm,
        verbose_name=_("forme juridique"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ptces",
    )
    carrying_structure = models.CharField(_("structure porteuse"), max_length=200, blank=True)
    year_founded = models.PositiveSmallIntegerField(_("année de création"), null=True, blank=True)
    charter_signed = models.CharField(
        _("charte des PTCE signée"),
        max_length=8,
        choices=Charter.choices,
        default=Charter.UNKNOWN,
    )
    website = models.URLField(_("site web"), max_length=300, blank=True)
    email = models.EmailField(
        _("courriel public"),
        blank=True,
        help_text=_("Adresse de la structure, jamais celle d'une personne."),
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to="logos/", blank=True, validators=[ImageContentValidator()]
    )
    status = models.CharField(
        _("statut de publication"),
        max_length=10,
        choices=PtceStatus.choices,
        default=PtceStatus.DRAFT,
    )
    source = models.TextField(_("source"), blank=True)
    last_verified = models.DateField(_("vérifié le"), null=True, blank=True)
    # Set when the PTCE is first published (``mark_published``): feeds, alerts, sitemap.
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # Search columns, maintained by directory.search.refresh_search_fields (see docs).
    search_name = models.CharField(max_length=200, blank=True, editable=False)
    search_document = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PtceQuerySet.as_manager()
    # Every save through the ORM (admin, shell) writes a version; bulk writes (the CSV
    # import, refresh_search_fields) write none. The search columns are derived: not kept.
    history = HistoricalRecords(
        m2m_fields=[themes, action_territories],
        excluded_fields=["search_name", "search_document", "search_text", "search_vector"],
    )

    class Meta:
        verbose_name = _("PTCE")
        verbose_name_plural = _("PTCE")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "departement", name="ptce_unique_name_per_departement"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PtceStatus.values), name="ptce_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(charter_signed__in=Charter.values), name="ptce_charter_valid"
            ),
            year_range_constraint("year_founded", "ptce_year_founded_range"),
            coordinates_constraint("ptce_coordinates_valid"),
        ]
        indexes = [
            # The directory's two orders, over published PTCEs only (partial indexes).
            models.Index(
                fields=["search_name", "id"],
                name="ptce_published_name_idx",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["-updated_at", "id"],
                name="ptce_published_recent_idx",
                condition=Q(status="published"),
            ),
            # The three facets that are columns, counted in one pass over this narrow index
            # (``directory.facets``), which also serves the count of the published PTCEs.
            models.Index(
                fields=["stage", "legal_form", "charter_signed"],
                name="ptce_published_facets_idx",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["-published_at", "-id"],
                name="ptce_published_at_idx",
                condition=Q(status="published"),
            ),
            models.Index(fields=["status", "name"], name="ptce_status_name_idx"),
            models.Index(fields=["updated_at"], name="ptce_updated_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.seat_commune_id and not self.departement_id:
            self.departement = commune_departement(self.seat_commune)
        if self.seat_commune_id and self.latitude is None and self.longitude is None:
            self.latitude = self.seat_commune.latitude
            self.longitude = self.seat_commune.longitude
        if self.mark_published() and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:ptce-detail", kwargs={"slug": self.slug})

    def mark_published(self, now=None):
        """Give a published PTCE its publication date, the first time it is published (a
        PTCE sent back to review and published again keeps its first date: feeds and
        alerts announce it once). True when the date was set. The CSV import calls it on
        its bulk writes."""
        if self.status != PtceStatus.PUBLISHED or self.published_at is not None:
            return False
        self.published_at = now or timezone.now()
        return True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the public saw before this instance changes (see ``is_or_was_public``).
        instance._loaded_status = instance.__dict__.get("status", UNKNOWN_STATUS)
        return instance

    @property
    def is_or_was_public(self):
        """Whether a write of this PTCE changes what the public sees: it is published, or
        was when it was read (a new PTCE was not; an instance read without its status
        counts as public)."""
        was = getattr(self, "_loaded_status", None if self._state.adding else UNKNOWN_STATUS)
        return PtceStatus.PUBLISHED in (self.status, was) or was == UNKNOWN_STATUS

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("Cette adresse est réservée : choisissez-en une autre.")}
            )
        if self.seat_commune_id:
            if self.seat_commune.kind != TerritoryKind.COMMUNE:
                raise ValidationError({"seat_commune": _("Choisissez une commune.")})
            departement = commune_departement(self.seat_commune)
            if self.departement_id and self.departement_id != departement.pk:
                raise ValidationError(
                    {
                        "departement": _("La commune %(commune)s est dans le département %(code)s.")
                        % {"commune": self.seat_commune.name, "code": departement.code}
                    }
                )
            self.departement = departement
        elif not self.departement_id:
            raise ValidationError(
                {"departement": _("Indiquez la commune du siège ou, à défaut, le département.")}
            )

    @property
    def is_public(self):
        return self.status == PtceStatus.PUBLISHED

    @property
    def region(self):
        return self.departement.region

    @property
    def place_label(self):
        if self.seat_commune_id:
            return f"{self.seat_commune.name} ({self.departement.code})"
        return f"{self.departement.name} ({self.departement.code})"


def prefetch_page(ptces):
    """Everything else a PTCE page shows, in a fixed number of queries (one per relation);
    only published supports and experiences."""
    prefetch_related_objects(
        ptces,
        "themes",
        Prefetch("members", queryset=Member.objects.select_related("territory")),
        "national_calls",
        "action_territories",
        Prefetch(
            "supports",
            queryset=Support.objects.published_rows().select_related(
                "collectivite", "support_type"
            ),
        ),
        Prefetch(
            "experiences",
            queryset=Experience.objects.published()
            .select_related("collectivite")
            .prefetch_related("support_types"),
        ),
    )


def ptce_ids_in_territory(territory):
    """Subquery of the ids of the PTCEs ``in_territory(territory)``.

    A ``UNION`` of small indexed look-ups, one per way a PTCE can be related to the
    territory (its seat commune, or its département when it has no commune, or a territory
    of action; each being the territory, one of its ancestors or one of its descendants).
    Each branch is planned on its own and follows an index; the same test written as one
    ``OR`` of conditions made PostgreSQL scan every PTCE (see docs/performance.md)."""
    links = TerritoryAncestry.objects
    related = [  # (lookup suffix, value): the territory, its ancestors, its descendants
        ("", territory.pk),
        ("__in", links.filter(territory=territory).values("ancestor_id")),
        ("__in", links.filter(ancestor=territory).values("territory_id")),
    ]
    acting = Ptce.action_territories.through.objects
    branches = []
    for suffix, value in related:
        branches += [
            Ptce.objects.filter(**{f"seat_commune_id{suffix}": value}).values("pk"),
            Ptce.objects.filter(
                seat_commune__isnull=True, **{f"departement_id{suffix}": value}
            ).values("pk"),
            acting.filter(**{f"territory_id{suffix}": value}).values("ptce_id"),
        ]
    branches = [branch.order_by() for branch in branches]
    return branches[0].union(*branches[1:])


def commune_departement(commune):
    return Territory.objects.get(
        kind=TerritoryKind.DEPARTEMENT,
        pk__in=TerritoryAncestry.objects.filter(territory=commune).values("ancestor"),
    )


class MemberCategory(models.TextChoices):
    ESS = "ess", _("Entreprise de l'ESS")
    COMPANY = "entreprise", _("Entreprise")
    COLLECTIVITE = "collectivite", _("Collectivité")
    RESEARCH = "recherche", _("Recherche")
    TRAINING = "formation", _("Formation")
    OTHER = "autre", _("Autre")


class Member(models.Model):
    """An organisation taking part in a PTCE (never a private individual)."""

    ptce = models.ForeignKey(
        Ptce, verbose_name=_("PTCE"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("nom"), max_length=200)
    category = models.CharField(_("catégorie"), max_length=12, choices=MemberCategory.choices)
    territory = models.ForeignKey(
        TERRITORY_MODEL,
        verbose_name=_("territoire de la collectivité"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ptce_memberships",
        help_text=_("Pour une collectivité membre : son territoire."),
    )
    website = models.URLField(_("site web"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ptce", "name"], name="member_unique_per_ptce"),
            models.CheckConstraint(
                condition=Q(category__in=MemberCategory.values), name="member_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(territory__isnull=True) | Q(category=MemberCategory.COLLECTIVITE),
                name="member_territory_only_for_collectivite",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_category_display()})"


class NationalCallAward(models.Model):
    """A national call won by the PTCE (appel à projets 2013/2015, AMI PTCE 2021…)."""

    ptce = models.ForeignKey(
        Ptce, verbose_name=_("PTCE"), on_delete=models.CASCADE, related_name="national_calls"
    )
    name = models.CharField(_("appel"), max_length=200)
    year = models.PositiveSmallIntegerField(_("année"))

    class Meta:
        verbose_name = _("appel national remporté")
        verbose_name_plural = _("appels nationaux remportés")
        ordering = ["year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ptce", "name", "year"], name="call_award_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="call_award_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"
