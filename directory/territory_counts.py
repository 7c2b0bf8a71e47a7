"""How many published PTCEs are in each territory, for the list of régions and the lists of
sub-territories of the territory pages.

A PTCE counts for a territory when one of its places is that territory or lies in it; its
places are its seat commune (or its département when no commune is known) and its territories
of action. This is ``Ptce.objects.in_territory`` looking downwards only: a PTCE acting on the
whole Allier counts for the Allier and Auvergne-Rhône-Alpes, not for each commune of the
Allier, so that a list of communes "with PTCEs" names only the communes where something is.

One query: a ``UNION`` of look-ups (the place is the territory, or lies in it through the
stored ancestry, for each kind of place) gives distinct (territory, PTCE) pairs, grouped and
counted in the database. The territories are passed as a list of ids, not as a subquery, so
that each branch starts from index look-ups of those few territories; the branches through
the ancestry are left out for communes, which contain nothing. Both databases need table
statistics to plan it well (``ANALYZE`` after bulk loads: ``collectivites.db.analyze``).
"""

from django.db import connections
from django.db.models import F

from collectivites.models import TerritoryKind

from .models import Ptce, PtceStatus

INSIDE = "__ancestry_links__ancestor"


def _place_pairs(area, holding):
    """``(territory id, PTCE id)`` pairs for the territories of ``area`` (ids) and the
    published PTCEs having a place in them; ``holding``: the ids of ``area`` that are not
    communes."""
    published = Ptce.objects.published().order_by()
    seated = published.filter(seat_commune__isnull=False)
    unseated = published.filter(seat_commune__isnull=True)
    acting = Ptce.action_territories.through.objects.filter(ptce__status=PtceStatus.PUBLISHED)
    branches = [
        (seated.filter(seat_commune__in=area), "seat_commune_id", "pk"),
        (unseated.filter(departement__in=area), "departement_id", "pk"),
        (acting.filter(territory__in=area), "territory_id", "ptce_id"),
    ]
    if holding:
        branches += [
            (
                seated.filter(**{f"seat_commune{INSIDE}__in": holding}),
                f"seat_commune{INSIDE}",
                "pk",
            ),
            (
                unseated.filter(**{f"departement{INSIDE}__in": holding}),
                f"departement{INSIDE}",
                "pk",
            ),
            (
                acting.filter(**{f"territory{INSIDE}__in": holding}),
                f"territory{INSIDE}",
                "ptce_id",
            ),
        ]
    # Named columns, so that the grouping query around the UNION can refer to them.
    pairs = [
        rows.annotate(counted_territory=F(territory), counted_ptce=F(ptce))
        .values_list("counted_territory", "counted_ptce")
        .order_by()
        for rows, territory, ptce in branches
    ]
    return pairs[0].union(*pairs[1:])


def published_counts(territories):
    """``{territory id: number of published PTCEs}`` for ``[(id, kind), ...]``, only for the
    territories that have some (one query)."""
    territories = list(territories)
    if not territories:
        return {}
    area = [pk for pk, _kind in territories]
    holding = [pk for pk, kind in territories if kind != TerritoryKind.COMMUNE]
    pairs = _place_pairs(area, holding)
    sql, params = pairs.query.sql_with_params()
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(
            f"SELECT counted_territory, COUNT(*) FROM ({sql}) AS places GROUP BY counted_territory",
            params,
        )
        return dict(cursor.fetchall())


def with_published_counts(territories, keep_empty=False):
    """The territories of the queryset ``territories`` as a list, each with ``ptce_count``;
    only those with published PTCEs unless ``keep_empty`` (two queries: the territories,
    then their counts)."""
    rows = list(territories)
    counts = published_counts((territory.pk, territory.kind) for territory in rows)
    for territory in rows:
        territory.ptce_count = counts.get(territory.pk, 0)
    return rows if keep_empty else [territory for territory in rows if territory.ptce_count]
