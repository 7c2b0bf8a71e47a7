"""The région of each PTCE of an answer, in one indexed query: the ancestry rows of the
page's départements whose ancestor is a région (at most 20 départements a page). Cheaper than
the mapping of every département (``collectivites.queries.regions_by_departement``), which a
cold answer would rebuild after each change of public data."""

from collectivites.models import TerritoryAncestry, TerritoryKind


def attach_regions(ptces):
    """Sets ``api_region`` (a ``Territory`` or None) on each PTCE of ``ptces``."""
    departements = {ptce.departement_id for ptce in ptces}
    links = TerritoryAncestry.objects.filter(
        territory_id__in=departements, ancestor__kind=TerritoryKind.REGION
    ).select_related("ancestor")
    region_of = {link.territory_id: link.ancestor for link in links}
    for ptce in ptces:
        ptce.api_region = region_of.get(ptce.departement_id)
    return ptces
