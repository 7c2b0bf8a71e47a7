"""The directory's territory box without JavaScript: the typed name is resolved on the server
with every other filter kept (``directory/territory_choice.py``), on /ptce/ and on /carte/."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from .factories import PtceFactory

pytestmark = pytest.mark.django_db

CHOICE = "/ptce/filtre/territoire/"


def query_of(url):
    return parse_qs(urlsplit(url).query)


@pytest.fixture
def ptces():
    return [
        PtceFactory(name="Atelier de Cusset", commune_code="03095", themes=["culture"]),
        PtceFactory(name="Habitat de Cusset", commune_code="03095", themes=["habitat"]),
        PtceFactory(name="Fabrique grenobloise", commune_code="38185", themes=["culture"]),
    ]


def test_a_name_naming_one_commune_filters_the_list_and_keeps_the_theme(client, ptces):
    response = client.get(CHOICE, {"territoire": "Cusset", "theme": "culture", "q": ""})

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/ptce/"
    assert query_of(response["Location"]) == {"theme": ["culture"], "commune": ["03095"]}
    listed = client.get(response["Location"]).content.decode()
    assert "Atelier de Cusset" in listed
    assert "Habitat de Cusset" not in listed and "Fabrique grenobloise" not in listed


def test_choosing_a_commune_replaces_the_other_levels_and_drops_the_page(client, ptces):
    response = client.get(
        CHOICE, {"territoire": "cusset", "region": "84", "departement": "38", "page": "3"}
    )

    assert query_of(response["Location"]) == {"commune": ["03095"]}


def test_an_intercommunality_by_its_siren(client, ptces):
    response = client.get(CHOICE, {"territoire": "200071363", "theme": "habitat"})

    assert query_of(response["Location"]) == {"theme": ["habitat"], "epci": ["200071363"]}


def test_an_ambiguous_name_offers_each_territory_with_the_filters_kept(client, ptces):
    response = client.get(CHOICE, {"territoire": "Saint-Denis", "theme": "culture"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Quel territoire ?</h1>" in html
    choices = re.findall(r'<li><a href="([^"]+)">Saint-Denis \((\w+)\)', html)
    assert {departement for _url, departement in choices} >= {"93", "974"}
    for url, _departement in choices:
        query = query_of(url.replace("&amp;", "&"))
        assert query["theme"] == ["culture"] and len(query["commune"][0]) == 5


def test_an_unknown_name_says_so_and_keeps_the_filters_for_another_try(client, ptces):
    response = client.get(CHOICE, {"territoire": "Xyzzyville", "theme": "culture"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Aucune commune ni intercommunalité ne correspond à « Xyzzyville »" in html
    assert '<input type="hidden" name="theme" value="culture">' in html
    assert 'href="/ptce/?theme=culture">Revenir aux résultats' in html


def test_the_name_already_applied_keeps_the_filters_as_they_are(client, ptces):
    response = client.get(CHOICE, {"territoire": "Saint-Denis", "commune": "93066", "q": "atelier"})

    assert query_of(response["Location"]) == {"commune": ["93066"], "q": ["atelier"]}


def test_an_emptied_box_removes_the_commune_but_not_the_departement(client, ptces):
    response = client.get(CHOICE, {"territoire": " ", "commune": "03095", "departement": "03"})

    assert query_of(response["Location"]) == {"departement": ["03"]}


@pytest.mark.parametrize(
    "text",
    ["x" * 5000, "\x00", "Cus\x00set", "<script>alert(1)</script>", "'; DROP TABLE x;--", "%%%"],
)
def test_hostile_input_gets_a_page_never_a_server_error(client, ptces, text):
    response = client.get(CHOICE, {"territoire": text, "commune": "\x00zz", "theme": "culture"})

    assert response.status_code in (200, 302)
    assert "<script>alert" not in response.content.decode()


def test_the_filter_button_without_javascript_goes_through_the_choice(client, ptces):
    response = client.get("/ptce/", {"territoire": "Cusset", "theme": "culture"})

    assert response.status_code == 302
    assert response["Location"] == f"{CHOICE}?territoire=Cusset&theme=culture"


def test_on_the_map_the_choice_comes_back_to_the_map(client, ptces):
    response = client.get("/carte/territoire/", {"territoire": "Cusset", "theme": "culture"})

    assert urlsplit(response["Location"]).path == "/carte/"
    assert query_of(response["Location"]) == {"theme": ["culture"], "commune": ["03095"]}


# --- one filter form for /ptce/ and /carte/ -----------------------------------------------------
def form_fields(html, form_id):
    form = re.search(rf'<form id="{form_id}".*?</form>', html, re.S).group(0)
    return sorted(set(re.findall(r'name="([a-z_]+)"', form)))


def test_the_map_offers_the_same_filters_as_the_directory(client, ptces):
    directory = client.get("/ptce/").content.decode()
    map_page = client.get("/carte/").content.decode()

    fields = form_fields(directory, "directory-filters")
    assert form_fields(map_page, "map-filters") == fields
    for name in ["q", "territoire", "region", "departement", "theme", "support", "stage"]:
        assert name in fields
    assert 'name="legal_form"' in map_page and 'name="charter"' in map_page


def test_the_map_form_checks_what_the_query_asks(client, ptces):
    html = client.get("/carte/", {"theme": "culture", "commune": "03095"}).content.decode()

    assert re.search(r'name="theme" value="culture" id="id_theme_culture" checked', html)
    assert '<input type="hidden" name="commune" value="03095">' in html
    assert 'name="territoire" value="Cusset"' in html
    assert "1 PTCE sur la carte" in html
