"""Order and places: every list of territories in French alphabetical order (accents and case
ignored, the same on SQLite and PostgreSQL), the overseas collectivities that are neither
régions nor départements left out of those choices and named for what they are, and the
map's way to the overseas régions."""

import json
import re
from html import unescape

import pytest

from collectivites.models import Territory, TerritoryKind
from collectivites.queries import departement_choices, region_choices, search_suggestions
from core.text import normalize

from .factories import PtceFactory

OVERSEAS_COLLECTIVITIES = {
    "Saint-Pierre-et-Miquelon",
    "Saint-Barthélemy",
    "Saint-Martin",
    "Terres australes et antarctiques françaises",
    "Wallis et Futuna",
    "Polynésie française",
    "Nouvelle-Calédonie",
    "Île de Clipperton",
}
REGIONS_IN_ORDER = [
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Guadeloupe",
    "Guyane",
    "Hauts-de-France",
    "Île-de-France",
    "La Réunion",
    "Martinique",
    "Mayotte",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
]

pytestmark = pytest.mark.django_db


def text_of(response):
    return unescape(response.content.decode())


def test_region_choices_are_the_18_regions_in_alphabetical_order():
    assert [name for _code, name in region_choices()] == REGIONS_IN_ORDER


def test_departement_choices_leave_out_the_overseas_collectivities():
    codes = [code for code, _label in departement_choices()]

    assert len(codes) == 101
    assert {"975", "977", "978", "984", "986", "987", "988", "989"}.isdisjoint(codes)
    assert codes[:3] == ["01", "02", "03"]
    assert codes.index("2A") == codes.index("19") + 1 and codes[-1] == "976"


def test_territories_sort_by_name_with_accents_and_case_ignored():
    regions = list(Territory.objects.filter(kind=TerritoryKind.REGION, code__length=2))

    assert [t.name for t in regions] == REGIONS_IN_ORDER


def test_the_order_is_byte_by_byte_on_the_normalised_name_on_every_database():
    """« La Ferté » before « Laban » (a space comes first), « Île » among the I's: a locale
    collation (which skips spaces) would give the reverse of the first."""
    for code, name in [("99991", "Laban Témoin"), ("99992", "La Ferté Témoin")]:
        Territory.objects.create(kind=TerritoryKind.COMMUNE, code=code, name=name)
    for code, name in [("99993", "Île Témoin"), ("99994", "Jarnac Témoin"), ("99995", "ite")]:
        Territory.objects.create(kind=TerritoryKind.COMMUNE, code=code, name=name)

    names = list(
        Territory.objects.filter(
            code__in=["99991", "99992", "99993", "99994", "99995"]
        ).values_list("name", flat=True)
    )

    assert names == ["Île Témoin", "ite", "Jarnac Témoin", "La Ferté Témoin", "Laban Témoin"]


def test_autocomplete_ties_follow_the_alphabet():
    for code, name in [("99996", "Jarnac Témoin"), ("99997", "Île Témoin")]:
        Territory.objects.create(kind=TerritoryKind.COMMUNE, code=code, name=name, population=10)

    found = [s["name"] for s in search_suggestions("témoin")]

    assert found == ["Île Témoin", "Jarnac Témoin"]


def test_the_territory_index_lists_the_regions_in_order(client):
    html = text_of(client.get("/territoires/"))
    section = html[html.index('id="regions-title"') :]

    listed = re.findall(r'<a href="/territoires/region/[^"]+">([^<]+)</a>', section)
    assert listed == REGIONS_IN_ORDER


def test_the_maps_table_and_filters_list_the_regions_in_order(client):
    html = text_of(client.get("/carte/"))
    table = html[html.index('class="coverage-table"') :]
    form = html[html.index('id="map-filters"') :]  # the directory's filter form, shared
    start = form.index('name="region"')
    select = form[start : form.index("</select>", start)]

    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == REGIONS_IN_ORDER
    assert re.findall(r'<option value="\d+">([^<]+)</option>', select) == REGIONS_IN_ORDER


def test_the_directorys_region_filter_offers_no_overseas_collectivity(client):
    html = text_of(client.get("/ptce/"))

    assert "Île-de-France" in html
    for name in OVERSEAS_COLLECTIVITIES:
        assert f">{name}<" not in html


def test_an_overseas_collectivity_is_named_for_what_it_is(client, territory):
    caledonia = territory(TerritoryKind.REGION, "988")
    html = text_of(client.get(caledonia.get_absolute_url()))

    assert caledonia.kind_label == "Collectivité d'outre-mer"
    assert "Collectivité d'outre-mer · code 988" in html
    assert "Les PTCE en Nouvelle-Calédonie" in html
    labels = {s["label"] for s in search_suggestions("Nouvelle-Calédonie")}
    assert labels == {"Nouvelle-Calédonie — collectivité d'outre-mer"}


def test_a_ptce_of_an_overseas_collectivity_has_its_row_in_the_maps_table(client):
    PtceFactory(name="Pôle du Pacifique", departement_code="988")

    html = text_of(client.get("/carte/"))
    table = html[html.index('class="coverage-table"') :]

    rows = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert rows == [*REGIONS_IN_ORDER, "Nouvelle-Calédonie (collectivité d'outre-mer)"]


def test_the_map_offers_a_way_to_each_overseas_region(client):
    html = text_of(client.get("/carte/"))
    places = json.loads(
        re.search(r'<script id="map-places" type="application/json">(.*?)</script>', html).group(1)
    )

    assert [place["name"] for place in places] == [
        "France métropolitaine",
        "Guadeloupe",
        "Guyane",
        "La Réunion",
        "Martinique",
        "Mayotte",
    ]
    for place in places[1:]:
        region = Territory.objects.get(kind=TerritoryKind.REGION, name=place["name"])
        assert (place["latitude"], place["longitude"]) == (region.latitude, region.longitude)


def test_search_name_is_the_normalised_name():
    assert normalize("Île-de-France") == "ile de france"
    assert Territory.objects.get(kind=TerritoryKind.REGION, code="11").search_name == (
        "ile de france"
    )
