"""Figures shown on the home page."""

from collectivites.models import Territory, TerritoryKind
from core.cache import cached
from directory.models import Ptce


def portal_numbers():
    """``{"ptces": published PTCEs, "regions": régions where at least one is seated}``,
    cached until public data change."""
    return cached("pages:numbers", _compute)


def _compute():
    published = Ptce.objects.published()
    regions = (
        Territory.objects.of_kind(TerritoryKind.REGION)
        .filter(descendancy_links__territory__in=published.values("departement"))
        .distinct()
        .count()
    )
    return {"ptces": published.count(), "regions": regions}
