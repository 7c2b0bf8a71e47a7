"""Pages for collectivités: /soutenir/, /experiences/, /dispositifs/ and their details."""

import html as html_lib
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collectivites.models import Resource, Scheme
from directory.models import Experience
from tests.factories import (
    ExperienceFactory,
    PtceFactory,
    SchemeFactory,
    SupportFactory,
    commune,
    departement,
    epci,
    region,
    support_type,
)

pytestmark = pytest.mark.django_db


def titles(response):
    """The card titles of a list page, in order."""
    html = page_text(response)
    found = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)
    return [html_lib.unescape(title) for title in found]


def page_text(response):
    """The page's HTML with entities decoded (« l'Allier », not « l&#x27;Allier »)."""
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def experiences(db):
    return {
        "belleville": ExperienceFactory(
            title="Des locaux communaux",
            collectivite=commune("69019"),
            support_types=["foncier-locaux"],
            summary="La commune prête des locaux.",
        ),
        "oise": ExperienceFactory(
            title="Animer de nouveaux réseaux",
            collectivite=departement("60"),
            support_types=["fonctionnement-animation"],
        ),
        "vichy": ExperienceFactory(
            title="Une SCIC pour l'Atelier",
            collectivite=epci("200071363"),
            support_types=["conseil-ingenierie", "capital-scic"],
            body="L'agglomération a lancé la société coopérative.",
        ),
        "pays-de-la-loire": ExperienceFactory(
            title="Un dispositif régional",
            collectivite=region("52"),
            support_types=["fonctionnement-animation"],
        ),
    }


# --- /experiences/ -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"belleville", "oise", "vichy", "pays-de-la-loire"}),
        ("support=foncier-locaux", {"belleville"}),
        ("support=foncier-locaux&support=capital-scic", {"belleville", "vichy"}),
        ("level=departement", {"oise"}),
        ("level=commune&level=epci", {"belleville", "vichy"}),
        ("region=84", {"belleville", "vichy"}),
        ("region=32", {"oise"}),
        ("q=cooperative", {"vichy"}),
        ("q=LOCAUX communaux", {"belleville"}),
        ("support=fonctionnement-animation&level=region", {"pays-de-la-loire"}),
        ("support=fonctionnement-animation&region=32&q=reseaux", {"oise"}),
        ("support=foncier-locaux&level=departement", set()),
    ],
)
def test_experience_filters_alone_and_combined(client, experiences, query, expected):
    response = client.get(f"/experiences/?{query}")

    assert response.status_code == 200
    assert set(titles(response)) == {experiences[key].title for key in expected}
    if not expected:
        assert "Aucune expérience ne correspond" in page_text(response)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("support=n-importe-quoi", "n-importe-quoi"),
        ("level=planete", "planete"),
        ("region=99", "99"),
        ("region=84%27%3B%20DROP%20TABLE%20x", "DROP TABLE"),
        ("q=" + "a" * 5000, "texte trop long"),
        ("page=-1", "page 1 affichée"),
        ("page=abc", "abc"),
    ],
)
def test_invalid_experience_filters_are_named_and_ignored(client, experiences, query, named):
    response = client.get(f"/experiences/?{query}")

    html = page_text(response)
    assert response.status_code == 200
    assert "Certains paramètres n'ont pas été pris en compte" in html
    assert named in html
    assert len(titles(response)) == 4  # the invalid filter did not narrow anything


def test_a_valid_filter_still_applies_next_to_an_invalid_one(client, experiences):
    response = client.get("/experiences/?support=foncier-locaux&support=zzz&level=zz")

    assert titles(response) == [experiences["belleville"].title]
    assert "zzz" in page_text(response)


def test_a_page_beyond_the_last_leads_back_to_the_last(client, experiences):
    response = client.get("/experiences/?page=2&support=foncier-locaux")

    assert response.status_code == 302
    assert response["Location"] == "/experiences/?support=foncier-locaux"
    assert client.get(response["Location"]).status_code == 200


def test_experience_page_shows_collectivite_ptce_types_and_quote(client):
    ptce = PtceFactory(name="Atelier d'Art de Vichy", commune_code="03095")
    experience = ExperienceFactory(
        title="Un projet culturel",
        collectivite=commune("03095"),
        ptce=ptce,
        support_types=["reperage-mise-en-lien"],
        body="Le récit complet.",
        quote="Nous avons coconstruit le projet.",
        quote_author="Une élue",
        quote_author_role="adjointe à la culture",
        source="Guide RTES",
    )

    html = page_text(client.get(f"/experiences/{experience.slug}/"))

    assert "Commune de Cusset" in html and "/territoires/commune/03095/" in html
    assert ptce.get_absolute_url() in html
    assert support_type("reperage-mise-en-lien").title in html
    assert "Nous avons coconstruit le projet." in html
    assert "Une élue, adjointe à la culture" in html
    assert "Guide RTES" in html


def test_an_unpublished_ptce_is_not_named_on_an_experience(client):
    ptce = PtceFactory(name="Pôle encore secret", status="draft")
    experience = ExperienceFactory(ptce=ptce)

    assert "Pôle encore secret" not in page_text(client.get(f"/experiences/{experience.slug}/"))


# --- /dispositifs/ -----------------------------------------------------------------------
@pytest.fixture
def schemes(db):
    return {
        "state": SchemeFactory(
            name="AMI national",
            owner=None,
            start_year=2021,
            ongoing=True,  # the source says it is permanent
            support_types=["fonctionnement-animation"],
        ),
        "aura": SchemeFactory(
            name="Programme AuRA",
            owner=region("84"),
            end_year=2099,  # an end year to come
            support_types=["investissement"],
        ),
        "allier": SchemeFactory(
            name="Appel de l'Allier",
            owner=departement("03"),
            start_year=2015,
            end_year=2019,
            support_types=["investissement"],
        ),
        "pdl": SchemeFactory(  # no year, no statement: neither open nor ended
            name="Dispositif Pays de la Loire",
            owner=region("52"),
            support_types=["fonctionnement-animation", "strategie-schemas"],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"state", "aura", "allier", "pdl"}),
        ("support=investissement", {"aura", "allier"}),
        ("region=84", {"state", "aura", "allier"}),
        ("region=52", {"state", "pdl"}),
        ("level=etat", {"state"}),
        ("level=region", {"aura", "pdl"}),
        ("level=departement&level=etat", {"allier", "state"}),
        ("open=oui", {"state", "aura"}),
        ("open=non", {"allier"}),
        ("support=fonctionnement-animation&region=52&open=oui", {"state"}),
        ("support=investissement&open=oui&level=region", {"aura"}),
        ("q=allier", {"allier"}),
    ],
)
def test_scheme_filters_alone_and_combined(client, schemes, query, expected):
    response = client.get(f"/dispositifs/?{query}")

    assert response.status_code == 200
    assert set(titles(response)) == {schemes[key].name for key in expected}


@pytest.mark.parametrize(
    "query", ["open=peut-etre", "level=univers", "support=%00zz", "region=2A", "open=oui&open=non"]
)
def test_invalid_scheme_filters_never_fail(client, schemes, query):
    response = client.get(f"/dispositifs/?{query}")

    assert response.status_code == 200
    assert "Certains paramètres n'ont pas été pris en compte" in page_text(response)


def test_scheme_page(client, schemes):
    html = page_text(client.get(schemes["allier"].get_absolute_url()))

    assert "Appel de l'Allier" in html
    assert "Département de l'Allier" in html and "/territoires/departement/03/" in html
    assert "terminé" in html
    assert support_type("investissement").title in html


# --- /soutenir/ --------------------------------------------------------------------------
def test_the_guide_lists_every_support_type_with_counts_and_links(client, experiences):
    ptce = PtceFactory(commune_code="69019")
    SupportFactory(
        ptce=ptce, collectivite=commune("69019"), support_type=support_type("foncier-locaux")
    )
    Resource.objects.create(title="Étude du RTES", url="https://www.rtes.fr/etude")

    html = page_text(client.get("/soutenir/"))

    for slug in [
        "reperage-mise-en-lien",
        "fonctionnement-animation",
        "investissement",
        "conseil-ingenierie",
        "foncier-locaux",
        "commande-publique",
        "capital-scic",
        "strategie-schemas",
    ]:
        assert f"/soutenir/{slug}/" in html
        assert f"/ptce/?support={slug}" in html
        assert f"/experiences/?support={slug}" in html
    assert "1 PTCE soutenu ainsi" in html
    assert "Étude du RTES" in html
    for level in ("Les régions", "Les départements", "Les intercommunalités", "Les communes"):
        assert level in html
    assert "Ma collectivité" in html and "data-territory-picker" in html


def test_a_support_type_page(client, experiences):
    ptce = PtceFactory(name="Pôle Habitat", commune_code="69019")
    SupportFactory(
        ptce=ptce, collectivite=commune("69019"), support_type=support_type("foncier-locaux")
    )

    html = page_text(client.get("/soutenir/foncier-locaux/"))

    assert experiences["belleville"].title in html
    assert experiences["oise"].title not in html
    assert "Pôle Habitat" in html and "Commune de Belleville-en-Beaujolais" in html
    assert client.get("/soutenir/inconnu/").status_code == 404


# --- the collectivité's page --------------------------------------------------------------
def test_a_collectivite_page_shows_schemes_of_its_region_and_the_state_only(client, schemes):
    html = page_text(client.get("/territoires/commune/03095/"))

    assert "Programme AuRA" in html and "AMI national" in html and "Appel de l'Allier" in html
    assert "Dispositif Pays de la Loire" not in html


def test_a_collectivite_page_shows_peers_experiences_and_what_it_could_do(client, experiences):
    html = page_text(client.get("/territoires/commune/03095/"))

    assert experiences["belleville"].title in html  # another commune
    assert experiences["oise"].title not in html  # another level
    assert "/experiences/?support=capital-scic&level=commune" in html
    assert "/ptce/?support=capital-scic" in html


# --- first content ------------------------------------------------------------------------
def test_first_content_experiences_are_reachable_by_support_and_level(client):
    call_command("bootstrap_portal", verbosity=0)

    foncier = client.get("/experiences/?support=foncier-locaux")
    oise = client.get("/experiences/?level=departement&support=fonctionnement-animation")
    state = client.get("/dispositifs/?level=etat")

    belleville = Experience.objects.get(collectivite__code="69019")
    assert belleville.title in titles(foncier)
    assert "/territoires/commune/69019/" in page_text(client.get(belleville.get_absolute_url()))
    oise_animation = Experience.objects.get(
        collectivite__kind="departement",
        collectivite__code="60",
        support_types__slug="fonctionnement-animation",
    )
    assert titles(oise) == [oise_animation.title]
    assert titles(state) == [Scheme.objects.get(owner__isnull=True).name]


# --- query counts ------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/experiences/", "/dispositifs/", "/soutenir/"])
def test_query_count_does_not_grow_with_rows(client, url):
    def measure():
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(3):
        ExperienceFactory(support_types=["investissement", "capital-scic"])
        SchemeFactory(support_types=["investissement"])
    few = measure()
    for _ in range(25):
        ExperienceFactory(support_types=["investissement", "capital-scic"])
        SchemeFactory(support_types=["investissement"])
    many = measure()

    assert many == few
    assert many <= 12
