"""``/donnees/``: every download of the portal with its licence, update date, format and
schema (the Table Schema ``/donnees/schema-ptce.json`` is the directory's, beside its
exports)."""

from dataclasses import dataclass

from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.cache import cached, current_version
from directory.models import Ptce

LICENCE_NAME = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
TERRITORY_SOURCE_URL = "https://github.com/etalab/decoupage-administratif"
# Paths of the API's JSON (served by the api app when it is deployed): listed when they exist.
OPTIONAL_PATHS = {"api": "/api/v1/ptce/", "api_docs": "/api/v1/docs/"}


@dataclass(frozen=True)
class Download:
    title: str
    url: str
    format: str
    description: str
    schema_url: str = ""


def _exists(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def downloads():
    schema = reverse("directory:schema-ptce")
    items = [
        Download(
            _("Annuaire des PTCE (CSV)"),
            reverse("directory:ptce-export-csv"),
            _("CSV, UTF-8 avec BOM, séparateur « ; »"),
            _("Les PTCE publiés, une ligne par PTCE, au format d'import du portail."),
            schema,
        ),
        Download(
            _("Annuaire des PTCE (Excel)"),
            reverse("directory:ptce-export-xlsx"),
            _("XLSX (Excel, LibreOffice)"),
            _("Les mêmes colonnes que le CSV, toutes en texte."),
            schema,
        ),
        Download(
            _("Carte des PTCE (GeoJSON)"),
            reverse("api:ptce-geojson"),
            _("GeoJSON (RFC 7946), WGS84"),
            _("Les PTCE publiés localisés, avec nom, commune, département et thématiques."),
        ),
    ]
    if _exists(OPTIONAL_PATHS["api"]):
        documentation = OPTIONAL_PATHS["api_docs"] if _exists(OPTIONAL_PATHS["api_docs"]) else ""
        items.append(
            Download(
                _("API JSON"),
                OPTIONAL_PATHS["api"],
                _("JSON paginé"),
                _("Les PTCE publiés, avec les filtres de l'annuaire."),
                documentation,
            )
        )
    items += [
        Download(
            _("Schéma des fichiers CSV et Excel"),
            schema,
            _("Table Schema (JSON)"),
            _("Nom, description, type et contraintes de chaque colonne."),
        ),
        Download(
            _("Contours des départements"),
            reverse("api:outlines-departements"),
            _("GeoJSON simplifié"),
            _("D'après IGN ADMIN EXPRESS et le découpage administratif d'Etalab (COG 2026)."),
        ),
        Download(
            _("Contours des régions"),
            reverse("api:outlines-regions"),
            _("GeoJSON simplifié"),
            _("D'après IGN ADMIN EXPRESS et le découpage administratif d'Etalab (COG 2026)."),
        ),
    ]
    return items


def published_count():
    return Ptce.objects.published().count()


class OpenDataView(TemplateView):
    template_name = "pages/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            downloads=downloads(),
            updated_at=current_version().changed_at,
            ptce_count=cached("pages:open-data-count", published_count),
            licence_name=LICENCE_NAME,
            licence_url=LICENCE_URL,
            territory_source_url=TERRITORY_SOURCE_URL,
        )
        return context
