"""The fields a visitor may propose, named as in the import format (``directory/services/
ptce_csv.py``), and what each is on a PTCE: its current value, how it is shown, how a
proposed value is written back."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from collectivites.models import Territory, TerritoryKind
from directory.models import LegalForm, Stage, Theme


@dataclass(frozen=True)
class ProposedField:
    key: str  # the import format's column
    attribute: str  # the PTCE's field
    label: str
    kind: str = "text"  # text, commune, departement, themes, stage, legal_form, year


FIELDS = [
    ProposedField("nom", "name", _("Nom")),
    ProposedField("commune_insee", "seat_commune", _("Commune du siège"), "commune"),
    ProposedField("departement", "departement", _("Département"), "departement"),
    ProposedField("thematiques", "themes", _("Thématiques"), "themes"),
    ProposedField("resume", "summary", _("Résumé")),
    ProposedField("description", "description", _("Description")),
    ProposedField("structure_porteuse", "carrying_structure", _("Structure porteuse")),
    ProposedField("annee_creation", "year_founded", _("Année de création"), "year"),
    ProposedField("stade", "stage", _("Stade"), "stage"),
    ProposedField("forme_juridique", "legal_form", _("Forme juridique"), "legal_form"),
    ProposedField("site_web", "website", _("Site web")),
    ProposedField("courriel", "email", _("Courriel de la structure")),
    ProposedField("telephone", "phone", _("Téléphone")),
]
BY_KEY = {field.key: field for field in FIELDS}
REFERENCE_MODELS = {"stage": Stage, "legal_form": LegalForm}


def current_values(ptce):
    """The PTCE's values in the import format (what a correction form starts from)."""
    values = {}
    for field in FIELDS:
        if field.kind == "commune":
            values[field.key] = ptce.seat_commune.code if ptce.seat_commune_id else ""
        elif field.kind == "departement":
            values[field.key] = ptce.departement.code
        elif field.kind == "themes":
            values[field.key] = sorted(ptce.themes.values_list("slug", flat=True))
        elif field.kind in REFERENCE_MODELS:
            related = getattr(ptce, field.attribute)
            values[field.key] = related.slug if related else ""
        elif field.kind == "year":
            values[field.key] = ptce.year_founded or ""
        else:
            values[field.key] = getattr(ptce, field.attribute) or ""
    return values


def display(field, value):
    """A value of the import format as a curator reads it."""
    if value in ("", None, []):
        return ""
    if field.kind == "commune":
        commune = Territory.objects.filter(kind=TerritoryKind.COMMUNE, code=value).first()
        return f"{commune.name} ({value})" if commune else str(value)
    if field.kind == "departement":
        departement = Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, code=value).first()
        return f"{departement.name} ({value})" if departement else str(value)
    if field.kind == "themes":
        names = dict(Theme.objects.filter(slug__in=value).values_list("slug", "name"))
        return ", ".join(names.get(slug, slug) for slug in value)
    if field.kind in REFERENCE_MODELS:
        found = REFERENCE_MODELS[field.kind].objects.filter(slug=value).first()
        return found.name if found else str(value)
    return str(value)


def differences(proposed, current):
    """``[(label, current shown, proposed shown)]`` for each proposed value that differs from
    the current one. An empty proposed value changes nothing (as in an import)."""
    rows = []
    for field in FIELDS:
        value = proposed.get(field.key)
        if value in ("", None, []):
            continue
        before = current.get(field.key, "")
        if field.kind == "themes":
            same = sorted(value) == sorted(before or [])
        else:
            same = str(value) == str(before)
        if not same:
            rows.append((field, display(field, before), display(field, value)))
    return rows
