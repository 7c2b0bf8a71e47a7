"""How many published PTCEs are in each territory, for the lists of régions and of
sub-territories.

A PTCE is counted for a territory when one of its places is that territory or lies in it; its
places are its seat commune (or its département when no commune is known) and its territories
of action. This is ``Ptce.objects.in_territory`` looking downwards only: a PTCE acting on the
whole Allier counts for the Allier and Auvergne-Rhône-Alpes, not for each commune of the
Allier, so that a list of communes "with PTCEs" names only the communes where something is.

PTCEs live in ``directory``; this module reaches them through the app registry and the reverse
relations of ``Territory``, so that ``collectivites`` imports nothing from ``directory``.
"""

from django.apps import apps
from django.db import connections
from django.db.models import F

PTCE_MODEL = "directory.Ptce"
COMMUNE = "commune"  # TerritoryKind.COMMUNE (territory.py imports this module)


def _place_pairs(area, holding):
    """``(territory id, PTCE id)`` pairs, without duplicates, for every territory of
    ``area`` (a list of ids) and every published PTCE having a place in it. A ``UNION`` of
    look-ups: the place is the territory itself, or lies in it (through the stored ancestry,
    read from the territory's side, for the territories of ``holding``: those of ``area``
    that are not communes), for each kind of place."""
    from .territory import TerritoryAncestry

    ptce_model = apps.get_model(PTCE_MODEL)
    published = ptce_model.objects.published().order_by().values("pk")
    seated = ptce_model.objects.filter(pk__in=published, seat_commune__isnull=False)
    unseated = ptce_model.objects.filter(pk__in=published, seat_commune__isnull=True)
    acting = ptce_model.action_territories.through.objects.filter(ptce__in=published)
    inside = TerritoryAncestry.objects.filter(ancestor__in=holding)
    branches = [
        (seated.filter(seat_commune__in=area), "seat_commune_id", "pk"),
        (unseated.filter(departement__in=area), "departement_id", "pk"),
        (acting.filter(territory__in=area), "territory_id", "ptce_id"),
    ]
    if holding:
        branches += [
            (
                inside.filter(territory__seated_ptces__in=seated.values("pk")),
                "ancestor_id",
                "territory__seated_ptces",
            ),
            (
                inside.filter(territory__departement_ptces__in=unseated.values("pk")),
                "ancestor_id",
                "territory__departement_ptces",
            ),
            (
                inside.filter(territory__acting_ptces__in=published),
                "ancestor_id",
                "territory__acting_ptces",
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


def ptce_counts(queryset):
    """``{territory id: number of published PTCEs}`` for the territories of ``queryset``
    holding the place of at least one published PTCE (two queries: the territories, then
    the counts, grouped in the database)."""
    return _counts(queryset.order_by().values_list("pk", "kind"))


def _counts(territories):
    """The counts for ``[(id, kind), ...]``. The ids are given as lists, not as a subquery:
    the planner then starts each branch from index look-ups of these few territories, and
    the branches through the ancestry are left out for communes, which contain nothing."""
    territories = list(territories)
    if not territories:
        return {}
    area = [pk for pk, _kind in territories]
    holding = [pk for pk, kind in territories if kind != COMMUNE]
    pairs = _place_pairs(area, holding)
    sql, params = pairs.query.sql_with_params()
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(
            f"SELECT counted_territory, COUNT(*) FROM ({sql}) AS places GROUP BY counted_territory",
            params,
        )
        return dict(cursor.fetchall())


def with_ptce_counts(queryset, keep_empty=False):
    """The territories of ``queryset`` as a list, each with ``ptce_count``; only those with
    published PTCEs unless ``keep_empty`` (two or three queries)."""
    if keep_empty:
        territories = list(queryset)
        counts = _counts([(territory.pk, territory.kind) for territory in territories])
    else:
        counts = ptce_counts(queryset)
        territories = list(queryset.filter(pk__in=list(counts))) if counts else []
    for territory in territories:
        territory.ptce_count = counts.get(territory.pk, 0)
    return territories
