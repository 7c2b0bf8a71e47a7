"""The map of the directory (``/ptce/``), server side: the ``bbox`` filter (the zone of the
map) with its chip, the map panel and the GeoJSON URL it reads, and the API's own strict
``bbox``. The browser side is in ``e2e/test_e2e_directory_map.py``."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.http import QueryDict

from directory.filters import PtceFilterSet, parse_bbox_value
from directory.models import Ptce, PtceStatus

from .directory_helpers import (
    chip_url,
    chips,
    facet,
    follow,
    get_list,
    html_of,
    ignored_notice,
    make_ptce,
    names,
    next_page_url,
    result_count,
)

# WhiteNoise warns once that ``staticfiles/`` is absent (no collectstatic in tests).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CUSSET, VICHY, GRENOBLE, OISE = (
    "Atelier de Cusset",
    "Habitat vichyssois",
    "Fabrique grenobloise",
    "Pôle de l'Oise",
)
ALL = [CUSSET, GRENOBLE, VICHY, OISE]  # sorted by name, accents and case aside
AROUND_VICHY = "3.3,46,3.6,46.3"  # Cusset (3.45° E) and Vichy (3.42° E), not Grenoble
GEOJSON = "/api/v1/ptce.geojson"
ZONE_CHIP = "Zone de la carte"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def located():
    """Cusset and Vichy (03), Grenoble (38) with their town halls' coordinates; the Oise one
    known only by its département (no coordinates); a draft in Cusset."""
    make_ptce(CUSSET, commune="03095", themes=["culture"])
    make_ptce(VICHY, commune="03310", themes=["habitat"])
    make_ptce(GRENOBLE, commune="38185", themes=["culture", "economie-circulaire"])
    make_ptce(OISE, departement="60", themes=["culture"])
    make_ptce("Brouillon de Cusset", commune="03095", status=PtceStatus.DRAFT)


def map_data_url(response):
    """The GeoJSON URL the map reads (``#directory-map-data``, in the swapped fragment)."""
    match = re.search(
        r'<div id="directory-map-data" hidden data-points-url="([^"]*)"', html_of(response)
    )
    assert match, "no #directory-map-data on the page"
    return unescape(match.group(1))


def bbox_field(response):
    match = re.search(
        r'<input type="hidden" name="bbox" id="directory-bbox" form="directory-filters"'
        r' value="([^"]*)">',
        html_of(response),
    )
    assert match, "no hidden bbox field owned by the filter form"
    return unescape(match.group(1))


# --- the filter -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        (AROUND_VICHY, [CUSSET, VICHY]),
        ("5,45,6,46", [GRENOBLE]),
        ("-5,41,10,52", [CUSSET, GRENOBLE, VICHY]),  # never the PTCE without coordinates
        ("170,40,3.44,50", [VICHY]),  # across the antimeridian: east of 170° or west of 3.44°
        ("-61,14,-60,15", []),
    ],
)
def test_a_zone_lists_the_ptces_located_in_it(client, located, bbox, expected):
    response = get_list(client, {"bbox": bbox})

    assert response.status_code == 200
    assert names(response) == expected
    assert result_count(response) == len(expected)
    assert ignored_notice(response) == ""


def test_a_zone_combines_with_the_other_filters_and_the_facets_follow(client, located):
    response = get_list(client, {"bbox": AROUND_VICHY, "theme": "culture"})

    assert names(response) == [CUSSET]
    themes = facet(get_list(client, {"bbox": AROUND_VICHY}), "theme")
    assert themes["culture"] == 1 and themes["habitat"] == 1
    assert themes["economie-circulaire"] == 0


def test_an_empty_zone_is_no_zone(client, located):
    response = get_list(client, {"bbox": " "})

    assert names(response) == ALL
    assert ignored_notice(response) == ""
    assert ZONE_CHIP not in [label for label, _url in chips(response)]


@pytest.mark.parametrize(
    ("bbox", "reason"),
    [
        ("1,2,3", "quatre nombres"),
        ("a,b,c,d", "quatre nombres"),
        ("nan,1,2,3", "quatre nombres"),
        ("1,2,inf,4", "quatre nombres"),
        ("1," * 200 + "1", "quatre nombres"),
        ("0,-91,1,1", "latitudes"),
        ("-200,1,1,2", "longitudes"),
        ("0,5,1,2", "sud"),
    ],
)
def test_a_malformed_zone_is_named_and_ignored(client, located, bbox, reason):
    response = get_list(client, {"bbox": bbox, "theme": "culture"})

    assert response.status_code == 200
    assert names(response) == [CUSSET, GRENOBLE, OISE]  # the theme still applies
    notice = ignored_notice(response)
    assert re.search(r"\bbbox\b", notice) and reason in notice
    assert ZONE_CHIP not in [label for label, _url in chips(response)]
    assert bbox_field(response) == ""
    assert "bbox" not in parse_qs(urlsplit(map_data_url(response)).query)


def test_a_repeated_zone_keeps_the_first_and_names_the_second(client, located):
    response = get_list(client, [("bbox", AROUND_VICHY), ("bbox", "5,45,6,46")])

    assert names(response) == [CUSSET, VICHY]
    assert "5,45,6,46" in ignored_notice(response)


def test_the_filterset_reads_a_zone_like_the_api(located):
    assert parse_bbox_value("170,-20,-170,-10").as_tuple() == (170, -20, -170, -10)
    filterset = PtceFilterSet(QueryDict(f"bbox={AROUND_VICHY}"), queryset=Ptce.objects.published())
    assert filterset.form.data["bbox"] == AROUND_VICHY
    assert filterset.ignored == []
    assert sorted(filterset.qs.values_list("name", flat=True)) == [CUSSET, VICHY]


# --- the chip and the links ------------------------------------------------------------------
def test_the_zone_has_a_chip_that_removes_only_the_zone(client, located):
    response = get_list(client, {"bbox": AROUND_VICHY, "theme": "culture"})

    assert ZONE_CHIP in [label for label, _url in chips(response)]
    removed = follow(client, chip_url(response, ZONE_CHIP))
    assert names(removed) == [CUSSET, GRENOBLE, OISE]
    assert ZONE_CHIP not in [label for label, _url in chips(removed)]
    # The theme's chip keeps the zone.
    only_zone = follow(client, chip_url(response, "Culture"))
    assert names(only_zone) == [CUSSET, VICHY]


def test_the_zone_stays_in_the_form_and_the_next_page_link(client):
    for n in range(21):
        make_ptce(f"Pôle cussetois {n:02d}", commune="03095")
    make_ptce("Pôle grenoblois", commune="38185")

    response = get_list(client, {"bbox": AROUND_VICHY})

    assert result_count(response) == 21
    assert bbox_field(response) == AROUND_VICHY
    assert parse_qs(urlsplit(next_page_url(response)).query)["bbox"] == [AROUND_VICHY]


# --- the map panel ---------------------------------------------------------------------------
def test_the_page_has_the_map_panel_hidden_until_its_script_shows_it(client, located):
    body = html_of(get_list(client))

    assert re.search(r'<section id="directory-map-panel"[^>]*\bhidden\b', body)
    assert '<div id="directory-map" class="directory-map__map" role="region"' in body
    assert "Rechercher dans cette zone" in body
    assert re.search(r'id="directory-view-toggle" role="group"[^>]*hidden', body)
    assert re.search(r'data-view="list" aria-pressed="true">Liste<', body)
    assert re.search(r'data-view="map" aria-pressed="false">Carte<', body)
    for script in ("js/map-common.js", "js/directory-map.js", "leaflet.markercluster.js"):
        assert script in body
    assert 'data-map-init="directory"' in body and "js/map-start.js" in body


def test_the_map_reads_the_geojson_of_the_current_filters(client, located):
    response = get_list(
        client,
        [("theme", "culture"), ("theme", "inconnue"), ("bbox", AROUND_VICHY), ("sort", "nom")],
    )

    url = urlsplit(map_data_url(response))
    assert url.path == GEOJSON
    # The filters as applied (what is ignored is left out); the sort and page do not matter.
    assert parse_qs(url.query) == {"theme": ["culture"], "bbox": [AROUND_VICHY]}
    payload = client.get(map_data_url(response)).json()
    assert [f["properties"]["name"] for f in payload["features"]] == [CUSSET]


def test_without_filters_the_map_reads_every_located_ptce(client, located):
    url = map_data_url(get_list(client, {"page": "1"}))

    assert url == GEOJSON
    features = client.get(url).json()["features"]
    assert sorted(f["properties"]["name"] for f in features) == [CUSSET, GRENOBLE, VICHY]


def test_the_fragment_carries_the_new_geojson_url_but_not_the_panel(client, located):
    response = get_list(client, {"theme": "habitat"}, headers={"X-Fragment": "results"})

    body = html_of(response)
    assert "<html" not in body
    assert "directory-map-panel" not in body
    assert parse_qs(urlsplit(map_data_url(response)).query) == {"theme": ["habitat"]}
    assert bbox_field(response) == ""


def test_territory_pages_keep_their_own_body(client, located):
    response = client.get("/territoires/departement/03/")

    assert response.status_code == 200
    assert "directory-map-panel" not in html_of(response)


def test_a_territory_page_keeps_a_zone_given_in_its_url_when_filters_change(client, located):
    response = client.get("/territoires/departement/03/", {"bbox": "3.44,46,3.6,46.3"})
    html = html_of(response)

    assert names(response) == [CUSSET]
    assert '<input type="hidden" name="bbox" value="3.44,46,3.6,46.3">' in html
    assert ZONE_CHIP in html


# --- the API keeps its strict bbox -----------------------------------------------------------
@pytest.mark.parametrize("url", [GEOJSON, "/api/v1/coverage.json"])
@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "0,5,1,2", "0,-91,1,1"])
def test_the_api_still_answers_400_to_a_bad_zone(client, located, url, bbox):
    response = client.get(url, {"bbox": bbox})

    assert response.status_code == 400
    assert response.json()["parameter"] == "bbox"


def test_the_api_applies_a_zone_once_and_does_not_list_it_as_ignored(client, located):
    payload = client.get(GEOJSON, {"bbox": AROUND_VICHY, "theme": "inconnue"}).json()

    assert sorted(f["properties"]["name"] for f in payload["features"]) == [CUSSET, VICHY]
    assert [item["parameter"] for item in payload["ignored"]] == ["theme"]
    counts = client.get("/api/v1/coverage.json", {"bbox": AROUND_VICHY}).json()["counts"]
    assert counts == {"03": 2}
