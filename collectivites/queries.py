"""Cached look-ups of the ground floor: reference lists that pages read on every request,
kept under the public-data version (``core.cache``)."""

from django.utils.translation import gettext_lazy as _

from core.cache import cached

from .grammar import OVERSEAS_COLLECTIVITY_CODES
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
OVERSEAS_REGION_CODES = ("01", "02", "03", "04", "06")
OVERSEAS_COLLECTIVITY_NOUN = _("collectivité d'outre-mer")


def support_types():
    """Every support type, in display order."""
    return cached("collectivites:support-types", lambda: list(SupportType.objects.all()))


def territory_options():
    """``{"region": [(code, name)], "departement": [(code, "code — name")]}``: régions in
    alphabetical order (accents and case ignored: ``search_name``), départements by code.
    The overseas collectivities that are neither (``Territory.is_overseas_collectivity``,
    codes 975–989) are left out of both: they are named for what they are where they appear
    (their pages, ``overseas_collectivity_choices``)."""

    def compute():
        # Sorted here, not by the database: ordered by ``search_name``, SQLite would walk that
        # index over every commune (36,000 rows) instead of taking the ~120 by their kind.
        rows = sorted(
            Territory.objects.filter(kind__in=[TerritoryKind.REGION, TerritoryKind.DEPARTEMENT])
            .exclude(code__in=OVERSEAS_COLLECTIVITY_CODES)
            .order_by()
            .values_list("search_name", "code", "kind", "name")
        )
        options = {TerritoryKind.REGION: [], TerritoryKind.DEPARTEMENT: []}
        for _sort_key, code, kind, name in rows:
            label = name if kind == TerritoryKind.REGION else f"{code} — {name}"
            options[kind].append((code, label))
        options[TerritoryKind.DEPARTEMENT].sort(key=lambda item: departement_code_key(item[0]))
        return options

    return cached("collectivites:territory-options", compute)


def departement_code_key(code):
    """Départements in the order of their codes: 01…19, 2A, 2B, 21…95, 971…976."""
    if code in ("2A", "2B"):
        return (20, code)
    return (int(code), "")


def overseas_collectivity_choices():
    """``[(code, name)]`` of the overseas collectivities (the région-level rows), in
    alphabetical order."""
    return cached(
        "collectivites:overseas-collectivities",
        lambda: list(
            Territory.objects.filter(
                kind=TerritoryKind.REGION, code__in=OVERSEAS_COLLECTIVITY_CODES
            )
            .order_by("search_name", "code")
            .values_list("code", "name")
        ),
    )


def overseas_regions():
    """The five overseas régions (Guadeloupe, Martinique, Guyane, La Réunion, Mayotte) that
    have a point, in alphabetical order (cached)."""
    return cached(
        "collectivites:overseas-regions",
        lambda: list(
            Territory.objects.filter(
                kind=TerritoryKind.REGION,
                code__in=OVERSEAS_REGION_CODES,
                latitude__isnull=False,
                longitude__isnull=False,
            ).order_by("search_name", "code")
        ),
    )


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
    noun = KIND_NOUNS[territory.kind]
    if territory.is_overseas_collectivity:
        where, noun = "", OVERSEAS_COLLECTIVITY_NOUN
    return {
        "kind": territory.kind,
        "kind_label": str(territory.kind_label),
        "code": territory.code,
        "name": territory.name,
        "label": f"{territory.name}{where} — {noun}",
        "url": territory.get_absolute_url(),
        "filter": {territory.kind: territory.code},
    }


def search_suggestions(text, kinds=None, limit=SUGGESTION_LIMIT):
    territories = Territory.objects.all()
    if kinds:
        territories = territories.filter(kind__in=kinds)
    return suggestions(territories.search(text)[:limit])
