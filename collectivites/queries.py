"""Cached look-ups of the ground floor: reference lists that pages read on every request,
kept under the public-data version (``core.cache``)."""

from django.utils.translation import gettext_lazy as _

from core.cache import cached

from .models import SupportType, Territory, TerritoryAncestry, TerritoryKind
from .models.territory_search import departement_codes

SUGGESTION_LIMIT = 10
# « Cusset (03) — commune »: the level in lower case, after the name.
KIND_NOUNS = {
    TerritoryKind.REGION: _("région"),
    TerritoryKind.DEPARTEMENT: _("département"),
    TerritoryKind.EPCI: _("intercommunalité"),
    TerritoryKind.COMMUNE: _("commune"),
}


def support_types():
    """Every support type, in display order."""
    return cached("collectivites:support-types", lambda: list(SupportType.objects.all()))


def territory_options():
    """``{"region": [(code, name)], "departement": [(code, "code — name")]}``, régions by
    name and départements by code."""

    def compute():
        rows = Territory.objects.filter(
            kind__in=[TerritoryKind.REGION, TerritoryKind.DEPARTEMENT]
        ).values_list("kind", "code", "name")
        options = {TerritoryKind.REGION: [], TerritoryKind.DEPARTEMENT: []}
        for kind, code, name in sorted(rows, key=lambda row: row[1]):
            label = name if kind == TerritoryKind.REGION else f"{code} — {name}"
            options[kind].append((code, label))
        options[TerritoryKind.REGION].sort(key=lambda item: item[1])
        return options

    return cached("collectivites:territory-options", compute)


def regions_by_departement():
    """``{département id: its région}`` (cached)."""

    def compute():
        links = TerritoryAncestry.objects.filter(
            territory__kind=TerritoryKind.DEPARTEMENT, ancestor__kind=TerritoryKind.REGION
        ).select_related("ancestor")
        return {link.territory_id: link.ancestor for link in links}

    return cached("collectivites:regions-by-departement", compute)


def region_choices():
    return [(code, name) for code, name in territory_options()[TerritoryKind.REGION]]


def departement_choices():
    return territory_options()[TerritoryKind.DEPARTEMENT]


def suggestions(territories):
    """The autocomplete's answer for these territories (a list of dicts), in one query."""
    territories = list(territories)
    codes = departement_codes(territories)
    return [suggestion(territory, codes.get(territory.pk, [])) for territory in territories]


def suggestion(territory, departements):
    where = f" ({', '.join(departements)})" if departements else ""
    if territory.kind == TerritoryKind.REGION:
        where = ""
    return {
        "kind": territory.kind,
        "kind_label": str(territory.get_kind_display()),
        "code": territory.code,
        "name": territory.name,
        "label": f"{territory.name}{where} — {KIND_NOUNS[territory.kind]}",
        "url": territory.get_absolute_url(),
        "filter": {territory.kind: territory.code},
    }


def search_suggestions(text, kinds=None, limit=SUGGESTION_LIMIT):
    territories = Territory.objects.all()
    if kinds:
        territories = territories.filter(kind__in=kinds)
    return suggestions(territories.search(text)[:limit])
