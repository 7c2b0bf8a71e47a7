"""Freshness of a PTCE's information (``Ptce.last_verified``): stale when never verified or
verified more than 12 months ago. Shared by the PTCE admin's filters and the admin home."""

import datetime

from django.db.models import Q
from django.utils import timezone

# Query-string parameters of the PTCE list's filters, also used by the admin home's links.
SCOPE_PARAMETER = "ressort"
FRESHNESS_PARAMETER = "fraicheur"
NEVER, STALE, OUTDATED, FRESH = "jamais", "a-relire", "plus-de-12-mois", "moins-de-12-mois"


def one_year_before(day):
    """The same day a year earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day - datetime.timedelta(days=366)


def freshness_q(value, today=None):
    """The condition of a freshness filter value (``None`` for an unknown one)."""
    limit = one_year_before(today or timezone.localdate())
    return {
        STALE: Q(last_verified__isnull=True) | Q(last_verified__lt=limit),
        NEVER: Q(last_verified__isnull=True),
        OUTDATED: Q(last_verified__lt=limit),
        FRESH: Q(last_verified__gte=limit),
    }.get(value)


def stale_q(today=None):
    """PTCEs never verified or last verified more than 12 months ago."""
    return freshness_q(STALE, today)
