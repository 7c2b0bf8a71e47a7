"""The API v1 beyond PTCEs: /api/v1/territoires/ (the autocomplete), /api/v1/experiences/,
/api/v1/dispositifs/ and /api/v1/soutiens/: filters, pagination, errors, and no draft
PTCE named anywhere."""

import pytest

from collectivites.models import SupportType

from .api_v1_helpers import directory, error_of, get_json
from .factories import ExperienceFactory, SchemeFactory, departement, region

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
__all__ = ["directory"]

TERRITORIES = "/api/v1/territoires/"
EXPERIENCES = "/api/v1/experiences/"
SCHEMES = "/api/v1/dispositifs/"
SUPPORT_TYPES = "/api/v1/soutiens/"


def slugs(payload):
    return [item["slug"] for item in payload["results"]]


# --- territories ----------------------------------------------------------------------------
def test_territory_search_gives_codes_levels_and_absolute_urls(client, db):
    results = get_json(client, f"{TERRITORIES}?q=cusset")["results"]
    cusset = next(r for r in results if r["code"] == "03095")
    assert cusset["level"] == "commune"
    assert cusset["name"] == "Cusset"
    assert cusset["url"] == "http://testserver/territoires/commune/03095/"
    assert cusset["filter"] == {"commune": "03095"}
    assert "Cusset (03)" in cusset["label"]


def test_territory_search_by_code_and_by_level(client, db):
    results = get_json(client, f"{TERRITORIES}?q=03&kind=departement")["results"]
    assert [(r["level"], r["code"]) for r in results] == [("departement", "03")]
    regions = get_json(client, f"{TERRITORIES}?q=auvergne&kind=region")["results"]
    assert {r["level"] for r in regions} == {"region"}
    assert len(get_json(client, f"{TERRITORIES}?q=saint")["results"]) == 10


def test_territory_search_without_text_is_empty(client, db):
    assert get_json(client, TERRITORIES) == {"results": []}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("q=" + "a" * 201, "q"), ("q=a&q=b", "q"), ("q=vichy&kind=canton", "kind")],
)
def test_territory_search_errors(client, db, query, parameter):
    assert error_of(client, f"{TERRITORIES}?{query}")[1] == parameter


# --- experiences ------------------------------------------------------------------------------
def test_experiences_never_name_an_unpublished_ptce(client, directory):
    results = {e["slug"]: e for e in get_json(client, EXPERIENCES)["results"]}
    assert results["atelier-soutenu"]["ptce"] == {
        "slug": directory["cusset"].slug,
        "name": "Atelier de Cusset",
        "url": f"http://testserver/ptce/{directory['cusset'].slug}/",
    }
    assert results["brouillon-soutenu"]["ptce"] is None  # its PTCE is a draft
    body = client.get(EXPERIENCES).content.decode()
    assert directory["draft"].slug not in body and "Brouillon moulinois" not in body


def test_experience_fields_and_filters(client, directory):
    ExperienceFactory(
        title="Région qui investit",
        slug="region-investit",
        collectivite=region("84"),
        support_types=["investissement"],
    )
    item = next(
        e for e in get_json(client, EXPERIENCES)["results"] if e["slug"] == "region-investit"
    )
    assert item["collectivite"]["level"] == "region"
    assert item["url"] == "http://testserver/experiences/region-investit/"
    assert item["support_types"] == [
        {"slug": "investissement", "title": SupportType.objects.get(slug="investissement").title}
    ]
    assert slugs(get_json(client, f"{EXPERIENCES}?level=region")) == ["region-investit"]
    supported = slugs(get_json(client, f"{EXPERIENCES}?support=investissement"))
    assert supported == ["region-investit", "atelier-soutenu"]  # by title
    assert slugs(get_json(client, f"{EXPERIENCES}?region=84&level=region")) == ["region-investit"]
    assert slugs(get_json(client, f"{EXPERIENCES}?q=investit")) == ["region-investit"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("level=canton", "level"), ("support=rien", "support"), ("region=00", "region")],
)
def test_experience_errors(client, db, query, parameter):
    assert error_of(client, f"{EXPERIENCES}?{query}")[1] == parameter


def test_experiences_are_paginated(client, db):
    for n in range(5):
        ExperienceFactory(title=f"Retour {n}", slug=f"retour-{n}")
    first = get_json(client, f"{EXPERIENCES}?page_size=2")
    assert first["count"] == 5 and slugs(first) == ["retour-0", "retour-1"]
    last = get_json(client, f"{EXPERIENCES}?page_size=2&page=3")
    assert slugs(last) == ["retour-4"] and last["next"] is None
    error_of(client, f"{EXPERIENCES}?page_size=2&page=4", 404)


# --- schemes ----------------------------------------------------------------------------------
def test_schemes_with_their_filters(client, db):
    SchemeFactory(
        slug="aap-aura", name="Appel régional", owner=region("84"), support_types=["investissement"]
    )
    SchemeFactory(slug="ami-etat", name="AMI national", owner=None, start_year=2000, end_year=2001)
    SchemeFactory(slug="fonds-allier", name="Fonds de l'Allier", owner=departement("03"))
    everything = get_json(client, SCHEMES)
    assert slugs(everything) == ["ami-etat", "aap-aura", "fonds-allier"]
    national = everything["results"][0]
    assert national["owner"] is None and national["owner_label"] == "État"
    assert national["running"] is False
    assert national["url"] == "http://testserver/dispositifs/ami-etat/"
    assert slugs(get_json(client, f"{SCHEMES}?level=etat")) == ["ami-etat"]
    assert slugs(get_json(client, f"{SCHEMES}?support=investissement")) == ["aap-aura"]
    assert slugs(get_json(client, f"{SCHEMES}?open=non")) == ["ami-etat"]
    assert slugs(get_json(client, f"{SCHEMES}?region=84")) == [
        "ami-etat",
        "aap-aura",
        "fonds-allier",
    ]
    assert error_of(client, f"{SCHEMES}?open=peut-etre")[1] == "open"


# --- support types ----------------------------------------------------------------------------
def test_support_types_count_published_ptces_only(client, directory):
    payload = get_json(client, SUPPORT_TYPES)
    assert payload["count"] == SupportType.objects.count()
    assert slugs(payload) == list(SupportType.objects.values_list("slug", flat=True))
    by_slug = {item["slug"]: item for item in payload["results"]}
    # Cusset got it from its département; the PTCE in review got it too, and is not counted.
    assert by_slug["investissement"]["ptce_count"] == 1
    assert by_slug["conseil-ingenierie"]["ptce_count"] == 1
    assert by_slug["investissement"]["url"] == "http://testserver/soutenir/investissement/"


# --- drafts, everywhere -------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ptce/",
        "/api/v1/ptce/?commune=03095",
        "/api/v1/ptce/?q=brouillon",
        "/api/v1/ptce/?support=investissement",
        EXPERIENCES,
        SCHEMES,
        SUPPORT_TYPES,
        "/api/v1/ptce.geojson",
    ],
)
def test_no_unpublished_ptce_anywhere(client, directory, url):
    body = client.get(url).content.decode()
    for which in ("draft", "review"):
        assert directory[which].slug not in body
    assert "Brouillon moulinois" not in body and "Relecture cussétoise" not in body
