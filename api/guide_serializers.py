"""What the API v1 says about the knowledge for collectivités: experiences (retours
d'expérience), schemes (dispositifs) and support types. Field names in English, described
in French; no query of their own (the views prefetch, and set each experience's
``public_ptce``: its PTCE when published, else None, so that a draft is never named)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .serializers import (
    SupportTypeRefSerializer,
    TerritoryRefSerializer,
    absolute,
    related_list,
    slug_url,
)


class PtceRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True, help_text=_("Identifiant textuel du PTCE."))
    name = serializers.CharField(read_only=True, help_text=_("Nom du PTCE."))
    url = serializers.SerializerMethodField(
        help_text=_("Adresse absolue de la page du PTCE sur le portail.")
    )

    def get_url(self, ptce) -> str:
        return slug_url(self, "directory:ptce-detail", ptce.slug)


class ExperienceSerializer(serializers.Serializer):
    slug = serializers.SlugField(
        read_only=True, help_text=_("Identifiant stable du retour d'expérience.")
    )
    title = serializers.CharField(read_only=True, help_text=_("Titre du retour d'expérience."))
    url = serializers.SerializerMethodField(
        help_text=_("Adresse absolue de la page du retour d'expérience.")
    )
    collectivite = TerritoryRefSerializer(
        read_only=True, help_text=_("Collectivité dont c'est l'expérience.")
    )
    ptce = PtceRefSerializer(
        source="public_ptce",
        read_only=True,
        allow_null=True,
        help_text=_("PTCE concerné, quand il est publié ; sinon null."),
    )
    support_types = related_list(SupportTypeRefSerializer, _("Types de soutien mis en œuvre."))
    summary = serializers.CharField(read_only=True, help_text=_("Résumé."))
    body = serializers.CharField(read_only=True, help_text=_("Récit (peut être vide)."))
    quote = serializers.CharField(read_only=True, help_text=_("Citation (peut être vide)."))
    quote_author = serializers.CharField(
        read_only=True, help_text=_("Auteur de la citation (peut être vide).")
    )
    quote_author_role = serializers.CharField(
        read_only=True, help_text=_("Fonction de l'auteur de la citation (peut être vide).")
    )
    year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Année de l'expérience.")
    )
    source = serializers.CharField(read_only=True, help_text=_("Source de l'information."))

    def get_url(self, experience) -> str:
        return slug_url(self, "directory:experience-detail", experience.slug)


class SchemeSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True, help_text=_("Identifiant stable du dispositif."))
    name = serializers.CharField(read_only=True, help_text=_("Nom du dispositif."))
    url = serializers.SerializerMethodField(
        help_text=_("Adresse absolue de la page du dispositif sur le portail.")
    )
    link = serializers.CharField(
        source="url",
        read_only=True,
        help_text=_("Lien vers la page officielle du dispositif (peut être vide)."),
    )
    owner = TerritoryRefSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Collectivité porteuse ; null pour un dispositif de l'État."),
    )
    owner_label = serializers.CharField(
        read_only=True, help_text=_("Nom du porteur (« État » pour l'État).")
    )
    support_types = related_list(
        SupportTypeRefSerializer, _("Types de soutien que le dispositif apporte.")
    )
    description = serializers.CharField(read_only=True, help_text=_("Description du dispositif."))
    start_year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Première année (null : inconnue).")
    )
    end_year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Dernière année (null : sans terme connu).")
    )
    running = serializers.BooleanField(
        source="is_running", read_only=True, help_text=_("Le dispositif est-il en cours ?")
    )
    source = serializers.CharField(read_only=True, help_text=_("Source de l'information."))

    def get_url(self, scheme) -> str:
        return slug_url(self, "collectivites:scheme-detail", scheme.slug)


class SupportTypeSerializer(serializers.Serializer):
    slug = serializers.SlugField(
        read_only=True,
        help_text=_("Identifiant stable du type de soutien (valeur du filtre support)."),
    )
    title = serializers.CharField(read_only=True, help_text=_("Intitulé."))
    short_title = serializers.CharField(read_only=True, help_text=_("Intitulé court."))
    description = serializers.CharField(
        read_only=True, help_text=_("Ce que recouvre ce type de soutien.")
    )
    url = serializers.SerializerMethodField(
        help_text=_("Adresse absolue de la page du guide consacrée à ce type de soutien.")
    )
    ptce_count = serializers.IntegerField(
        read_only=True, help_text=_("Nombre de PTCE publiés qui ont reçu ce soutien.")
    )

    def get_url(self, support_type) -> str:
        return absolute(self, support_type.get_absolute_url())
