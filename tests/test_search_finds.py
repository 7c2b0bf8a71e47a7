"""The keyword search as a visitor uses it, on both databases: every field a PTCE shows is
searched (themes, support types, members, carrying structure, stage, legal form…), singular
and plural find the same PTCEs, the PTCE named after the words comes first, a typo gets
« Vouliez-vous dire … ? », drafts stay hidden, and no query breaks the page."""

from urllib.parse import parse_qs

import pytest

from directory.models import Ptce

from .directory_helpers import approximate_notice, html_of, make_ptce, names
from .search_helpers import (
    CONSTRUIRE,
    HABITAT,
    LAINE,
    NAUTES,
    REMENDAIRES,
    SHARED_QUERIES,
    VELO,
    build_directory,
    search,
    slugs,
    suggestion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    build_directory()


def test_the_shared_queries_list_the_same_ptces_on_both_databases(client, directory):
    found = {text: set(slugs(search(client, text))) for text in SHARED_QUERIES}

    wrong = {
        text: found[text] for text, expected in SHARED_QUERIES.items() if found[text] != expected
    }
    assert not wrong, f"queries listing other PTCEs than expected: {wrong}"


def test_a_theme_finds_every_published_ptce_tagged_with_it(client):
    tagged = [
        make_ptce(f"Pôle {name}", summary="", description="Rien à voir.", themes=["habitat"])
        for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel")
    ]
    make_ptce("Pôle culturel", summary="", description="Spectacle vivant.", themes=["culture"])
    make_ptce("Pôle caché", status="draft", themes=["habitat"])

    response = search(client, "habitat")

    assert sorted(names(response)) == sorted(ptce.name for ptce in tagged)


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"supports": ["commande-publique"]}, "commande publique"),
        ({"supports": ["reperage-mise-en-lien"]}, "repérage"),
        ({"members": ["Emmaüs Bourbonnais"]}, "bourbonnais"),
        ({"carrying_structure": "Association Calade"}, "calade"),
        ({"stage_slug": "consolidation"}, "consolidation"),
        ({"legal_form_slug": "gie"}, "groupement d'intérêt économique"),
        ({"themes": ["transition-energetique"]}, "énergétique"),
        ({"summary": "Maraîchage biologique."}, "maraichage"),
    ],
    ids=[
        "support",
        "support-short",
        "member",
        "structure",
        "stage",
        "legal-form",
        "theme",
        "summary",
    ],
)
def test_each_field_a_ptce_shows_finds_it(client, fields, text):
    make_ptce("Pôle trouvé", **{"summary": "", "description": "", **fields})
    make_ptce("Pôle voisin", summary="", description="Autre chose.")

    assert names(search(client, text)) == ["Pôle trouvé"]


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("Économie circulaire", "circulaires"),
        ("Des économies circulaires", "circulaire"),
        ("Une ressourcerie", "ressourceries"),
        ("Deux ressourceries", "ressourcerie"),
        ("La recyclerie", "recycleries"),
        ("Les recycleries", "Recyclerie"),
        ("Un habitat participatif", "habitats"),
    ],
)
def test_singular_and_plural_find_each_other(client, written, searched):
    make_ptce("Pôle trouvé", summary="", description=written)
    make_ptce("Pôle voisin", summary="", description="Spectacle vivant.")

    response = search(client, searched)

    assert names(response) == ["Pôle trouvé"]
    assert suggestion(response) is None


def test_the_ptce_named_with_the_words_comes_first(client, directory):
    assert slugs(search(client, "pôle laine")) == [LAINE, NAUTES]
    assert slugs(search(client, "laine pole")) == [LAINE, NAUTES]
    assert slugs(search(client, "habitat"))[0] == HABITAT


def test_weights_order_name_then_themes_then_summary_then_description(client):
    make_ptce("Pôle D", summary="", description="Un atelier de couture.")
    make_ptce("Pôle C", summary="Couture solidaire.", description="")
    make_ptce("Pôle B", summary="", description="", members=["Couture et Cie"])
    make_ptce("Couture A", summary="", description="")

    assert names(search(client, "couture")) == ["Couture A", "Pôle B", "Pôle C", "Pôle D"]
    # Sorting by name keeps the same PTCEs.
    assert names(search(client, "couture", sort="nom")) == [
        "Couture A",
        "Pôle B",
        "Pôle C",
        "Pôle D",
    ]


# --- typos ---------------------------------------------------------------------------------
def test_a_typo_is_corrected_from_any_indexed_word_with_a_link(client, directory):
    response = search(client, "recyclrie")

    assert suggestion(response) == ("recyclerie", "?q=recyclerie")
    assert set(slugs(response)) == {REMENDAIRES, VELO}
    assert approximate_notice(response)


def test_the_suggestion_link_keeps_the_other_filters(client, directory):
    response = search(client, "renovatoin", theme="habitat", sort="nom", page="1")

    text, link = suggestion(response)
    assert text == "rénovation"
    assert parse_qs(link[1:]) == {"theme": ["habitat"], "sort": ["nom"], "q": ["rénovation"]}
    followed = client.get("/ptce/" + link)
    assert slugs(followed) == [CONSTRUIRE, HABITAT]
    assert suggestion(followed) is None


def test_a_typo_of_a_singular_is_answered_in_the_singular(client):
    make_ptce("Remendaires", summary="", description="Trois recycleries gérées en chantier.")
    make_ptce("Pôle voisin", summary="", description="Spectacle vivant.")

    response = search(client, "recyclrie")

    assert suggestion(response) == ("recyclerie", "?q=recyclerie")
    assert names(response) == ["Remendaires"]


def test_a_swap_of_two_letters_is_the_nearest_typo(client, directory):
    assert suggestion(search(client, "pole lanie")) == ("pole laine", "?q=pole+laine")


def test_a_word_too_far_from_any_gets_no_suggestion(client, directory):
    response = search(client, "xylophone")

    assert slugs(response) == []
    assert suggestion(response) is None
    assert "vérifiez l'orthographe" in html_of(response)


def test_drafts_are_never_found_nor_suggested(client, directory):
    hidden = Ptce.objects.get(status="draft")
    for text in ("zanzibar", "zanzibr", "recyclerie cachee", "Recyclerie cachée"):
        response = search(client, text)
        assert hidden.name not in names(response), text
        assert suggestion(response) is None or "zanzibar" not in suggestion(response)[0], text


def test_a_word_only_a_draft_has_becomes_findable_once_published(client, directory):
    assert slugs(search(client, "zanzibr")) == []
    hidden = Ptce.objects.get(status="draft")
    hidden.status = "published"
    hidden.save()

    response = search(client, "zanzibr")

    assert suggestion(response) == ("zanzibar", "?q=zanzibar")
    assert names(response) == ["Recyclerie cachée"]


# --- the same search everywhere ------------------------------------------------------------
def test_territory_pages_and_the_map_search_the_same_fields(client, directory):
    page = client.get("/territoires/departement/03/", {"q": "habitats"})
    geojson = client.get("/api/v1/ptce.geojson", {"q": "mobilites"}).json()

    assert page.status_code == 200
    assert set(slugs(page)) == SHARED_QUERIES["habitat"]
    assert [f["properties"]["slug"] for f in geojson["features"]] == [VELO]


# --- hostile input ---------------------------------------------------------------------------
HOSTILE = [
    "x" * 5000,
    "laine " * 60,
    "laine\x00habitat",
    "\x00",
    "!!! ??? ...",
    "'; DROP TABLE directory_ptce; --",
    "' OR 1=1 --",
    "laine & | ! ( ) :* <-> habitat",
    "lain:*A",
    "habitat:B",
    "%_%",
    "\\",
    '"habitat',
    "🧶 laine",
    "ﷺ مرحبا",
    "e\u0301conomie",
    "de la le les",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_no_query_breaks_the_directory_the_map_or_a_territory_page(client, directory, text):
    for url in ("/ptce/", "/api/v1/ptce.geojson", "/territoires/departement/03/", "/carte/"):
        response = client.get(url, {"q": text})
        assert response.status_code in (200, 400), (url, response.status_code)
        assert response.status_code == 200 or url.startswith("/api/"), url


def test_operators_in_a_query_are_only_words(client, directory):
    assert set(slugs(search(client, "laine & | ! ( ) :* <-> pôle"))) == {LAINE, NAUTES}
    assert set(slugs(search(client, "lain:*A"))) == {LAINE, NAUTES}  # the words "lain", "a"
    assert set(slugs(search(client, "e\u0301conomie"))) == SHARED_QUERIES["économie"]
