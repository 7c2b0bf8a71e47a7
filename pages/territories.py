"""What the territory pages show: search suggestions, sub-territories with their PTCEs, the
régions of France, the schemes of a collectivité."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from collectivites.models import KIND_RANK, Scheme, Territory, TerritoryAncestry, TerritoryKind
from collectivites.queries import support_types as cached_support_types
from core.cache import cached
from directory.models import Experience, Support
from directory.territory_counts import with_published_counts

FINDER_LIMIT = 30
# Sub-territories listed on a territory's page, by its level.
SUB_KINDS = {
    TerritoryKind.REGION: [TerritoryKind.DEPARTEMENT],
    TerritoryKind.DEPARTEMENT: [TerritoryKind.EPCI, TerritoryKind.COMMUNE],
    TerritoryKind.EPCI: [TerritoryKind.COMMUNE],
    TerritoryKind.COMMUNE: [],
}
SUB_TITLES = {
    TerritoryKind.DEPARTEMENT: _("Départements"),
    TerritoryKind.EPCI: _("Intercommunalités"),
    TerritoryKind.COMMUNE: _("Communes"),
}


def territory_and_trail(kind, code):
    """``(territory, [its région, département, EPCI…])``, broadest first, in one query;
    ``(None, [])`` when there is no such territory."""
    enclosing = TerritoryAncestry.objects.filter(territory__kind=kind, territory__code=code)
    # A UNION, not an OR: each branch uses its index (with OR, PostgreSQL read every
    # territory: 7 ms instead of 0.2 at 36,000).
    rows = list(
        Territory.objects.filter(kind=kind, code=code)
        .order_by()
        .union(Territory.objects.filter(pk__in=enclosing.values("ancestor")).order_by(), all=True)
    )
    found = [t for t in rows if t.kind == kind and t.code == code]
    if not found:
        return None, []
    trail = sorted(
        (t for t in rows if t is not found[0]),
        key=lambda t: (KIND_RANK[t.kind], t.search_name, t.code),
    )
    return found[0], trail


@dataclass
class SubTerritoryGroup:
    kind: str
    title: str
    territories: list


def sub_territory_groups(territory):
    """For a région its départements, for a département its EPCI and communes, for an EPCI
    its communes: those with published PTCEs, each with its ``ptce_count`` (cached; two
    queries to compute)."""
    kinds = SUB_KINDS[territory.kind]
    if not kinds:
        return []

    def compute():
        rows = with_published_counts(
            Territory.objects.within(territory)
            .filter(kind__in=kinds)
            .only("kind", "code", "name", "tncc")
            .order_by("search_name", "code")
        )
        by_kind = {kind: [] for kind in kinds}
        for row in rows:
            by_kind[row.kind].append(row)
        return [
            SubTerritoryGroup(kind, SUB_TITLES[kind], found)
            for kind, found in by_kind.items()
            if found
        ]

    return cached("pages:sub-territories", compute, territory.pk)


def has_sub_territories(territory):
    """Whether ``sub_territory_groups`` has any (cached apart: the page's table of contents
    needs only this, not hundreds of territories read back from the cache)."""
    return cached(
        "pages:has-sub-territories", lambda: bool(sub_territory_groups(territory)), territory.pk
    )


def regions_of_france():
    """The 18 régions (13 in Europe, 5 overseas; the other overseas collectivities have
    three-digit codes), each with its ``ptce_count`` (cached)."""
    return cached(
        "pages:regions",
        lambda: with_published_counts(
            Territory.objects.of_kind(TerritoryKind.REGION)
            .filter(code__length=2)
            .order_by("search_name"),
            keep_empty=True,
        ),
    )


def supports_given(territory):
    """What this collectivité gives to published PTCEs, with the PTCE and the support type."""
    return (
        Support.objects.given_by(territory)
        .published()
        .select_related("ptce", "support_type")
        .order_by("ptce__name", "support_type__position")
    )


def schemes_of(territory):
    """The schemes this collectivité can turn to (its own, those of the territories it lies
    in — its région's, its département's — and the State's), running ones first."""
    running = Scheme.objects.running().filter(pk=OuterRef("pk"))
    return (
        Scheme.objects.open_to(territory)
        .select_related("owner")
        .annotate(running_now=Exists(running))
        .prefetch_related("support_types")
        .order_by("-running_now", "name")
    )


def experiences_around(territory, peers=6):
    """``(its own experiences, those of up to ``peers`` other collectivités of the same
    level)``: what it did and what others like it did, in one query (plus support types)."""
    experiences = (
        Experience.objects.published()
        .of_level([territory.kind])
        .select_related("collectivite")
        .prefetch_related("support_types")
    )
    own, others = [], []
    for experience in experiences:
        if experience.collectivite_id == territory.pk:
            own.append(experience)
        elif len(others) < peers:
            others.append(experience)
    return own, others


@dataclass
class SupportIdea:
    support_type: object
    given: int  # how many published PTCEs this collectivité already supports this way


def support_ideas(territory, supports):
    """For each support type, whether this collectivité already gives it (from the supports
    already fetched for the page: no extra query but the types')."""
    given = {}
    for support in supports:
        given[support.support_type_id] = given.get(support.support_type_id, 0) + 1
    return [SupportIdea(st, given.get(st.pk, 0)) for st in cached_support_types()]
