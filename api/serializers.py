"""What the API v1 says about territories and PTCEs: stable field names (English, the
territory levels keeping the French names of the filters: ``region``, ``departement``,
``epci``, ``commune``), each described in French for the OpenAPI schema.

The serializers only read what the views fetched beforehand (no query of their own): the
views select and prefetch, and set each PTCE's ``api_region`` (``api.regions``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from collectivites.models import TerritoryKind
from directory.models import Charter, MemberCategory


def related_list(serializer_class, help_text):
    """A read-only list of the rows of the relation named as the field (a manager: DRF's
    list serializer calls its ``all()``, which reads what the view prefetched)."""
    return serializer_class(many=True, read_only=True, help_text=help_text)


def absolute(serializer, path):
    """``path`` as an absolute URL of the request's site (the site's address is computed
    once per answer and kept in the serializer's context, shared by nested serializers)."""
    context = serializer.context
    site = context.get("_site")
    if site is None:
        request = context.get("request")
        site = context["_site"] = request.build_absolute_uri("/")[:-1] if request else ""
    return f"{site}{path}"


def slug_url(serializer, url_name, slug):
    """The absolute URL of ``url_name`` for ``slug``: one ``reverse`` per answer, then a
    substitution (a ``reverse`` per row cost a fifth of a list's time)."""
    patterns = serializer.context.setdefault("_patterns", {})
    if url_name not in patterns:
        patterns[url_name] = reverse(url_name, kwargs={"slug": "SLUG"}).rsplit("SLUG", 1)
    before, after = patterns[url_name]
    return absolute(serializer, f"{before}{slug}{after}")


class TerritoryRefSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        source="kind",
        choices=TerritoryKind.choices,
        read_only=True,
        help_text=_("Niveau du territoire : region, departement, epci ou commune."),
    )
    code = serializers.CharField(
        read_only=True,
        help_text=_(
            "Code officiel : code INSEE pour une région, un département ou une commune, "
            "numéro SIREN pour une intercommunalité (EPCI)."
        ),
    )
    name = serializers.CharField(
        read_only=True, help_text=_("Nom officiel (Code officiel géographique de l'INSEE).")
    )
    url = serializers.SerializerMethodField(
        help_text=_("Adresse absolue de la page du territoire sur le portail.")
    )

    def get_url(self, territory) -> str:
        return absolute(self, territory.get_absolute_url())


class ReferenceSerializer(serializers.Serializer):
    slug = serializers.SlugField(
        read_only=True, help_text=_("Identifiant stable, utilisable dans les filtres.")
    )
    name = serializers.CharField(read_only=True, help_text=_("Libellé affiché sur le portail."))


class PtceSerializer(serializers.Serializer):
    """A PTCE in a list: what a card of the directory shows, and more."""

    id = serializers.IntegerField(read_only=True, help_text=_("Identifiant numérique stable."))
    slug = serializers.SlugField(
        read_only=True, help_text=_("Identifiant textuel stable, dernier segment des adresses.")
    )
    name = serializers.CharField(read_only=True, help_text=_("Nom du PTCE."))
    summary = serializers.CharField(
        read_only=True, help_text=_("Résumé en une phrase (peut être vide).")
    )
    url = serializers.SerializerMethodField(
        help_text=_("Adresse absolue de la page du PTCE sur le portail.")
    )
    api_url = serializers.SerializerMethodField(
        help_text=_("Adresse absolue de la fiche complète du PTCE dans l'API.")
    )
    commune = TerritoryRefSerializer(
        source="seat_commune",
        read_only=True,
        allow_null=True,
        help_text=_("Commune du siège (null quand seul le département est connu)."),
    )
    departement = TerritoryRefSerializer(read_only=True, help_text=_("Département du siège."))
    region = TerritoryRefSerializer(
        source="api_region",
        read_only=True,
        allow_null=True,
        help_text=_("Région du siège (null pour une collectivité d'outre-mer sans région)."),
    )
    latitude = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_("Latitude WGS84 en degrés (par défaut, la mairie de la commune du siège)."),
    )
    longitude = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Longitude WGS84 en degrés.")
    )
    themes = related_list(
        ReferenceSerializer, _("Thématiques, dans l'ordre d'affichage du portail.")
    )
    stage = ReferenceSerializer(
        read_only=True, allow_null=True, help_text=_("Stade de développement du PTCE.")
    )
    legal_form = ReferenceSerializer(
        read_only=True, allow_null=True, help_text=_("Forme juridique de la structure porteuse.")
    )
    charter_signed = serializers.ChoiceField(
        choices=Charter.choices,
        read_only=True,
        help_text=_("Charte des PTCE signée : oui, non ou inconnu."),
    )
    year_founded = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Année de création.")
    )
    website = serializers.CharField(
        read_only=True, help_text=_("Site web du PTCE (peut être vide).")
    )
    last_verified = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("Date de la dernière vérification de la fiche par l'équipe du portail."),
    )
    updated_at = serializers.DateTimeField(
        read_only=True, help_text=_("Date et heure de la dernière modification de la fiche.")
    )

    def get_url(self, ptce) -> str:
        return slug_url(self, "directory:ptce-detail", ptce.slug)

    def get_api_url(self, ptce) -> str:
        return slug_url(self, "api:v1-ptce-detail", ptce.slug)


class MemberSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text=_("Nom de l'organisation membre."))
    category = serializers.ChoiceField(
        choices=MemberCategory.choices,
        read_only=True,
        help_text=_("Catégorie : ess, entreprise, collectivite, recherche, formation ou autre."),
    )
    territory = TerritoryRefSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Pour une collectivité membre, son territoire ; sinon null."),
    )
    website = serializers.CharField(read_only=True, help_text=_("Site web (peut être vide)."))


class NationalCallSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text=_("Appel national remporté."))
    year = serializers.IntegerField(read_only=True, help_text=_("Année de l'appel."))


class SupportTypeRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(
        read_only=True, help_text=_("Identifiant du type de soutien (filtre support).")
    )
    title = serializers.CharField(read_only=True, help_text=_("Intitulé du type de soutien."))


class PtceSupportSerializer(serializers.Serializer):
    collectivite = TerritoryRefSerializer(
        read_only=True, help_text=_("Collectivité qui apporte le soutien.")
    )
    support_type = SupportTypeRefSerializer(read_only=True, help_text=_("Type de soutien."))
    description = serializers.CharField(
        read_only=True, help_text=_("Description du soutien (peut être vide).")
    )
    start_year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Première année du soutien.")
    )
    end_year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Dernière année du soutien (null : en cours).")
    )


class ExperienceRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True, help_text=_("Identifiant du retour d'expérience."))
    title = serializers.CharField(read_only=True, help_text=_("Titre du retour d'expérience."))
    url = serializers.SerializerMethodField(
        help_text=_("Adresse absolue de la page du retour d'expérience.")
    )

    def get_url(self, experience) -> str:
        return slug_url(self, "directory:experience-detail", experience.slug)


class PtceDetailSerializer(PtceSerializer):
    """A PTCE's whole public entry."""

    description = serializers.CharField(
        read_only=True, help_text=_("Présentation du PTCE (texte, peut être vide).")
    )
    carrying_structure = serializers.CharField(
        read_only=True, help_text=_("Structure porteuse (peut être vide).")
    )
    email = serializers.CharField(
        read_only=True,
        help_text=_("Adresse électronique publique de la structure (jamais d'une personne)."),
    )
    phone = serializers.CharField(
        read_only=True, help_text=_("Téléphone de la structure (peut être vide).")
    )
    logo = serializers.SerializerMethodField(
        help_text=_("Adresse absolue du logo, ou null quand il n'y en a pas.")
    )
    action_territories = related_list(
        TerritoryRefSerializer, _("Territoires d'action, au-delà de la commune du siège.")
    )
    members = related_list(MemberSerializer, _("Les organisations membres du PTCE."))
    national_calls = related_list(NationalCallSerializer, _("Appels nationaux remportés."))
    supports = related_list(PtceSupportSerializer, _("Soutiens reçus de collectivités."))
    experiences = related_list(
        ExperienceRefSerializer, _("Retours d'expérience de collectivités qui nomment ce PTCE.")
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_logo(self, ptce):
        return absolute(self, ptce.logo.url) if ptce.logo else None


class TerritorySuggestionSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        source="kind",
        choices=TerritoryKind.choices,
        read_only=True,
        help_text=_("Niveau du territoire : region, departement, epci ou commune."),
    )
    code = serializers.CharField(
        read_only=True, help_text=_("Code officiel (INSEE, ou SIREN pour un EPCI).")
    )
    name = serializers.CharField(read_only=True, help_text=_("Nom officiel du territoire."))
    label = serializers.CharField(
        read_only=True,
        help_text=_("Libellé de l'autocomplétion : nom, départements et niveau."),
    )
    url = serializers.CharField(
        read_only=True, help_text=_("Adresse absolue de la page du territoire.")
    )
    filter = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "Le filtre de l'annuaire qui sélectionne ce territoire, par exemple "
            '{"departement": "03"}.'
        ),
    )
