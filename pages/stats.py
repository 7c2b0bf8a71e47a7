"""Figures shown on the home page."""

from directory.models import Ptce


def portal_numbers():
    published = Ptce.objects.published()
    regions = (
        published.filter(departement__ancestors__kind="region")
        .values("departement__ancestors")
        .distinct()
        .count()
    )
    return {"ptces": published.count(), "regions": regions}
