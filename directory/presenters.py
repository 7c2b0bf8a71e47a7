"""What the directory's templates show about filters: active filter chips with the URL that
removes each one, and the options of the territory selects."""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from collectivites.models import Territory, TerritoryKind

from .options import filter_options

TERRITORY_OPTIONS_KEY = "directory:territory-options:v1"


@dataclass
class Chip:
    label: str
    remove_url: str


def _url_without(params, name, value=None):
    query = params.copy()
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def active_filters(filterset):
    params = filterset.form.data
    labels = {name: dict(items) for name, items in filter_options().items()}
    chips = []
    if params.get("q"):
        chips.append(Chip(_("« %(q)s »") % {"q": params["q"]}, _url_without(params, "q")))
    for name, territory in filterset.territories.items():
        chips.append(
            Chip(f"{territory.get_kind_display()} : {territory}", _url_without(params, name))
        )
    for name, by_slug in labels.items():
        for value in params.getlist(name):
            chips.append(Chip(by_slug.get(value, value), _url_without(params, name, value)))
    if params.get("charter"):
        text = _("Charte signée") if params["charter"] == "oui" else _("Charte non signée")
        chips.append(Chip(text, _url_without(params, "charter")))
    if params.get("bbox"):
        chips.append(Chip(_("Zone de la carte"), _url_without(params, "bbox")))
    return chips


def territory_options():
    options = cache.get(TERRITORY_OPTIONS_KEY)
    if options is None:
        rows = Territory.objects.filter(
            kind__in=[TerritoryKind.REGION, TerritoryKind.DEPARTEMENT]
        ).values_list("kind", "code", "name")
        options = {TerritoryKind.REGION: [], TerritoryKind.DEPARTEMENT: []}
        for kind, code, name in sorted(rows, key=lambda row: row[1]):
            label = name if kind == TerritoryKind.REGION else f"{code} — {name}"
            options[kind].append((code, label))
        options[TerritoryKind.REGION].sort(key=lambda item: item[1])
        cache.set(TERRITORY_OPTIONS_KEY, options, 3600)
    return options


def region_options():
    return territory_options()[TerritoryKind.REGION]


def departement_options():
    return territory_options()[TerritoryKind.DEPARTEMENT]


def members_by_category(ptce):
    """[(category label, [members])] in the categories' order; uses prefetched members."""
    from .models import MemberCategory

    groups = {value: [] for value in MemberCategory.values}
    for member in ptce.members.all():
        groups[member.category].append(member)
    labels = dict(MemberCategory.choices)
    return [(labels[value], members) for value, members in groups.items() if members]


def supports_by_collectivite(ptce):
    """[(collectivité, [supports])], collectivités ordered broadest first, then by name."""
    groups = {}
    for support in ptce.supports.all():
        groups.setdefault(support.collectivite, []).append(support)
    return sorted(groups.items(), key=lambda item: (item[0].rank, item[0].name))
