"""Query budgets of the public pages, cold and warm, flat with the number of PTCEs.

For each page: **cold** is the first request after the cache was emptied (as after a change
of public data, which moves every key), **warm** the next, identical, request: the steady
state of a running portal. Each stays within its budget (cold ≤ 12, warm ≤ 8), and neither
grows from 5 to 60 PTCEs having themes, members and supports, nor with the rows hanging off
one PTCE (members, supports, experiences…)."""

import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Experience, MemberCategory, Support

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

COLD_BUDGET = 12
WARM_BUDGET = 8
ALLIER_COMMUNES = ["03095", "03310", "03190", "03185", "03013"]
THEMES = ["culture", "habitat", "alimentation", "economie-circulaire"]
SUPPORTS = ["investissement", "conseil-ingenierie", "foncier-locaux"]
PAGES = {
    "directory": "/ptce/",
    "directory, text query": "/ptce/?q=cooperation",
    "directory, plural and a label": "/ptce/?q=cooperations+culture",
    "directory, typo": "/ptce/?q=cooperaton",
    "directory, filtered": "/ptce/?departement=03&theme=culture&support=investissement",
    "home": "/",
    "map": "/carte/",
    "région": "/territoires/region/84/",
    "département": "/territoires/departement/03/",
    "EPCI": "/territoires/epci/200071363/",
    "commune": "/territoires/commune/03095/",
    "embeddable map": "/embed/carte/?region=84",
    "feed": "/ptce/flux/",
    "territory feed": "/territoires/departement/03/flux/atom/",
    "sitemap": "/sitemap.xml",
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
            status="published",
            ptce=ptce,
            collectivite=region("84"),
            support_type=support_type("conseil-ingenierie"),
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
            status="published",
            ptce=ptce,
            collectivite=collectivites[k % len(collectivites)],
            support_type=support_type(SUPPORTS[k // len(collectivites) % len(SUPPORTS)]),
        )
        experience = Experience.objects.create(
            status="published",
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
    """``(cold, warm)``: each the list of SQL statements of one request of ``url``."""
    cache.clear()
    measures = []
    for _state in ("cold", "warm"):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        measures.append([query["sql"] for query in context.captured_queries])
    return measures


def explain(label, few, many):
    lines = [f"{label}: {len(few)} queries with few rows, {len(many)} with many:"]
    lines += [f"  {sql[:300]}" for sql in many]
    return "\n".join(lines)


def assert_budgets(small, large):
    for label, few, many, budget in (
        ("cold", small[0], large[0], COLD_BUDGET),
        ("warm", small[1], large[1], WARM_BUDGET),
    ):
        assert len(many) == len(few), explain(label, few, many)
        assert len(many) <= budget, explain(label, few, many)


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_a_page_stays_within_its_budgets_from_5_to_60_ptces(client, url):
    add_ptces(5)
    small = measure(client, url)
    add_ptces(55)
    large = measure(client, url)

    assert_budgets(small, large)


def test_a_ptce_page_stays_within_its_budgets_with_few_or_many_related_rows(client):
    add_ptces(3)
    few = make_ptce("Pôle peu entouré", commune="03095")
    grow_one_ptce(few, 1)
    many = make_ptce("Pôle très entouré", commune="03310")
    grow_one_ptce(many, 12)
    add_ptces(57)

    small = measure(client, few.get_absolute_url())
    large = measure(client, many.get_absolute_url())

    assert many.members.count() == 12 and many.supports.count() == 12
    assert_budgets(small, large)


def test_the_cache_is_what_makes_a_page_warm(client):
    """The measure is not vacuous: the same request right after a change costs the cold
    price again."""
    add_ptces(5)
    cold, warm = measure(client, "/ptce/")
    add_ptces(1)  # moves the public-data version
    with CaptureQueriesContext(connection) as after_change:
        client.get("/ptce/")

    assert len(warm) < len(cold)
    assert len(after_change) == len(cold)
