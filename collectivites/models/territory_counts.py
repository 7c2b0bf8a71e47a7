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
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

PTCE_MODEL = "directory.Ptce"


def _published_ptces():
    return apps.get_model(PTCE_MODEL).objects.published()


def _places():
    """Territory ids where published PTCEs are, as three subqueries (seat communes, seat
    départements of PTCEs without commune, territories of action)."""
    published = _published_ptces()
    acting = apps.get_model(PTCE_MODEL).action_territories.through.objects
    return [
        published.filter(seat_commune__isnull=False).values("seat_commune"),
        published.filter(seat_commune__isnull=True).values("departement"),
        acting.filter(ptce__in=published.values("pk")).values("territory"),
    ]


def having_published_ptces(queryset):
    """Territories that are, or hold, the place of at least one published PTCE."""
    from .territory import TerritoryAncestry

    condition = Q()
    for places in _places():
        holding = TerritoryAncestry.objects.filter(territory__in=places).values("ancestor")
        condition |= Q(pk__in=places) | Q(pk__in=holding)
    return queryset.filter(condition)


def with_ptce_counts(queryset):
    """Annotates ``ptce_count``: the published PTCEs with a place in each territory. One
    correlated subquery whose tests are all index lookups on (territory, ancestor) pairs."""
    from .territory import TerritoryAncestry

    ptce_model = apps.get_model(PTCE_MODEL)
    acting = ptce_model.action_territories.through.objects
    area = OuterRef(OuterRef("pk"))  # the territory counted for, seen from a PTCE's subquery

    def lies_in_area(field):
        return Exists(TerritoryAncestry.objects.filter(territory=OuterRef(field), ancestor=area))

    seat_here = Q(seat_commune=OuterRef("pk")) | lies_in_area("seat_commune")
    departement_here = Q(seat_commune__isnull=True) & (
        Q(departement=OuterRef("pk")) | lies_in_area("departement")
    )
    acting_here = Exists(
        acting.filter(ptce=OuterRef("pk")).filter(
            Q(territory=area) | Q(territory__ancestry_links__ancestor=area)
        )
    )
    counted = (
        _published_ptces()
        .filter(seat_here | departement_here | acting_here)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        ptce_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    )
