"""What a visitor and a curator see: health check, home, PTCE and territory pages, admin."""

import re

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.urls import reverse

from collectivites.models import TerritoryKind
from directory.models import PtceStatus

from .factories import (
    ExperienceFactory,
    MemberFactory,
    NationalCallAwardFactory,
    PtceFactory,
    SchemeFactory,
    SupportFactory,
    commune,
    theme,
)

pytestmark = pytest.mark.django_db


def page_text(response):
    return response.content.decode()


# --- health and home --------------------------------------------------------------------------
def test_health_check_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "no-cache" in response.headers.get("Cache-Control", "")


def test_home_page_shows_published_ptces_only(client):
    published = PtceFactory(name="Pôle visible")
    PtceFactory(name="Pôle caché", status=PtceStatus.DRAFT)

    response = client.get("/")

    assert response.status_code == 200
    assert published.name in page_text(response)
    assert "Pôle caché" not in page_text(response)


def test_home_page_counts_published_ptces_and_their_regions(client):
    PtceFactory(commune_code="03095")
    PtceFactory(commune_code="69019")
    PtceFactory(departement_code="60")
    PtceFactory(departement_code="60", status=PtceStatus.DRAFT)

    response = client.get("/")

    numbers = response.context["numbers"]
    assert (numbers["ptces"], numbers["regions"]) == (3, 2)


def test_home_page_figures_follow_a_publication(client):
    cache.clear()
    ptce = PtceFactory(commune_code="03095", status=PtceStatus.DRAFT)
    assert client.get("/").context["numbers"] == {"ptces": 0, "regions": 0}  # now cached

    ptce.status = PtceStatus.PUBLISHED
    ptce.save()

    assert client.get("/").context["numbers"] == {"ptces": 1, "regions": 1}


def test_home_page_without_any_ptce(client):
    assert client.get("/").status_code == 200


# --- PTCE page --------------------------------------------------------------------------------
@pytest.fixture
def atelier():
    return PtceFactory(
        name="Atelier d'Art de Vichy",
        commune_code="03095",
        themes=["culture", "insertion-emploi"],
        description="Pôle de coopération autour des arts visuels.",
    )


def test_a_published_ptce_page_shows_its_name_place_themes_and_description(client, atelier):
    response = client.get(f"/ptce/{atelier.slug}/")

    assert response.status_code == 200
    text = page_text(response)
    assert "Atelier d&#x27;Art de Vichy" in text or "Atelier d'Art de Vichy" in text
    assert "Cusset" in text
    assert "Allier" in text
    assert "Auvergne-Rhône-Alpes" in text
    assert theme("culture").name in text
    assert theme("insertion-emploi").name in text
    assert "Pôle de coopération autour des arts visuels." in text


def theme_tags_of_card(html, name):
    """The theme tags of the card titled ``name``, in order (``None``: no tag list)."""
    card = re.search(
        rf'<article class="card">(?:(?!</article>).)*?>{re.escape(name)}</a>.*?</article>',
        html,
        re.S,
    )
    assert card, f"no card for {name}"
    tags = re.search(r'<ul class="tags" aria-label="Thématiques">(.*?)</ul>', card.group(0), re.S)
    return None if tags is None else re.findall(r'<li class="tag">([^<]*)</li>', tags.group(1))


@pytest.mark.parametrize("url", ["/ptce/", "/", "/territoires/departement/03/"])
def test_cards_show_their_ptces_themes_in_display_order(client, url):
    # Given in the reverse of the display order (themes are ordered by position).
    PtceFactory(
        name="Pôle thématique", commune_code="03095", themes=["insertion-emploi", "culture"]
    )
    PtceFactory(name="Pôle sans thème", commune_code="03095", themes=[])
    ordered = sorted(
        [theme("culture"), theme("insertion-emploi")], key=lambda t: (t.position, t.name)
    )

    html = page_text(client.get(url))

    assert theme_tags_of_card(html, "Pôle thématique") == [t.name for t in ordered]
    assert theme_tags_of_card(html, "Pôle sans thème") is None


def test_a_ptce_page_shows_its_themes_as_tags(client, atelier):
    html = page_text(client.get(f"/ptce/{atelier.slug}/"))

    tags = re.search(r'<ul class="tags" aria-label="Thématiques">(.*?)</ul>', html, re.S)
    assert tags is not None
    assert sorted(re.findall(r'<li class="tag">([^<]*)</li>', tags.group(1))) == sorted(
        [theme("culture").name, theme("insertion-emploi").name]
    )


def test_a_ptce_page_lists_the_collectivites_supporting_it(client, atelier):
    SupportFactory(ptce=atelier, collectivite=commune("03095"))

    text = page_text(client.get(atelier.get_absolute_url()))

    assert "Commune de Cusset" in text


@pytest.mark.parametrize("status", [PtceStatus.DRAFT, PtceStatus.REVIEW, PtceStatus.ARCHIVED])
def test_unpublished_ptces_are_not_found(client, status):
    ptce = PtceFactory(status=status)

    assert client.get(f"/ptce/{ptce.slug}/").status_code == 404


def test_an_unknown_ptce_is_not_found(client):
    assert client.get("/ptce/nexiste-pas/").status_code == 404


# --- territory pages --------------------------------------------------------------------------
def test_the_page_of_cusset_lists_its_published_ptces(client, atelier):
    PtceFactory(name="Pôle en préparation", commune_code="03095", status=PtceStatus.DRAFT)

    response = client.get("/territoires/commune/03095/")

    assert response.status_code == 200
    text = page_text(response)
    assert "Cusset" in text
    assert atelier.get_absolute_url() in text
    assert "Pôle en préparation" not in text


def test_the_page_of_the_region_lists_a_ptce_of_one_of_its_communes(client, atelier):
    response = client.get("/territoires/region/84/")

    assert response.status_code == 200
    assert atelier.get_absolute_url() in page_text(response)


def test_the_page_of_a_neighbouring_commune_does_not_list_it(client, atelier):
    response = client.get("/territoires/commune/03310/")

    assert response.status_code == 200
    assert atelier.get_absolute_url() not in page_text(response)


def test_a_corsican_code_typed_in_lower_case(client):
    assert client.get("/territoires/commune/2a004/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/territoires/canton/03095/",
        "/territoires/commune/99999/",
        "/territoires/departement/03095/",
        "/territoires/epci/03/",
    ],
)
def test_an_unknown_territory_is_not_found(client, url):
    assert client.get(url).status_code == 404


# --- admin ------------------------------------------------------------------------------------
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_a_curator_can_open_every_list_and_add_form(admin_client, app_label, model_name):
    PtceFactory(commune_code="03095")

    changelist = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    searched = admin_client.get(
        reverse(f"admin:{app_label}_{model_name}_changelist"), {"q": "cusset"}
    )
    add = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    assert changelist.status_code == 200
    assert searched.status_code == 200
    # django-axes' logs of login attempts are written by axes alone, suggestions by the
    # public (/proposer/), alert subscriptions by the public (/alertes/): nobody adds one in
    # the back-office.
    assert add.status_code == (403 if app_label in ("axes", "suggestions", "alerts") else 200)


def test_a_curator_can_open_a_complete_ptce(admin_client):
    ptce = PtceFactory(commune_code="03095", themes=["culture"])
    MemberFactory(ptce=ptce)
    NationalCallAwardFactory(ptce=ptce)
    SupportFactory(ptce=ptce)

    response = admin_client.get(reverse("admin:directory_ptce_change", args=[ptce.pk]))

    assert response.status_code == 200
    assert ptce.name in page_text(response)


@pytest.mark.parametrize(
    ("factory", "url_name"),
    [
        (ExperienceFactory, "admin:directory_experience_change"),
        (SchemeFactory, "admin:collectivites_scheme_change"),
    ],
)
def test_a_curator_can_open_experiences_and_schemes(admin_client, factory, url_name):
    item = factory(support_types=["foncier-locaux"])

    assert admin_client.get(reverse(url_name, args=[item.pk])).status_code == 200


def autocomplete(client, term, field_name="seat_commune"):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "directory", "model_name": "ptce", "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return response.json()["results"]


def test_the_commune_autocomplete_finds_cusset(admin_client, cusset):
    results = autocomplete(admin_client, "cusset")

    # level labelled, the name as a French sentence says it
    assert {"id": str(cusset.pk), "text": "Commune de Cusset (03095)"} in results


def test_the_commune_autocomplete_offers_communes_only(admin_client, territory):
    allier = territory(TerritoryKind.DEPARTEMENT, "03")

    ids = {result["id"] for result in autocomplete(admin_client, "allier")}

    assert str(allier.pk) not in ids


def test_the_departement_autocomplete_finds_the_allier(admin_client, allier):
    ids = {result["id"] for result in autocomplete(admin_client, "allier", "departement")}

    assert str(allier.pk) in ids


def test_the_admin_is_closed_to_visitors(client):
    response = client.get(reverse("admin:directory_ptce_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


# --- no template syntax reaches the visitor -------------------------------------------------
LEAKS = ("{#", "#}", "{%", "%}", "{{", "}}")


@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/ptce/",
        "/ptce/?theme=culture&departement=03",
        "/carte/",
        "/territoires/",
        "/territoires/departement/03/",
        "/territoires/commune/03095/",
        "/soutenir/",
        "/experiences/",
        "/dispositifs/",
        "/ptce/pole-de-cusset/",
        "/page-inconnue/",
    ],
)
def test_pages_show_no_template_syntax(client, url):
    """A comment spread over several lines with ``{# #}`` is printed as text by Django:
    the directory's filter column showed one."""
    ptce = PtceFactory(name="Pôle de Cusset", commune_code="03095", themes=["culture"])
    SupportFactory(ptce=ptce)

    html = client.get(url).content.decode()
    text = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)  # JSON-LD has "}}"
    text = re.sub(r'data-map-config="[^"]*"', "", text)  # the map's settings, as JSON

    assert not [leak for leak in LEAKS if leak in text]
