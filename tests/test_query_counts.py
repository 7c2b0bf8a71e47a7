"""The number of SQL queries of the directory's pages is fixed: it does not grow with the
number of PTCEs listed nor with the rows hanging off a PTCE (themes, members, supports…),
and stays within 12 a page.

Caches: the filter options (themes, support types, stages, legal forms) and the territory
menus are kept in Django's cache. Each measure clears the cache, makes one warm-up request
and counts the queries of the next, identical, request: the steady state of a running
portal. ``test_a_cold_cache_costs_only_the_cached_lookups`` bounds the first request's
extras separately."""

import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collectivites.models import Experience, Support
from directory.models import MemberCategory

from .directory_helpers import make_ptce
from .factories import (
    MemberFactory,
    NationalCallAwardFactory,
    commune,
    departement,
    epci,
    region,
    support_type,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
ALLIER_COMMUNES = ["03095", "03310", "03190", "03185", "03013"]
THEMES = ["culture", "habitat", "alimentation", "economie-circulaire"]
SUPPORTS = ["investissement", "conseil-ingenierie", "foncier-locaux"]
LIST_URLS = {
    "unfiltered": "/ptce/",
    "text query": "/ptce/?q=cooperation",
    "departement + theme + support": ("/ptce/?departement=03&theme=culture&support=investissement"),
}
_numbers = itertools.count(1)


def add_ptces(count):
    """``count`` published PTCEs of the Allier, each with themes, three members and two
    supports (from the département and the région), all matching every measured URL."""
    for _ in range(count):
        n = next(_numbers)
        ptce = make_ptce(
            f"Pôle {n:03d}",
            commune=ALLIER_COMMUNES[n % len(ALLIER_COMMUNES)],
            description="Coopération économique locale.",
            themes=["culture", THEMES[n % len(THEMES)]],
            supports=["investissement"],
            members=[f"Membre {n}-{k}" for k in range(3)],
        )
        Support.objects.create(
            ptce=ptce, collectivite=region("84"), support_type=support_type("conseil-ingenierie")
        )


def grow_one_ptce(ptce, size):
    """``size`` of each kind of row a PTCE page shows (at least one of each, so that every
    prefetch runs in both measures)."""
    collectivites = [departement("03"), region("84"), epci("200071363"), commune("03095")]
    # A collectivité member first: its territory is prefetched only when there is one.
    categories = sorted(MemberCategory.values, key=lambda c: c != MemberCategory.COLLECTIVITE)
    for k in range(size):
        category = categories[k % len(categories)]
        MemberFactory(
            ptce=ptce,
            name=f"{ptce.name} membre {k}",
            category=category,
            territory=commune("03095") if category == MemberCategory.COLLECTIVITE else None,
        )
        NationalCallAwardFactory(ptce=ptce, name=f"Appel {k}", year=2013 + k)
        Support.objects.create(
            ptce=ptce,
            collectivite=collectivites[k % len(collectivites)],
            support_type=support_type(SUPPORTS[k // len(collectivites) % len(SUPPORTS)]),
        )
        experience = Experience.objects.create(
            slug=f"{ptce.slug}-experience-{k}",
            title=f"Retour {k}",
            collectivite=collectivites[k % len(collectivites)],
            ptce=ptce,
            summary="Ce que la collectivité a fait.",
            source="Jeu de test",
        )
        experience.support_types.set([support_type(slug) for slug in SUPPORTS[: 1 + k % 3]])
    ptce.themes.set(ptce.themes.model.objects.all()[: 2 + size])
    ptce.action_territories.set([departement("03"), departement("63"), region("84")][:size])


def measure(client, url):
    """(number of queries, their SQL) of ``url`` with warm caches."""
    cache.clear()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), [query["sql"] for query in context.captured_queries]


def explain(small, large):
    lines = [f"{small[0]} queries with few rows, {large[0]} with many:"]
    lines += [f"  {sql[:300]}" for sql in large[1]]
    return "\n".join(lines)


@pytest.mark.parametrize("url", LIST_URLS.values(), ids=LIST_URLS.keys())
def test_the_list_makes_the_same_few_queries_for_5_or_60_results(client, url):
    add_ptces(5)
    small = measure(client, url)
    add_ptces(55)
    large = measure(client, url)

    assert large[0] == small[0], explain(small, large)
    assert large[0] <= MAX_QUERIES, explain(small, large)


def test_a_ptce_page_makes_the_same_few_queries_for_few_or_many_related_rows(client):
    add_ptces(3)
    few = make_ptce("Pôle peu entouré", commune="03095")
    grow_one_ptce(few, 1)
    many = make_ptce("Pôle très entouré", commune="03310")
    grow_one_ptce(many, 12)

    small = measure(client, few.get_absolute_url())
    large = measure(client, many.get_absolute_url())

    assert many.members.count() == 12 and many.supports.count() == 12
    assert large[0] == small[0], explain(small, large)
    assert large[0] <= MAX_QUERIES, explain(small, large)


def test_a_cold_cache_costs_only_the_cached_lookups(client):
    add_ptces(5)
    warm, _sql = measure(client, "/ptce/")

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get("/ptce/")

    # Four reference lists (filter options) and one query for the territory menus.
    assert len(cold) <= warm + 5
