"""Text search on ``/ptce/`` (``q``), as a visitor notices it: accents and case do not matter,
every word counts, typos still find a PTCE by its name, members and the commune are
searchable, French stemming and ranking by where the word appears (both databases; more in
``test_search_finds.py``)."""

import pytest
from django.db import connection

from directory.models import Member

from .directory_helpers import (
    approximate_notice,
    chips,
    get_list,
    html_of,
    ignored_notice,
    is_empty_state,
    is_postgresql,
    make_ptce,
    names,
)
from .factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql_only(db):
    if not is_postgresql():
        pytest.skip("PostgreSQL full-text search only")


def search(client, text, **params):
    return get_list(client, {"q": text, **params})


# --- both databases ----------------------------------------------------------------------
@pytest.mark.parametrize("text", ["economie", "ÉCONOMIE", "Économie", "écOnomie"])
def test_search_ignores_accents_and_case(client, text):
    make_ptce("Recyclerie du Bocage", description="Économie circulaire et réemploi.")
    make_ptce("Scène partagée", description="Culture et spectacle vivant.")

    response = search(client, text)

    assert names(response) == ["Recyclerie du Bocage"]
    assert not approximate_notice(response)


def test_unaccented_text_is_found_by_an_accented_query(client):
    make_ptce("Pole de cooperation", description="Tiers lieu et economie sociale.")

    assert names(search(client, "coopération économie")) == ["Pole de cooperation"]


def test_every_word_of_the_query_is_required(client):
    make_ptce("Pôle circulaire", description="Économie circulaire en Auvergne.")
    make_ptce("Pôle touristique", description="Économie sociale et tourisme rural.")
    make_ptce("Pôle agricole", description="Maraîchage et tourisme à la ferme.")

    assert names(search(client, "economie tourisme")) == ["Pôle touristique"]


def test_the_query_stays_in_the_search_box_and_in_a_chip(client):
    make_ptce("Recyclerie du Bocage")

    response = search(client, "recyclerie")

    assert 'value="recyclerie"' in html_of(response)
    assert [label for label, _url in chips(response)] == ["« recyclerie »"]


def test_search_combines_with_the_other_filters(client):
    make_ptce("Recyclerie de Cusset", commune="03095", themes=["economie-circulaire"])
    make_ptce("Recyclerie de Beauvais", commune="60057", themes=["economie-circulaire"])
    make_ptce("Recyclerie culturelle", commune="03310", themes=["culture"])

    response = search(client, "recyclerie", departement="03", theme="economie-circulaire")

    assert names(response) == ["Recyclerie de Cusset"]


def test_a_query_without_any_word_is_named_and_ignored(client):
    make_ptce("Atelier")
    make_ptce("Bocage")

    response = search(client, "!!! ???")

    assert names(response) == ["Atelier", "Bocage"]
    assert "!!! ???" in ignored_notice(response)


def test_a_query_matching_nothing_shows_the_empty_state(client):
    make_ptce("Recyclerie du Bocage")

    response = search(client, "xylophone")

    assert names(response) == []
    assert is_empty_state(response)
    assert "vérifiez l'orthographe" in html_of(response)


# --- typos -------------------------------------------------------------------------------
def test_a_typo_in_a_name_finds_the_closest_names_with_a_notice(client):
    make_ptce("Fabricanova")
    make_ptce("Pôle de coopération du Bocage")

    response = search(client, "Fabricanva")

    assert names(response) == ["Fabricanova"]
    assert approximate_notice(response)
    assert "Fabricanva" in html_of(response)


def test_an_exact_match_shows_no_approximate_notice(client):
    make_ptce("Fabricanova")

    response = search(client, "fabricanova")

    assert names(response) == ["Fabricanova"]
    assert not approximate_notice(response)


# --- members and places ------------------------------------------------------------------
def test_a_member_added_later_makes_the_ptce_findable_by_its_name(client):
    ptce = make_ptce("Pôle des savoir-faire")
    make_ptce("Pôle voisin")
    assert names(search(client, "Emmaüs")) == []

    MemberFactory(ptce=ptce, name="Emmaüs Bourbonnais")

    assert names(search(client, "emmaus")) == ["Pôle des savoir-faire"]


def test_a_removed_member_no_longer_finds_the_ptce(client):
    make_ptce("Pôle des savoir-faire", members=["Emmaüs Bourbonnais"])
    assert names(search(client, "bourbonnais")) == ["Pôle des savoir-faire"]

    Member.objects.get(name="Emmaüs Bourbonnais").delete()

    assert names(search(client, "bourbonnais")) == []


def test_a_ptce_is_found_by_the_name_of_its_commune(client):
    make_ptce("Pôle des savoir-faire", commune="03095")
    make_ptce("Pôle thermal", commune="03310")

    assert names(search(client, "cusset")) == ["Pôle des savoir-faire"]


# --- stemming, ranking (both databases), configuration (PostgreSQL) ----------------------
@pytest.mark.parametrize(
    ("text", "description"),
    [("habitats", "Un habitat participatif."), ("habitat", "Des habitats partagés.")],
)
def test_plural_and_singular_find_each_other(client, text, description):
    make_ptce("Pôle du logement", description=description)
    make_ptce("Pôle culturel", description="Spectacle vivant.")

    response = search(client, text)

    assert names(response) == ["Pôle du logement"]
    assert not approximate_notice(response)


def test_a_ptce_named_after_the_word_ranks_before_one_that_only_describes_it(client):
    make_ptce("Atelier du réemploi", description="Une recyclerie et un atelier vélo.")
    make_ptce("Zéro déchet recyclerie", description="Collecte et revente.")

    assert names(search(client, "recyclerie")) == [
        "Zéro déchet recyclerie",
        "Atelier du réemploi",
    ]


def test_the_french_unaccent_search_configuration_exists(postgresql_only):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Économies')::text")
        assert cursor.fetchone() == ("'econom':1",)
