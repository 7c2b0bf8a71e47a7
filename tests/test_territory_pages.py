"""The territory pages: ``/territoires/`` (the finder and the régions), a territory's page
(hierarchy, PTCEs with the directory's filters, supports, schemes, sub-territories), the 404
with its search box, the pickers of the home page and of the directory, and the number of
SQL queries of a territory page."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collectivites.models import Territory, TerritoryKind
from directory.models import PtceStatus, Support
from directory.territory_counts import with_published_counts

from .factories import PtceFactory, SchemeFactory, SupportFactory, support_type

# WhiteNoise warns once that ``staticfiles/`` is absent (no collectstatic in tests).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ALLIER = "/territoires/departement/03/"
CUSSET = "/territoires/commune/03095/"
VICHY_COMMUNAUTE = "/territoires/epci/200071363/"
AURA = "/territoires/region/84/"
MAX_QUERIES = 15


def page(client, url, params=None, status=200, **headers):
    response = client.get(url, params or {}, headers=headers)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def text_of(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def card_names(html):
    return [
        unescape(name)
        for name in re.findall(r'class="card__title"><a href="[^"]*">(.*?)</a>', html)
    ]


def section(html, title_id):
    """The ``<section>`` labelled by ``title_id`` ('' when absent)."""
    match = re.search(rf'<section[^>]*aria-labelledby="{title_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def sub_counts(html):
    """``{name: count}`` of the sub-territories listed."""
    found = re.findall(
        r'<li><a href="/territoires/[^"]+">([^<]+)</a> <span class="sub-territories__count">'
        r"(\d+) PTCE",
        section(html, "sub-territories-title"),
    )
    return {unescape(name): int(count) for name, count in found}


# --- a territory's page -----------------------------------------------------------------------
def test_a_commune_page_names_it_and_where_it_lies(client):
    html = page(client, CUSSET)
    text = text_of(html)

    assert "<h1>Cusset</h1>" in html
    assert "Commune · code 03095" in text
    breadcrumb = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    links = re.findall(r'href="([^"]+)"', breadcrumb)
    assert links == ["/", AURA, ALLIER, VICHY_COMMUNAUTE]
    assert re.search(r"Population \d[\d\s\u202f\xa0]* habitants", text)


def test_the_code_is_read_in_any_case(client):
    assert "<h1>Corse-du-Sud</h1>" in page(client, "/territoires/departement/2a/")


def test_the_page_lists_the_published_ptces_acting_there(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    PtceFactory(name="Pôle de Vichy", commune_code="03310")
    PtceFactory(name="Pôle de l'Allier", departement_code="03")
    PtceFactory(name="Brouillon de Cusset", commune_code="03095", status=PtceStatus.DRAFT)

    assert card_names(page(client, CUSSET)) == ["Pôle de Cusset", "Pôle de l'Allier"]
    assert card_names(page(client, ALLIER)) == [
        "Pôle de Cusset",
        "Pôle de l'Allier",
        "Pôle de Vichy",
    ]


def test_the_directory_filters_work_on_the_territory_page(client):
    PtceFactory(name="Culture à Cusset", commune_code="03095", themes=["culture"])
    PtceFactory(name="Habitat à Cusset", commune_code="03095", themes=["habitat"])
    PtceFactory(name="Culture à Lyon", commune_code="69123", themes=["culture"])

    html = page(client, CUSSET, {"theme": "culture"})

    assert card_names(html) == ["Culture à Cusset"]
    counts = dict(re.findall(r'<label for="id_theme_([^"]+)">.*?\((\d+)', html, re.S))
    assert counts["culture"] == "1" and counts["habitat"] == "1"
    assert re.search(r'value="culture" id="id_theme_culture" checked', html)


def test_the_filter_form_is_sent_to_the_territory_page_itself(client):
    html = page(client, CUSSET)

    form = re.search(r'<form id="directory-filters"[^>]*>', html).group(0)
    assert f'action="{CUSSET}"' in form
    assert 'name="region"' not in html and 'name="departement"' not in html


def test_a_keyword_search_is_limited_to_the_territory(client):
    PtceFactory(name="Recyclerie de Cusset", commune_code="03095")
    PtceFactory(name="Recyclerie de Lyon", commune_code="69123")

    assert card_names(page(client, CUSSET, {"q": "recyclerie"})) == ["Recyclerie de Cusset"]


def test_territory_parameters_cannot_move_the_page_elsewhere(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")

    html = page(client, CUSSET, {"region": "11"})

    assert card_names(html) == ["Pôle de Cusset"]
    assert "le territoire est celui de la page" in text_of(html)


def test_results_are_paginated_twenty_a_page(client):
    for n in range(23):
        PtceFactory(name=f"Pôle {n:02d}", commune_code="03095")

    assert len(card_names(page(client, CUSSET))) == 20
    assert card_names(page(client, CUSSET, {"page": "2"})) == ["Pôle 20", "Pôle 21", "Pôle 22"]
    response = client.get(CUSSET, {"page": "9"})  # beyond the last: back to the last
    assert response.status_code == 302
    assert response["Location"] == f"{CUSSET}?page=2"


def test_the_directory_script_gets_the_results_fragment(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")

    response = client.get(CUSSET, headers={"X-Fragment": "results"})
    html = response.content.decode()

    assert "<html" not in html and 'id="directory-filters"' in html
    assert card_names(html) == ["Pôle de Cusset"]
    assert "X-Fragment" in response["Vary"]


def test_the_supports_the_collectivite_gives_are_listed(client, allier):
    helped = PtceFactory(name="Pôle aidé", commune_code="03095")
    hidden = PtceFactory(name="Pôle en relecture", commune_code="03095", status=PtceStatus.REVIEW)
    SupportFactory(ptce=helped, collectivite=allier, start_year=2021)
    SupportFactory(ptce=hidden, collectivite=allier)
    SupportFactory(ptce=helped, collectivite=Territory.objects.get(kind="region", code="84"))

    supports = text_of(section(page(client, ALLIER), "supports-given-title"))

    assert "Département de l'Allier" in supports
    assert "Pôle aidé — Conseil" in supports or "Pôle aidé —" in supports
    assert support_type("conseil-ingenierie").title in supports
    assert "depuis 2021" in supports
    assert "Pôle en relecture" not in supports
    assert Support.objects.given_by(allier).count() == 2


def test_no_supports_no_section(client):
    assert section(page(client, CUSSET), "supports-given-title") == ""


def test_the_schemes_open_to_the_collectivite_are_listed(client, allier):
    """Its own schemes, its région's and the State's; not another région's."""
    SchemeFactory(name="Appel à projets ESS de l'Allier", owner=allier, end_year=2019)
    SchemeFactory(
        name="Programme de la région", owner=Territory.objects.get(kind="region", code="84")
    )
    SchemeFactory(
        name="Programme d'une autre région", owner=Territory.objects.get(kind="region", code="52")
    )
    SchemeFactory(name="AMI national", owner=None)

    schemes = text_of(section(page(client, ALLIER), "schemes-title"))

    assert "Appel à projets ESS de l'Allier" in schemes
    assert "Terminé" in schemes and "jusqu'en 2019" in schemes
    assert "Programme de la région" in schemes
    assert "AMI national" in schemes and "État" in schemes
    assert "Programme d'une autre région" not in schemes


def test_a_departement_lists_its_epci_and_communes_with_ptces(client, vichy_communaute):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    PtceFactory(name="Autre pôle de Cusset", commune_code="03095")
    PtceFactory(name="Pôle de Vichy", commune_code="03310")
    PtceFactory(
        name="Pôle de l'agglomération", departement_code="03", action_territories=[vichy_communaute]
    )
    PtceFactory(name="Pôle de Moulins", commune_code="03190")
    PtceFactory(name="Brouillon", commune_code="03095", status=PtceStatus.DRAFT)

    counts = sub_counts(page(client, ALLIER))

    assert counts["CA Vichy Communauté"] == 4
    assert counts["Cusset"] == 2
    assert counts["Vichy"] == 1
    assert counts["Moulins"] == 1
    assert "Bellerive-sur-Allier" not in counts
    assert "Intercommunalités" in page(client, ALLIER) and "Communes" in page(client, ALLIER)


def test_a_ptce_counts_once_for_a_sub_territory(client, cusset):
    PtceFactory(name="Pôle de Cusset", commune_code="03095", action_territories=[cusset])

    assert sub_counts(page(client, ALLIER)) == {"CA Vichy Communauté": 1, "Cusset": 1}


def test_a_ptce_acting_on_the_whole_departement_is_not_counted_for_each_commune(client, allier):
    PtceFactory(name="Pôle départemental", departement_code="03", action_territories=[allier])

    assert sub_counts(page(client, ALLIER)) == {}
    assert sub_counts(page(client, AURA)) == {"Allier": 1}
    assert card_names(page(client, CUSSET)) == ["Pôle départemental"]


def test_a_region_lists_its_departements_with_ptces(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    PtceFactory(name="Pôle de Lyon", commune_code="69123")
    PtceFactory(name="Pôle de l'Oise", commune_code="60057")

    assert sub_counts(page(client, AURA)) == {"Allier": 1, "Rhône": 1}


def test_sub_territory_counts_follow_a_new_territory_of_action(client, allier):
    cache.clear()
    ptce = PtceFactory(name="Pôle de l'Oise", departement_code="60")
    assert sub_counts(page(client, AURA)) == {}  # now cached

    ptce.action_territories.add(allier)  # no save of the PTCE itself

    assert sub_counts(page(client, AURA)) == {"Allier": 1}


def test_an_epci_lists_its_communes_and_a_commune_has_no_sub_territories(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")

    assert sub_counts(page(client, VICHY_COMMUNAUTE)) == {"Cusset": 1}
    assert section(page(client, CUSSET), "sub-territories-title") == ""


def links_to_sub_territories(html):
    """Whether the page's table of contents links to the sub-territories section."""
    return 'href="#sub-territories-title"' in html


def test_the_table_of_contents_links_to_sub_territories_only_when_listed(client):
    assert not links_to_sub_territories(page(client, ALLIER))  # now cached: no PTCE yet
    assert section(page(client, ALLIER), "sub-territories-title") == ""

    ptce = PtceFactory(name="Pôle de Cusset", commune_code="03095", status=PtceStatus.DRAFT)
    assert not links_to_sub_territories(page(client, ALLIER))  # a draft moves nothing

    ptce.status = PtceStatus.PUBLISHED
    ptce.save()

    html = page(client, ALLIER)
    assert links_to_sub_territories(html)
    assert sub_counts(html) == {"Cusset": 1, "CA Vichy Communauté": 1}
    assert not links_to_sub_territories(page(client, CUSSET))  # a commune has none


def test_counting_territories_takes_the_same_two_queries_for_few_or_many(allier):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    PtceFactory(name="Pôle de Vichy", commune_code="03310")

    def counted():
        with CaptureQueriesContext(connection) as queries:
            rows = with_published_counts(
                Territory.objects.within(allier).of_kind(TerritoryKind.COMMUNE).order_by("name")
            )
        return [(t.name, t.ptce_count) for t in rows], len(queries)

    assert counted() == ([("Cusset", 1), ("Vichy", 1)], 2)

    for code in ("03190", "03185", "03013", "03310"):
        PtceFactory(name=f"Autre pôle {code}", commune_code=code)

    rows, queries = counted()
    assert dict(rows) == {"Cusset": 1, "Vichy": 2, "Moulins": 1, "Montluçon": 1, "Avermes": 1}
    assert queries == 2


def test_regions_keep_those_without_ptces_with_zero(allier):
    PtceFactory(name="Pôle de Cusset", commune_code="03095", action_territories=[allier])

    rows = Territory.objects.of_kind(TerritoryKind.REGION).filter(code__in=["84", "11"])
    counts = {t.code: t.ptce_count for t in with_published_counts(rows, keep_empty=True)}

    assert counts == {"84": 1, "11": 0}


# --- unknown territories ------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/territoires/commune/99999/",
        "/territoires/planete/03/",
        "/territoires/departement/03095/",
        "/territoires/commune/%00/",
        "/territoires/commune/" + "9" * 300 + "/",
    ],
)
def test_an_unknown_territory_is_a_404_with_a_search_box(client, url):
    html = page(client, url, status=404)

    assert "Page introuvable" in html
    form = re.search(r'<form class="picker-form" method="get" action="([^"]+)"', html)
    assert form and form.group(1) == "/territoires/"
    assert "data-territory-picker" in html and 'name="q"' in html
    assert "js/territory-picker.js" in html


# --- the finder -----------------------------------------------------------------------------
def test_the_finder_lists_the_18_regions_with_their_ptces(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    PtceFactory(name="Pôle de Lyon", commune_code="69123")

    html = page(client, "/territoires/")
    regions = re.findall(
        r'<li><a href="/territoires/region/(\w+)/">([^<]+)</a> <span[^>]*>(\d+) PTCE', html
    )

    assert "Trouver votre territoire" in html
    assert len(regions) == 18
    assert ("84", "Auvergne-Rhône-Alpes", "2") in regions
    assert ("11", "Île-de-France", "0") in regions


def test_the_finder_answers_without_javascript(client):
    html = page(client, "/territoires/", {"q": "vichy"})
    matches = section(html, "matches-title")

    assert "2 territoires trouvés pour « vichy »" in text_of(matches)
    assert re.findall(r'<a href="([^"]+)">', matches) == [
        "/territoires/commune/03310/",
        "/territoires/epci/200071363/",
    ]
    assert 'value="vichy"' in html  # the field keeps the query


def test_the_finder_says_when_nothing_matches(client):
    html = page(client, "/territoires/", {"q": "zzzzqqq"})
    assert re.search(r"0 territoires? trouvés? pour « zzzzqqq »", text_of(html))


@pytest.mark.parametrize("query", ["a" * 5000, "\x00", "vi\x00chy", "%_", "!!!"])
def test_the_finder_survives_odd_queries(client, query):
    html = page(client, "/territoires/", {"q": query})
    assert "Trouver votre territoire" in html


def test_the_finder_refuses_an_overlong_query_politely(client):
    assert "trop longue" in page(client, "/territoires/", {"q": "a" * 5000})


# --- pickers elsewhere ------------------------------------------------------------------------
def test_the_home_page_has_the_keyword_and_territory_search(client):
    html = page(client, "/")
    search = section(html, "home-search-title")

    assert re.search(r'action="/ptce/"[^>]*>.*?name="q"', search, re.S)
    assert re.search(r'action="/territoires/"[^>]*>.*?data-mode="navigate"', search, re.S)
    assert 'href="/ptce/">Voir tous les PTCE' in search
    assert "css/picker.css" in html


def test_the_header_links_to_the_directory_and_the_territories(client):
    nav = re.search(r'<nav class="site-nav".*?</nav>', page(client, "/"), re.S).group(0)

    assert 'href="/ptce/">Les PTCE' in nav
    assert 'href="/territoires/">Territoires' in nav


def test_the_directory_has_a_territory_picker_above_the_region_select(client):
    html = page(client, "/ptce/")

    picker = html.index('data-mode="filter"')
    assert picker < html.index('id="id_region"')
    assert 'data-target-form="directory-filters"' in html
    # The box belongs to the filter form; its button (the form's first) sends the whole form
    # to the territory choice, which keeps the other filters (tests/test_territory_choice.py).
    form = re.search(r'<form id="directory-filters".*?</form>', html, re.S).group(0)
    assert 'name="territoire"' in form
    assert re.search(r'<button type="submit"[^>]*formaction="/ptce/filtre/territoire/"', form)
    assert form.index("formaction") < form.index(">Filtrer</button>")


def test_the_directory_picker_shows_the_chosen_commune(client):
    html = page(client, "/ptce/", {"commune": "03095"})

    assert re.search(r'id="id_territory" name="territoire" value="Cusset"', html)
    assert '<input type="hidden" name="commune" value="03095">' in html


# --- queries ----------------------------------------------------------------------------------
def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        page(client, url, params)
    return len(queries)


def _add_ptces(count, start, allier, vichy_communaute):
    for n in range(start, start + count):
        ptce = PtceFactory(
            name=f"Pôle n°{n}",
            commune_code=["03095", "03310", "03190"][n % 3],
            themes=["culture", "habitat"][: n % 3],
            action_territories=[vichy_communaute] if n % 2 else [],
        )
        Support.objects.create(
            status="published",
            ptce=ptce,
            collectivite=allier,
            support_type=support_type("conseil-ingenierie"),
        )


@pytest.mark.parametrize("url", [ALLIER, AURA, VICHY_COMMUNAUTE, CUSSET])
def test_a_territory_page_needs_few_queries_whatever_the_number_of_ptces(
    client, url, allier, vichy_communaute
):
    SchemeFactory(owner=allier, support_types=["fonctionnement-animation"])
    _add_ptces(5, 0, allier, vichy_communaute)
    page(client, url)  # caches the filter options
    few = _queries(client, url)
    _add_ptces(35, 5, allier, vichy_communaute)
    page(client, url)  # new PTCEs: facet counts are computed again, then cached
    many = _queries(client, url)

    assert few == many
    assert many <= MAX_QUERIES


def test_the_finder_and_the_endpoint_need_few_queries(client):
    page(client, "/territoires/")
    assert _queries(client, "/territoires/", {"q": "vichy"}) <= 3
    assert _queries(client, "/territoires/recherche.json", {"q": "vichy"}) <= 2
