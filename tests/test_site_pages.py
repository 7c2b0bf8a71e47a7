"""The pages every public site has (legal notice, accessibility statement, contact, site map),
the favicon, and the error pages (``pages/site_views.py``, ``core/errors.py``)."""

import importlib
import re

import pytest
from django.test import override_settings

from pages.views import HomeView

from .factories import PtceFactory

pytestmark = pytest.mark.django_db

SITE_PAGES = {
    "/mentions-legales/": "Mentions légales",
    "/accessibilite/": "Déclaration d'accessibilité",
    "/contact/": "Contact",
    "/plan-du-site/": "Plan du site",
}


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize(("path", "title"), SITE_PAGES.items())
def test_each_site_page_renders_and_is_linked_from_every_footer(client, path, title):
    html = text_of(client.get(path))
    assert f"<h1>{title}</h1>" in html
    for other in ["/", "/ptce/", path]:
        footer = re.search(
            r'<footer class="site-footer">.*?</footer>', text_of(client.get(other)), re.S
        )
        assert f'href="{path}"' in footer.group(0)


@override_settings(
    SITE_PUBLISHER="Association Réseau des PTCE",
    SITE_PUBLISHER_ADDRESS="1 rue de la Coopération, 75000 Paris",
    SITE_PUBLICATION_DIRECTOR="la présidence de l'association",
    SITE_HOST="Hébergeur coopératif SCIC",
    SITE_HOST_ADDRESS="2 place du Serveur, 69000 Lyon",
    CONTACT_EMAIL="bonjour@ptce.example.org",
)
def test_the_legal_notice_names_publisher_director_host_and_licences_from_the_settings(client):
    html = text_of(client.get("/mentions-legales/"))

    assert "Association Réseau des PTCE" in html and "1 rue de la Coopération" in html
    assert "la présidence de l&#x27;association" in html
    assert "Hébergeur coopératif SCIC" in html and "2 place du Serveur, 69000 Lyon" in html
    assert "Licence Ouverte / Open Licence 2.0" in html
    assert "GNU AGPL version 3" in html
    assert "les contributeurs d'OpenStreetMap" in html
    assert 'href="mailto:bonjour@ptce.example.org"' in html


def test_by_default_the_legal_notice_says_what_is_left_to_fill_in(client):
    html = text_of(client.get("/mentions-legales/"))

    assert "Structure éditrice à renseigner (SITE_PUBLISHER)" in html
    assert "Hébergeur à renseigner (SITE_HOST)" in html


def test_the_accessibility_statement_has_the_rgaa_sections_and_an_honest_status(client):
    html = text_of(client.get("/accessibilite/"))

    html = html.replace("&#x27;", "'")
    for section in [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Environnement de test",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assert f"<h2>{section}</h2>" in html or f"<h3>{section}</h3>" in html, section
    assert "RGAA), version 4.1" in html
    # No audit has been made: the RGAA allows no other status.
    assert "est non conforme" in html and "partiellement conforme »" in html
    assert "axe-core 4.14" in html
    assert "Défenseur des droits" in html and "formulaire.defenseurdesdroits.fr" in html


@override_settings(CONTACT_EMAIL="bonjour@ptce.example.org")
def test_the_contact_page_gives_the_address_and_how_to_propose_a_ptce(client):
    html = text_of(client.get("/contact/"))

    assert 'href="mailto:bonjour@ptce.example.org"' in html
    assert 'href="/proposer/"' in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_site_map_lists_every_public_section_and_the_regions(client):
    html = text_of(client.get("/plan-du-site/"))

    for path in [
        "/",
        "/ptce/",
        "/carte/",
        "/territoires/",
        "/soutenir/",
        "/experiences/",
        "/dispositifs/",
        "/proposer/",
        "/contact/",
        "/mentions-legales/",
        "/accessibilite/",
    ]:
        assert f'href="{path}"' in html, path
    assert 'href="/territoires/region/84/">Auvergne-Rhône-Alpes</a>' in html
    assert 'href="/territoires/region/04/">La Réunion</a>' in html
    assert len(re.findall(r'href="/territoires/region/', html)) == 18


def test_the_favicon_is_linked_and_served(client):
    html = text_of(client.get("/"))
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"


# --- error pages ------------------------------------------------------------------------------
def test_the_404_page_has_a_search_box_and_the_portals_style(client):
    response = client.get("/ptce/nexiste-pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<form class="search-box" method="get" action="/ptce/"' in html
    assert 'name="q"' in html and 'href="/plan-du-site/"' in html
    assert '<footer class="site-footer">' in html


def test_the_500_page_has_a_search_box(client, monkeypatch):
    def broken(self, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomeView, "get_context_data", broken)
    client.raise_request_exception = False
    response = client.get("/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue" in html
    assert '<form class="search-box" method="get" action="/ptce/"' in html


def test_make_run_serves_the_portals_error_pages_unless_debug_is_asked(monkeypatch):
    """``ptce_portal.settings.dev`` (``manage.py``, ``make run``): DEBUG off by default, so
    a 404 is the portal's page, not Django's debug page; static and uploaded files served."""
    monkeypatch.delenv("DEBUG", raising=False)
    dev = importlib.reload(importlib.import_module("ptce_portal.settings.dev"))
    assert dev.DEBUG is False
    assert dev.WHITENOISE_USE_FINDERS and dev.SERVE_MEDIA

    monkeypatch.setenv("DEBUG", "true")
    assert importlib.reload(dev).DEBUG is True


def test_the_list_pages_lead_back_from_a_page_beyond_the_last(client):
    PtceFactory(name="Seul pôle", commune_code="03095")

    for path in ["/ptce/", "/experiences/", "/dispositifs/"]:
        response = client.get(path, {"page": "999", "q": "pôle"})
        assert response.status_code == 302, path
        assert response["Location"] == f"{path}?q=p%C3%B4le", path
        assert client.get(response["Location"]).status_code == 200
