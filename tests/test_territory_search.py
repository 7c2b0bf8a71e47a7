"""The territory autocomplete: ``Territory.objects.search`` and ``/territoires/recherche.json``
over the 36,000 real territories."""

import pytest
from django.urls import reverse

from collectivites.models import Territory, TerritoryKind

# WhiteNoise warns once that ``staticfiles/`` is absent (no collectstatic in tests).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

URL = "/territoires/recherche.json"


def found(text, **params):
    return [(t.kind, t.code) for t in Territory.objects.search(text, **params)[:10]]


def results(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_the_url_is_named():
    assert reverse("api:territory-search") == URL


# --- ranking ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["saint etienne", "Saint-Étienne", "SAINT ÉTIENNE", "saint-etienne"]
)
def test_saint_etienne_is_found_first_whatever_the_case_and_accents(text):
    assert found(text)[0] == (TerritoryKind.COMMUNE, "42218")


def test_st_etienne_is_saint_etienne():
    assert found("st etienne")[0] == (TerritoryKind.COMMUNE, "42218")
    assert found("St-Étienne-du-Rouvray")[0] == (TerritoryKind.COMMUNE, "76575")


def test_vichy_finds_the_commune_first_then_its_intercommunalite():
    matches = found("vichy")

    assert matches[0] == (TerritoryKind.COMMUNE, "03310")
    assert (TerritoryKind.EPCI, "200071363") in matches


def test_names_starting_with_the_query_come_before_names_with_a_word_starting_with_it():
    matches = [t.name for t in Territory.objects.search("saint etienne")[:10]]
    # Every name starts with « Saint-Étienne »: « Lay-Saint-Étienne » comes later, if at all.
    assert all(name.startswith("Saint-Étienne") for name in matches), matches


def test_among_names_starting_alike_broader_levels_then_bigger_populations_come_first():
    matches = list(Territory.objects.search("saint etienne")[:10])

    assert matches[1].kind == TerritoryKind.EPCI  # Saint-Étienne Métropole
    communes = [t.population for t in matches[2:]]
    assert communes == sorted(communes, reverse=True)


def test_a_word_inside_a_name_is_found():
    assert (TerritoryKind.COMMUNE, "76351") in found("havre")  # Le Havre


def test_the_words_may_come_in_any_order():
    assert (TerritoryKind.COMMUNE, "42218") in found("etienne saint")


def test_a_region_a_departement_and_a_metropole_by_name():
    assert found("auvergne rhone")[0] == (TerritoryKind.REGION, "84")
    assert found("allier")[0] == (TerritoryKind.DEPARTEMENT, "03")
    assert (TerritoryKind.EPCI, "200040715") in found("grenoble")


# --- codes ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03095", (TerritoryKind.COMMUNE, "03095")),
        ("2A004", (TerritoryKind.COMMUNE, "2A004")),
        ("200071363", (TerritoryKind.EPCI, "200071363")),
        ("03", (TerritoryKind.DEPARTEMENT, "03")),
        ("2b", (TerritoryKind.DEPARTEMENT, "2B")),
        ("974", (TerritoryKind.DEPARTEMENT, "974")),
    ],
)
def test_an_official_code_finds_its_territory_first(text, expected):
    assert found(text)[0] == expected


def test_a_postcode_finds_the_communes_that_have_it():
    matches = found("03300")

    assert (TerritoryKind.COMMUNE, "03095") in matches  # Cusset
    assert matches[0] == (TerritoryKind.COMMUNE, "03300")  # Vaumas's INSEE code
    assert all(kind == TerritoryKind.COMMUNE for kind, _code in matches)


def test_the_start_of_a_postcode_finds_communes_too():
    assert (TerritoryKind.COMMUNE, "03095") in found("0330")


# --- the endpoint ---------------------------------------------------------------------------
def test_the_endpoint_answers_the_documented_shape(client):
    assert results(client, q="cusset")[0] == {
        "kind": "commune",
        "kind_label": "Commune",
        "code": "03095",
        "name": "Cusset",
        "label": "Cusset (03) — commune",
        "url": "/territoires/commune/03095/",
        "filter": {"commune": "03095"},
    }


def test_labels_name_the_departement_of_epci_and_none_for_regions(client):
    by_code = {r["code"]: r for r in results(client, q="vichy")}
    assert by_code["200071363"]["label"] == "CA Vichy Communauté (03) — intercommunalité"
    assert by_code["200071363"]["filter"] == {"epci": "200071363"}

    region = results(client, q="auvergne rhone alpes")[0]
    assert region["label"] == "Auvergne-Rhône-Alpes — région"
    assert region["filter"] == {"region": "84"}


def test_at_most_ten_results(client):
    assert len(results(client, q="saint")) == 10


def test_kind_restricts_the_levels(client):
    kinds = {r["kind"] for r in results(client, q="vichy", kind=["epci"])}
    assert kinds == {"epci"}
    assert results(client, q="allier", kind=["epci", "commune"])[0]["kind"] != "departement"


def test_unknown_kinds_are_ignored(client):
    assert results(client, q="cusset", kind=["planete"])[0]["code"] == "03095"


def test_the_answer_can_be_cached_by_browsers(client):
    response = client.get(URL, {"q": "cusset"})
    assert "max-age=300" in response["Cache-Control"]


# --- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "!!! ---"}, {"q": "é"}])
def test_nothing_to_look_for_is_an_empty_answer(client, params):
    if params.get("q") == "é":
        assert isinstance(results(client, **params), list)
    else:
        assert results(client, **params) == []


def test_a_very_long_query_is_a_json_400(client):
    response = client.get(URL, {"q": "a" * 5000})

    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == "q"
    assert "trop longue" in body["error"]


@pytest.mark.parametrize(
    "text", ["vi\x00chy", "\x00", "%", "_", "%_\\", "' OR 1=1 --", "vichy\x00" * 20, "𝕍𝕚𝕔𝕙𝕪"]
)
def test_odd_input_never_fails(client, text):
    assert isinstance(results(client, q=text), list)


def test_nul_bytes_are_dropped():
    assert found("vi\x00chy")[0] == (TerritoryKind.COMMUNE, "03310")


def test_a_repeated_q_uses_the_first(client):
    assert results(client, q=["cusset", "vichy"])[0]["code"] == "03095"
