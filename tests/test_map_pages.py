"""/carte/, the territory map include and the admin's point picker (server side)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.template.loader import render_to_string

from directory.admin_forms import PtceAdminForm
from directory.models import Ptce

from .factories import PtceFactory, departement, epci

# WhiteNoise warns once that ``staticfiles/`` is absent (no collectstatic in tests).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ptces():
    return [
        PtceFactory(name="Atelier de Cusset", commune_code="03095", themes=["culture"]),
        PtceFactory(name="Habitat vichyssois", commune_code="03310", themes=["habitat"]),
        PtceFactory(name="Fabrique grenobloise", commune_code="38185", themes=["culture"]),
        PtceFactory(name="Pôle de l'Oise", departement_code="60", themes=["culture"]),
    ]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- /carte/ ----------------------------------------------------------------------------------
def test_map_page_renders_with_its_assets(client, ptces):
    html = get(client, "/carte/")
    assert "<h1>Carte des PTCE</h1>" in html
    assert 'id="ptce-map"' in html
    assert "leaflet/leaflet.js" in html and "leaflet/leaflet.css" in html
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert "vendor/leaflet.markercluster/MarkerCluster.css" in html
    assert "js/ptce-map.js" in html
    assert 'data-map-init="full"' in html and "js/map-start.js" in html
    assert "/static/img/blank-tile.png" in html  # the test tiles, never a remote provider
    assert "3 PTCE sur la carte" in html
    assert "1 PTCE correspondant à la recherche n'a pas de position connue" in html
    assert 'id="map-api"' in html and "/api/v1/ptce.geojson" in html


def test_map_page_without_javascript_links_to_the_directory(client, ptces):
    html = get(client, "/carte/?theme=culture&departement=03")
    assert 'href="/ptce/?departement=03&amp;theme=culture">Voir la liste</a>' in html
    assert "1 PTCE sur la carte" in html
    assert "<noscript>" in html
    # The table per région: the accessible equivalent of the coverage layer.
    row = '<tr data-region="84"><th scope="row">Auvergne-Rhône-Alpes</th><td>'
    assert f'{row}<a href="/ptce/?theme=culture&amp;region=84">1' in html


def test_map_page_form_keeps_the_filters(client, ptces):
    html = get(client, "/carte/?theme=culture&q=atelier&stage=emergence&region=84")
    # The directory's own form (tests/test_territory_choice.py: the same fields).
    assert 'id="id_theme_culture" checked' in html
    assert 'id="id_theme_habitat">' in html
    assert 'value="atelier"' in html
    assert '<option value="84" selected>' in html
    assert 'id="id_stage_emergence" checked' in html


def test_map_page_counts_follow_the_filters(client, ptces):
    assert "2 PTCE sur la carte" in get(client, "/carte/?region=84&theme=culture")
    assert "Aucun PTCE sur la carte" in get(client, "/carte/?theme=mobilite")


def test_map_page_with_a_zone(client, ptces):
    html = get(client, "/carte/?bbox=3,45,4,47")
    assert (
        '<input type="hidden" name="bbox" id="map-bbox" form="map-filters" value="3,45,4,47">'
        in html
    )
    assert "2 PTCE sur la carte" in html
    assert 'href="/ptce/?bbox=3%2C45%2C4%2C47">Voir la liste</a>' in html  # same zone
    assert 'id="map-zone-status" class="map-toolbar__zone">' in html  # shown


def test_the_list_link_of_a_zone_lists_the_same_ptces(client, ptces):
    html = get(client, "/ptce/?bbox=3%2C45%2C4%2C47")

    assert "Atelier de Cusset" in html and "Habitat vichyssois" in html
    assert "Fabrique grenobloise" not in html and "Pôle de l&#x27;Oise" not in html


def test_map_page_names_a_bad_zone_instead_of_failing(client, ptces):
    html = get(client, "/carte/?bbox=1,2,3&theme=inconnue")
    assert "Certains paramètres n'ont pas été pris en compte" in html
    assert "<code>bbox</code>" in html and "<code>theme</code>" in html
    assert "3 PTCE sur la carte" in html


# --- territory map include ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("territory", "outline"),
    [
        (lambda: departement("03"), "/api/v1/outlines/departements.geojson?code=03"),
        (lambda: departement("2A"), "/api/v1/outlines/departements.geojson?code=2A"),
        (lambda: epci("200071363"), None),
    ],
)
def test_territory_map_include(territory, outline):
    place = territory()
    html = render_to_string("includes/territory_map.html", {"territory": place})
    assert f'data-points-url="/api/v1/ptce.geojson?{place.kind}={place.code}"' in html
    if outline:
        assert f'data-outline-url="{outline}"' in html
    else:
        assert "data-outline-url" not in html
    assert "js/territory-map.js" in html and "leaflet.markercluster.js" in html
    assert 'data-map-init="territory"' in html and "js/map-start.js" in html
    assert f'href="/ptce/?{place.kind}={place.code}">Voir la liste</a>' in html


# --- admin point picker ----------------------------------------------------------------------
def test_the_admin_form_media_has_the_picker():
    media = str(PtceAdminForm().media)
    for asset in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "js/admin-point-picker.js",
        "css/admin-point-picker.css",
    ):
        assert asset in media


# The inlines' URL fields (Member.website) are built by the admin without ``assume_scheme``.
@pytest.mark.filterwarnings(
    "ignore:The default scheme will be changed:django.utils.deprecation.RemovedInDjango60Warning"
)
def test_the_ptce_change_form_includes_the_picker(client, ptces):
    """Needs ``form = PtceAdminForm`` on ``PtceAdmin`` (backoffice/admin/directory.py)."""
    assert issubclass(admin.site._registry[Ptce].form, PtceAdminForm)
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "x")
    client.force_login(user)
    html = get(client, f"/admin/directory/ptce/{ptces[0].pk}/change/")
    assert "/static/js/admin-point-picker.js" in html
    assert "/static/css/admin-point-picker.css" in html
    assert "/static/leaflet/leaflet.js" in html
    assert 'data-point-picker="latitude"' in html
    assert 'data-commune-point-url="/api/v1/communes/0/point.json"' in html
    assert 'data-tiles-url="/static/img/blank-tile.png"' in html
