"""The directory's list page ``/ptce/`` as a visitor uses it: each filter alone and combined,
sorting, pages of 20, facet counts, active filter chips, invalid values, the fragment served
to the page's script. Text search is in ``test_directory_search.py``."""

import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.utils import timezone

from directory.models import Ptce, PtceStatus

from .directory_helpers import (
    checked,
    chip_url,
    chips,
    facet,
    follow,
    get_list,
    html_of,
    ignored_notice,
    is_empty_state,
    make_ptce,
    names,
    next_page_url,
    result_count,
)
from .factories import departement
from .shared_data import rolled_back

pytestmark = pytest.mark.django_db

SCENE, HABITAT, CANTINE, CORSE = (
    "Scène partagée",
    "Habitat solidaire",
    "Cantine locale",
    "Pôle corse",
)
ALL_SORTED = [CANTINE, HABITAT, CORSE, SCENE]


@pytest.fixture
def directory():
    """Four published PTCEs that differ by every filter, and one draft that matches them
    all (it must never show)."""
    make_ptce(
        SCENE,
        commune="03095",
        themes=["culture"],
        supports=["investissement"],
        stage_slug="emergence",
        legal_form_slug="scic",
        charter_signed="oui",
    )
    make_ptce(
        HABITAT,
        departement="60",
        themes=["habitat", "alimentation"],
        supports=["foncier-locaux"],
        stage_slug="consolidation",
        legal_form_slug="association",
        charter_signed="non",
    )
    make_ptce(
        CANTINE,
        commune="63113",
        themes=["alimentation"],
        supports=["investissement", "commande-publique"],
        stage_slug="developpement",
        legal_form_slug="scop",
    )
    make_ptce(CORSE, commune="2A004")
    make_ptce(
        "Brouillon partout",
        commune="03095",
        themes=["culture", "habitat", "alimentation"],
        supports=["investissement", "foncier-locaux"],
        stage_slug="emergence",
        legal_form_slug="scic",
        charter_signed="oui",
        status=PtceStatus.DRAFT,
    )


# --- territories: up and down the hierarchy ----------------------------------------------
@pytest.mark.parametrize(
    ("parameter", "code"),
    [("commune", "03095"), ("epci", "200071363"), ("departement", "03"), ("region", "84")],
)
def test_a_ptce_of_cusset_is_listed_from_cusset_and_every_territory_above(client, parameter, code):
    make_ptce("Pôle de Cusset", commune="03095")
    make_ptce("Pôle de l'Oise", departement="60")

    response = get_list(client, {parameter: code})

    assert names(response) == ["Pôle de Cusset"]
    assert result_count(response) == 1


def test_a_ptce_of_cusset_is_not_listed_for_vichy_its_neighbour(client):
    make_ptce("Pôle de Cusset", commune="03095")

    response = get_list(client, {"commune": "03310"})

    assert names(response) == []
    assert result_count(response) == 0


def test_ptces_acting_on_or_known_by_the_whole_allier_are_listed_for_vichy(client):
    make_ptce("Pôle clermontois", commune="63113", action_territories=[departement("03")])
    make_ptce("Pôle bourbonnais", departement="03")
    make_ptce("Pôle ponot", commune="43157")

    assert names(get_list(client, {"commune": "03310"})) == ["Pôle bourbonnais", "Pôle clermontois"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"departement": "2A"}, ["Pôle d'Ajaccio"]),
        ({"departement": "2b"}, ["Pôle de Bastia"]),
        ({"commune": "2A004"}, ["Pôle d'Ajaccio"]),
        ({"commune": "2B033"}, ["Pôle de Bastia"]),
        ({"region": "94"}, ["Pôle d'Ajaccio", "Pôle de Bastia"]),
    ],
)
def test_corsican_codes_select_their_own_ptces(client, params, expected):
    make_ptce("Pôle d'Ajaccio", commune="2A004")
    make_ptce("Pôle de Bastia", commune="2B033")
    make_ptce("Pôle de Cusset", commune="03095")

    response = get_list(client, params)

    assert names(response) == expected
    assert ignored_notice(response) == ""


def test_a_chosen_departement_is_selected_in_its_menu_and_named_in_a_chip(client, directory):
    response = get_list(client, {"departement": "03"})

    assert '<option value="03" selected>' in html_of(response)
    assert [label for label, _url in chips(response)] == ["Département : Allier (03)"]


# --- repeatable filters: any of the values -----------------------------------------------
@pytest.mark.parametrize(
    ("parameter", "values", "expected"),
    [
        ("theme", ["culture"], [SCENE]),
        ("theme", ["culture", "habitat"], [HABITAT, SCENE]),
        ("theme", ["alimentation"], [CANTINE, HABITAT]),
        ("support", ["investissement"], [CANTINE, SCENE]),
        ("support", ["foncier-locaux", "commande-publique"], [CANTINE, HABITAT]),
        ("stage", ["emergence"], [SCENE]),
        ("stage", ["emergence", "consolidation"], [HABITAT, SCENE]),
        ("legal_form", ["scop"], [CANTINE]),
        ("legal_form", ["scop", "scic"], [CANTINE, SCENE]),
    ],
)
def test_a_repeatable_filter_lists_ptces_having_any_of_its_values(
    client, directory, parameter, values, expected
):
    response = get_list(client, {parameter: values})

    assert names(response) == expected
    assert result_count(response) == len(expected)
    assert sorted(checked(response, parameter)) == sorted(values)


@pytest.mark.parametrize(("value", "expected"), [("oui", [SCENE]), ("non", [HABITAT])])
def test_the_charter_filter_lists_ptces_by_signature(client, directory, value, expected):
    assert names(get_list(client, {"charter": value})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"departement": "03", "theme": "culture"}, [SCENE]),
        ({"region": "84", "theme": ["alimentation", "culture"]}, [CANTINE, SCENE]),
        ({"support": "investissement", "stage": "developpement"}, [CANTINE]),
        ({"theme": "alimentation", "charter": "non"}, [HABITAT]),
        ({"legal_form": ["scic", "association"], "region": "32"}, [HABITAT]),
        ({"epci": "200071363", "support": "investissement", "charter": "oui"}, [SCENE]),
    ],
)
def test_different_filters_combine_with_and(client, directory, params, expected):
    assert names(get_list(client, params)) == expected


def test_only_published_ptces_are_listed_and_counted(client, directory):
    make_ptce("En relecture", departement="03", status=PtceStatus.REVIEW)
    make_ptce("Archivé", departement="03", status=PtceStatus.ARCHIVED)

    response = get_list(client)

    assert names(response) == ALL_SORTED
    assert result_count(response) == 4


# --- sorting -----------------------------------------------------------------------------
def test_results_are_sorted_by_name_ignoring_accents_and_case(client):
    for name in ("fabrique du Bocage", "Écolieu des Combrailles", "Atelier partagé"):
        make_ptce(name)

    expected = ["Atelier partagé", "Écolieu des Combrailles", "fabrique du Bocage"]
    assert names(get_list(client)) == expected
    assert names(get_list(client, {"sort": "nom"})) == expected


def test_recent_sort_lists_the_latest_updated_first(client):
    now = timezone.now()
    for days_ago, name in ((3, "Atelier"), (1, "Bocage"), (2, "Coopérative")):
        ptce = make_ptce(name)
        Ptce.objects.filter(pk=ptce.pk).update(updated_at=now - datetime.timedelta(days=days_ago))

    response = get_list(client, {"sort": "recent"})

    assert names(response) == ["Bocage", "Coopérative", "Atelier"]
    assert '<option value="recent" selected>' in html_of(response)


def test_name_sort_overrides_relevance_of_a_text_query(client):
    make_ptce("Zéro déchet recyclerie")
    make_ptce("Atelier du réemploi", description="Une recyclerie et un atelier vélo.")

    response = get_list(client, {"q": "recyclerie", "sort": "nom"})

    assert names(response) == ["Atelier du réemploi", "Zéro déchet recyclerie"]


# --- pages of 20 -------------------------------------------------------------------------
def make_forty_five():
    names_in_order = [f"Pôle {n:02d}" for n in range(1, 46)]
    for name in reversed(names_in_order):
        make_ptce(name, themes=["culture"])
    return names_in_order


@pytest.fixture
def forty_five():
    return make_forty_five()


@pytest.fixture(scope="class")
def class_forty_five(django_db_setup, django_db_blocker):
    """``make_forty_five()``, once for the class (``tests/shared_data.py``)."""
    with rolled_back(django_db_blocker):
        yield make_forty_five()


class TestPagesOfTwenty:
    """Forty-five PTCEs for the whole class (``class_forty_five``)."""

    # Unfiltered lists and filtered ones are paginated by two different paths (a count and the
    # order's index, or one query for the count and the page): both must give the same pages.
    @pytest.mark.parametrize("filters", [{}, {"theme": "culture"}, {"q": "pole"}])
    def test_results_come_twenty_a_page_and_every_ptce_appears_once(
        self, client, class_forty_five, db, filters
    ):
        forty_five = class_forty_five
        if filters.get("q"):
            filters = {**filters, "sort": "nom"}
        pages = [get_list(client, {**filters, "page": number}) for number in (1, 2, 3)]

        assert [len(names(page)) for page in pages] == [20, 20, 5]
        assert [name for page in pages for name in names(page)] == forty_five
        assert all(result_count(page) == 45 for page in pages)
        assert "Page 2 sur 3" in html_of(pages[1])

    @pytest.mark.parametrize("filters", [{}, {"theme": "culture"}])
    def test_a_page_beyond_the_last_redirects_to_the_last(
        self, client, class_forty_five, db, filters
    ):
        response = get_list(client, {**filters, "page": 999})

        assert response.status_code == 302
        assert response["Location"] == "/ptce/?" + urlencode({**filters, "page": 3})
        last = client.get(response["Location"])
        assert "Page 3 sur 3" in html_of(last)
        assert len(names(last)) == 5
        assert get_list(client, {**filters, "page": 3}).status_code == 200

    def test_a_filter_matching_nothing_gives_an_empty_first_page_and_no_second(
        self, client, class_forty_five, db
    ):
        assert result_count(get_list(client, {"theme": "habitat"})) == 0
        response = get_list(client, {"theme": "habitat", "page": 2})
        assert response.status_code == 302
        assert response["Location"] == "/ptce/?theme=habitat"

    def test_the_next_page_link_keeps_the_filters(self, client, class_forty_five, db):
        forty_five = class_forty_five
        make_ptce("Pôle hors thème", themes=["habitat"])
        first = get_list(client, {"theme": "culture"})

        next_url = next_page_url(first)
        second = follow(client, next_url)

        assert parse_qs(urlsplit(next_url).query) == {
            "theme": ["culture"],
            "page": ["2"],
        }
        assert names(second) == forty_five[20:40]


# --- facet counts ------------------------------------------------------------------------
def test_facet_counts_show_published_ptces_per_option(client, directory):
    response = get_list(client)

    themes = facet(response, "theme")
    assert (themes["culture"], themes["habitat"], themes["alimentation"]) == (1, 1, 2)
    assert themes["tourisme"] == 0
    supports = facet(response, "support")
    assert (supports["investissement"], supports["foncier-locaux"]) == (2, 1)
    assert facet(response, "charter") == {"oui": 1, "non": 1}
    assert facet(response, "stage")["emergence"] == 1


def test_facet_counts_follow_the_other_filters(client, directory):
    response = get_list(client, {"departement": "63"})

    themes = facet(response, "theme")
    assert (themes["alimentation"], themes["culture"], themes["habitat"]) == (1, 0, 0)
    assert facet(response, "legal_form")["scop"] == 1
    assert facet(response, "legal_form")["scic"] == 0


def test_choosing_a_theme_keeps_the_other_themes_counts_and_narrows_the_other_facets(
    client, directory
):
    response = get_list(client, {"theme": "culture"})

    themes = facet(response, "theme")
    assert (themes["culture"], themes["habitat"], themes["alimentation"]) == (1, 1, 2)
    supports = facet(response, "support")
    assert (supports["investissement"], supports["foncier-locaux"]) == (1, 0)
    assert facet(response, "charter") == {"oui": 1, "non": 0}


# --- active filter chips -----------------------------------------------------------------
def test_each_active_filter_has_a_chip(client, directory):
    response = get_list(
        client,
        {"q": "scène", "departement": "03", "theme": ["culture", "habitat"], "charter": "oui"},
    )

    assert [label for label, _url in chips(response)] == [
        "« scène »",
        "Département : Allier (03)",
        "Culture",
        "Habitat",
        "Charte signée",
    ]


def test_a_chip_removes_only_its_own_value_and_goes_back_to_page_one(client, forty_five):
    make_ptce("Pôle de l'habitat", themes=["habitat"], departement="03")
    params = {"theme": ["culture", "habitat"], "departement": "03", "page": "2"}

    url = chip_url(get_list(client, params), "Culture")

    assert parse_qs(urlsplit(url).query) == {"theme": ["habitat"], "departement": ["03"]}
    assert names(follow(client, url)) == ["Pôle de l'habitat"]


def test_the_territory_chip_keeps_the_themes(client, directory):
    url = chip_url(
        get_list(client, {"theme": "culture", "departement": "60"}), "Département : Oise (60)"
    )

    assert parse_qs(urlsplit(url).query) == {"theme": ["culture"]}
    assert names(follow(client, url)) == [SCENE]


# --- empty state and invalid values ------------------------------------------------------
def test_no_result_shows_the_empty_state_with_advice(client, directory):
    response = get_list(client, {"theme": "culture", "departement": "60"})

    assert names(response) == []
    assert result_count(response) == 0
    assert is_empty_state(response)
    assert "retirez un des filtres actifs" in html_of(response)


def test_results_do_not_show_the_empty_state(client, directory):
    assert not is_empty_state(get_list(client, {"theme": "culture"}))


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("theme", "zzz"),
        ("support", "zzz"),
        ("stage", "zzz"),
        ("legal_form", "zzz"),
        ("departement", "99"),
        ("commune", "99999"),
        ("epci", "123456789"),
        ("region", "84'; DROP"),
        ("charter", "peut-etre"),
        ("sort", "hasard"),
        ("page", "abc"),
    ],
)
def test_an_invalid_value_is_named_and_ignored(client, directory, parameter, value):
    response = get_list(client, {parameter: value})

    assert response.status_code == 200
    assert value in ignored_notice(response)
    assert names(response) == ALL_SORTED


def test_an_unknown_theme_beside_a_known_one_leaves_the_known_one_applied(client, directory):
    response = get_list(client, {"theme": ["culture", "zzz"]})

    assert names(response) == [SCENE]
    assert "zzz" in ignored_notice(response)
    assert [label for label, _url in chips(response)] == ["Culture"]


def test_valid_filters_show_no_notice(client, directory):
    response = get_list(client, {"theme": "culture", "commune": "03095", "sort": "recent"})

    assert ignored_notice(response) == ""


def test_a_repeated_single_value_parameter_keeps_the_first_and_names_the_second(client, directory):
    response = get_list(client, [("departement", "03"), ("departement", "60")])

    assert names(response) == [SCENE]
    assert "60" in ignored_notice(response)


# --- the fragment for the page's script --------------------------------------------------
def test_the_fragment_header_returns_only_the_filters_and_results(client, directory):
    response = get_list(client, {"theme": "culture"}, headers={"X-Fragment": "results"})

    body = html_of(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert "<header" not in body
    assert 'id="directory-filters"' in body
    assert result_count(response) == 1
    assert names(response) == [SCENE]
    assert "X-Fragment" in response.headers["Vary"]


def test_the_full_page_is_a_whole_document_that_varies_on_the_fragment_header(client, directory):
    response = get_list(client, {"theme": "culture"})

    assert "<html" in html_of(response)
    assert names(response) == [SCENE]
    assert "X-Fragment" in response.headers["Vary"]
