"""The embeddable map (issue 11, item 5): ``/embed/carte/`` takes the directory's filters,
lists the published PTCEs only, may be framed by any site (the one page: every other keeps
``X-Frame-Options: DENY`` and ``frame-ancestors 'none'``), sets no cookie, opens its links
outside the frame; territory pages give its iframe code to copy."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import PtceStatus

from .directory_helpers import make_ptce

pytestmark = pytest.mark.django_db

EMBED = "/embed/carte/"


def listed(response):
    assert response.status_code == 200
    block = response.content.decode().split('id="embed-list"', 1)[1].split("</ul>", 1)[0]
    return [unescape(name) for name in re.findall(r'rel="noopener">([^<]+)</a>', block)]


@pytest.fixture
def ptces():
    make_ptce("Pôle de Cusset", commune="03095", themes=["culture"])
    make_ptce("Pôle de Vichy", commune="03310", themes=["habitat"])
    make_ptce("Pôle de l'Oise", departement="60", themes=["culture"])
    make_ptce("Pôle brouillon de Cusset", commune="03095", status=PtceStatus.DRAFT)
    make_ptce("Pôle en relecture de Vichy", commune="03310", status=PtceStatus.REVIEW)


def test_the_embed_may_be_framed_by_any_site(client, ptces):
    response = client.get(EMBED, {"region": "84"})

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize(
    "url", ["/", "/ptce/", "/carte/", "/territoires/region/84/", "/ptce/flux/", "/alertes/"]
)
def test_every_other_page_refuses_to_be_framed(client, ptces, url):
    response = client.get(url)

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_cached_embed_keeps_its_headers_and_sets_no_cookie(client, ptces):
    first = client.get(EMBED, {"departement": "03"})
    second = client.get(EMBED, {"departement": "03"})

    assert second["X-Portal-Cache"] == "hit"
    for response in (first, second):
        assert not response.cookies
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "cookie" not in response.get("Vary", "").lower()
    assert "csrfmiddlewaretoken" not in first.content.decode()


def test_the_embed_takes_the_directorys_filters_and_never_shows_a_draft(client, ptces):
    assert listed(client.get(EMBED)) == ["Pôle de Cusset", "Pôle de l'Oise", "Pôle de Vichy"]
    assert listed(client.get(EMBED, {"region": "84"})) == ["Pôle de Cusset", "Pôle de Vichy"]
    assert listed(client.get(EMBED, {"commune": "03095"})) == ["Pôle de Cusset"]
    assert listed(client.get(EMBED, {"theme": "culture"})) == ["Pôle de Cusset", "Pôle de l'Oise"]
    assert listed(client.get(EMBED, {"region": "84", "theme": "habitat"})) == ["Pôle de Vichy"]
    assert listed(client.get(EMBED, {"q": "vichy"})) == ["Pôle de Vichy"]
    body = client.get(EMBED, {"departement": "03"}).content.decode()
    assert "brouillon" not in body and "relecture" not in body


def test_the_map_of_the_embed_asks_the_geojson_of_the_same_filters(client, ptces):
    body = client.get(EMBED, {"region": "84", "theme": "culture", "sort": "nom"}).content.decode()

    points = unescape(re.search(r'data-points-url="([^"]+)"', body).group(1))
    assert points == "/api/v1/ptce.geojson?region=84&theme=culture"
    geojson = client.get(points).json()
    assert [f["properties"]["name"] for f in geojson["features"]] == ["Pôle de Cusset"]
    assert 'data-outline-url="/api/v1/outlines/regions.geojson?code=84"' in body


def test_bad_filters_are_ignored_never_a_server_error(client, ptces):
    response = client.get(EMBED, {"region": "xx", "theme": "nope", "bbox": "a,b"})

    assert response.status_code == 200
    assert listed(response) == ["Pôle de Cusset", "Pôle de l'Oise", "Pôle de Vichy"]
    assert "ignorés" in response.content.decode()


def test_every_link_of_the_embed_opens_outside_the_frame(client, ptces):
    body = client.get(EMBED, {"region": "84"}).content.decode()

    assert '<base target="_blank">' in body
    links = re.findall(r"<a [^>]*>", body)
    assert links
    assert all('rel="noopener"' in link for link in links)
    assert 'href="/ptce/?region=84"' in body  # back to the portal, same filters
    assert "Licence Ouverte" in body and "Portail des PTCE" in body
    assert "<script>" not in body and "style=" not in body


def test_the_embed_stays_within_a_few_queries(client, ptces):
    for n in range(60):
        make_ptce(f"Pôle supplémentaire {n:02d}", commune="03095")
    with CaptureQueriesContext(connection) as cold:
        response = client.get(EMBED, {"region": "84"})

    assert len(listed(response)) == 50
    assert "Voir les 62 PTCE sur le Portail des PTCE" in response.content.decode()
    assert len(cold) <= 6


def test_a_territory_page_gives_the_iframe_code_of_its_embed(client, settings, ptces):
    settings.SITE_URL = "https://ptce.example.org"
    body = client.get("/territoires/departement/03/").content.decode()

    snippet = body.split('id="embed-code"', 1)[1].split("</textarea>", 1)[0]
    code = unescape(snippet.split(">", 1)[1])
    assert code.startswith(
        '<iframe src="https://ptce.example.org/embed/carte/?departement=03" title="Les PTCE'
    )
    assert code.endswith("</iframe>")
    assert "<details" in body and "Intégrer cette carte" in body
    assert "readonly" in body.split('id="embed-code"', 1)[1].split(">", 1)[0]
    assert "js/embed-snippet.js" in body
