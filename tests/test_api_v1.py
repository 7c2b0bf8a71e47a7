"""The API v1's PTCEs: /api/v1/ptce/ (the directory's filters, pagination, errors naming the
parameter) and /api/v1/ptce/<slug>/ (the whole entry; drafts are 404)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from .api_v1_helpers import PTCE_LIST, directory, error_of, get_json, names, ptce_url
from .factories import PtceFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
__all__ = ["directory"]

PUBLISHED = ["Atelier de Cusset", "Fabrique grenobloise", "Habitat vichyssois", "Pôle lillois"]


# --- the list ---------------------------------------------------------------------------
def test_list_holds_published_ptces_only_by_name(client, directory):
    payload = get_json(client, PTCE_LIST)
    assert payload["count"] == 4
    assert names(payload) == PUBLISHED
    assert payload["next"] is None and payload["previous"] is None


def test_list_item_fields(client, directory):
    cusset = directory["cusset"]
    item = get_json(client, f"{PTCE_LIST}?commune=03095")["results"][0]
    assert item["id"] == cusset.pk
    assert item["slug"] == cusset.slug
    assert item["url"] == f"http://testserver/ptce/{cusset.slug}/"
    assert item["api_url"] == f"http://testserver/api/v1/ptce/{cusset.slug}/"
    assert item["commune"] == {
        "level": "commune",
        "code": "03095",
        "name": "Cusset",
        "url": "http://testserver/territoires/commune/03095/",
    }
    assert item["departement"]["code"] == "03"
    assert item["region"]["code"] == "84"
    assert item["region"]["name"] == "Auvergne-Rhône-Alpes"
    assert item["themes"] == [{"slug": "culture", "name": "Culture"}]
    assert item["stage"]["slug"] == "emergence"
    assert item["legal_form"] is None
    assert item["charter_signed"] == "inconnu"
    assert item["latitude"] == pytest.approx(cusset.latitude)
    assert item["longitude"] == pytest.approx(cusset.longitude)
    assert "last_verified" in item and "updated_at" in item
    assert "status" not in item and "source" not in item


def test_last_verified_date(client, directory):
    cusset = directory["cusset"]
    cusset.last_verified = "2026-05-04"
    cusset.save()
    item = get_json(client, f"{PTCE_LIST}?commune=03095")["results"][0]
    assert item["last_verified"] == "2026-05-04"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=culture", ["Atelier de Cusset", "Fabrique grenobloise"]),
        ("theme=culture&theme=habitat", PUBLISHED[:3]),
        ("departement=03", ["Atelier de Cusset", "Habitat vichyssois"]),
        ("region=84", PUBLISHED[:3]),
        ("epci=200071363", ["Atelier de Cusset", "Habitat vichyssois"]),
        ("commune=03310", ["Habitat vichyssois"]),
        ("support=investissement", ["Atelier de Cusset"]),
        ("stage=emergence", ["Atelier de Cusset"]),
        ("charter=oui", ["Fabrique grenobloise"]),
        ("q=grenobloise", ["Fabrique grenobloise"]),
        ("q=xylophone", []),
        ("bbox=3.3,46,3.5,46.2", ["Atelier de Cusset", "Habitat vichyssois"]),
        ("departement=03&theme=culture", ["Atelier de Cusset"]),
        ("sort=nom", PUBLISHED),
    ],
)
def test_the_directory_filters_apply(client, directory, query, expected):
    assert names(get_json(client, f"{PTCE_LIST}?{query}")) == expected


def test_typo_finds_close_names_like_the_directory(client, directory):
    assert names(get_json(client, f"{PTCE_LIST}?q=grenobloize")) == ["Fabrique grenobloise"]


def test_recent_sort(client, directory):
    directory["lille"].save()  # the latest change
    assert names(get_json(client, f"{PTCE_LIST}?sort=recent"))[0] == "Pôle lillois"


class TestInvalidValues:
    """One directory for the whole family (``class_directory``)."""

    @pytest.mark.parametrize(
        ("query", "parameter"),
        [
            ("theme=inconnue", "theme"),
            ("theme=culture&theme=inconnue", "theme"),
            ("departement=XX", "departement"),
            ("region=99", "region"),
            ("commune=00000", "commune"),
            ("epci=1", "epci"),
            ("charter=peut-etre", "charter"),
            ("sort=hasard", "sort"),
            ("bbox=1,2,3", "bbox"),
            ("bbox=0,50,10,40", "bbox"),
            ("q=" + "x" * 201, "q"),
            ("q=%21%21", "q"),
            ("departement=03&departement=38", "departement"),
            ("support=%00", None),
            ("page=0", "page"),
            ("page=-1", "page"),
            ("page=abc", "page"),
            ("page=1.5", "page"),
            ("page=%D9%A3", "page"),  # an Arabic-Indic digit
            ("page=1&page=2", "page"),
            ("page_size=0", "page_size"),
            ("page_size=101", "page_size"),
            ("page_size=1000000000", "page_size"),
            ("page_size=x", "page_size"),
        ],
    )
    def test_invalid_values_are_a_400_naming_the_parameter(
        self, client, class_directory, db, query, parameter
    ):
        url = f"{PTCE_LIST}?{query}"
        if parameter is None:  # a NUL byte alone is removed: nothing left to filter on
            assert get_json(client, url)["count"] == 4
            return
        message, named = error_of(client, url)
        assert named == parameter
        assert parameter in message


def test_error_responses_are_not_stored(client, directory):
    response = client.get(f"{PTCE_LIST}?theme=inconnue")
    assert response["Cache-Control"] == "no-store"


# --- pagination ---------------------------------------------------------------------------
def test_pages_with_next_and_previous_carrying_the_filters(client, db):
    for n in range(25):
        PtceFactory(name=f"Pôle {n:02d}", commune_code="03095", themes=["culture"])
    first = get_json(client, f"{PTCE_LIST}?theme=culture&page_size=10")
    assert first["count"] == 25
    assert names(first) == [f"Pôle {n:02d}" for n in range(10)]
    assert first["previous"] is None
    parts = urlsplit(first["next"])
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", PTCE_LIST)
    assert parse_qs(parts.query) == {"theme": ["culture"], "page_size": ["10"], "page": ["2"]}
    second = get_json(client, first["next"])
    assert names(second) == [f"Pôle {n:02d}" for n in range(10, 20)]
    third = get_json(client, second["next"])
    assert names(third) == [f"Pôle {n:02d}" for n in range(20, 25)]
    assert third["next"] is None
    assert parse_qs(urlsplit(third["previous"]).query)["page"] == ["2"]
    back = get_json(client, second["previous"])
    assert names(back) == names(first)


def test_default_page_size_is_twenty(client, db):
    for n in range(21):
        PtceFactory(name=f"Pôle {n:02d}")
    payload = get_json(client, PTCE_LIST)
    assert len(payload["results"]) == 20
    assert parse_qs(urlsplit(payload["next"]).query) == {"page": ["2"]}


@pytest.mark.parametrize("page", ["2", "999999999", "99999999999999999999"])
def test_a_page_beyond_the_last_is_a_404(client, directory, page):
    _message, parameter = error_of(client, f"{PTCE_LIST}?page={page}", 404)
    assert parameter is None


def test_an_empty_result_is_page_one(client, directory):
    payload = get_json(client, f"{PTCE_LIST}?commune=03190")  # only the draft is there
    assert payload == {"count": 0, "next": None, "previous": None, "results": []}


# --- the detail ----------------------------------------------------------------------------
def test_detail_of_a_published_ptce(client, directory):
    cusset = directory["cusset"]
    entry = get_json(client, ptce_url(cusset.slug))
    assert entry["name"] == "Atelier de Cusset"
    assert entry["url"] == f"http://testserver/ptce/{cusset.slug}/"
    assert entry["description"] == cusset.description
    assert entry["region"]["code"] == "84"
    members = {member["name"]: member for member in entry["members"]}
    assert members["Mairie de Cusset"]["territory"]["code"] == "03095"
    assert members["Recyclerie bourbonnaise"]["territory"] is None
    assert entry["national_calls"] == [{"name": "AMI PTCE émergents", "year": 2021}]
    supports = sorted(
        (s["collectivite"]["code"], s["support_type"]["slug"]) for s in entry["supports"]
    )
    assert supports == [("03", "investissement"), ("84", "conseil-ingenierie")]
    assert [e["slug"] for e in entry["experiences"]] == ["atelier-soutenu"]
    assert entry["experiences"][0]["url"] == "http://testserver/experiences/atelier-soutenu/"
    assert entry["logo"] is None
    assert entry["action_territories"] == []


@pytest.mark.parametrize("which", ["draft", "review"])
def test_unpublished_ptces_are_404(client, directory, which):
    _message, parameter = error_of(client, ptce_url(directory[which].slug), 404)
    assert parameter is None


def test_unknown_and_malformed_slugs_are_json_404(client, directory):
    error_of(client, ptce_url("inconnu"), 404)
    response = client.get("/api/v1/ptce/%C3%A9t%C3%A9/")
    assert response.status_code == 404
    assert response.json()["error"]


def test_archived_ptce_disappears(client, directory):
    cusset = directory["cusset"]
    get_json(client, ptce_url(cusset.slug))
    cusset.status = "archived"
    cusset.save()
    error_of(client, ptce_url(cusset.slug), 404)
    assert "Atelier de Cusset" not in names(get_json(client, PTCE_LIST))
