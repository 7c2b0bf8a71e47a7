"""Figures shown on the home page."""

from django.core.cache import cache

from collectivites.models import Territory, TerritoryKind
from directory.geo import data_state
from directory.models import Ptce

CACHE_SECONDS = 3600


def portal_numbers():
    """``{"ptces": published PTCEs, "regions": régions where at least one is seated}``,
    cached until published PTCEs change."""
    return cache.get_or_set(f"pages:numbers:{data_state()}", _compute, CACHE_SECONDS)


def _compute():
    published = Ptce.objects.published()
    regions = (
        Territory.objects.of_kind(TerritoryKind.REGION)
        .filter(descendancy_links__territory__in=published.values("departement"))
        .distinct()
        .count()
    )
    return {"ptces": published.count(), "regions": regions}
