"""Whole public pages cached for anonymous visitors (core/response_cache.py): served again
with one query, never stale after a change, never personal, never filled by hostile query
strings; ETag and 304."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import PtceStatus

from .factories import PtceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def state(response):
    return response.get("X-Portal-Cache", "")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/ptce/",
        "/ptce/?theme=culture&departement=03",
        "/ptce/pole-de-cusset/",
        "/carte/",
        "/territoires/departement/03/",
        "/soutenir/",
        "/dispositifs/",
    ],
)
def test_a_public_page_is_served_again_from_the_cache_with_one_query(client, url):
    PtceFactory(name="Pôle de Cusset", commune_code="03095", themes=["culture"])
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)

    assert state(first) == "stored" and state(again) == "hit"
    assert again.content == first.content
    assert len(queries) == 1  # the public-data version


def test_a_change_is_seen_on_the_next_request(client):
    ptce = PtceFactory(name="Pôle de Cusset", commune_code="03095")
    assert "Pôle de Cusset" in client.get("/ptce/").content.decode()
    ptce.status = PtceStatus.DRAFT
    ptce.save()
    response = client.get("/ptce/")

    assert state(response) == "stored"
    assert "Pôle de Cusset" not in response.content.decode()


def test_a_logged_in_curator_never_reads_nor_fills_the_cache(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    client.get("/ptce/")
    user = get_user_model().objects.create_user("curatrice", password="x", is_staff=True)
    client.force_login(user)

    assert state(client.get("/ptce/")) == ""


def test_unknown_parameters_read_the_clean_entry_but_never_store(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    size = len(cache._cache)
    noisy = client.get("/ptce/?utm_source=lettre&x=1")
    assert state(noisy) == ""
    assert len(cache._cache) > size  # computed values were cached, not the page
    stored = client.get("/ptce/")
    assert state(stored) == "stored"
    assert state(client.get("/ptce/?utm_source=autre")) == "hit"


def test_ignored_values_are_never_stored(client):
    response = client.get("/ptce/?theme=nimporte-quoi")

    assert response.status_code == 200
    assert state(response) == ""
    assert state(client.get("/ptce/?theme=nimporte-quoi")) == ""


def test_error_pages_and_fragments_are_keyed_apart(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    assert state(client.get("/ptce/page-inconnue/")) == ""  # a 404 is not stored
    full = client.get("/ptce/")
    fragment = client.get("/ptce/", headers={"X-Fragment": "results"})

    assert state(full) == "stored" and state(fragment) == "stored"
    assert b"<html" in full.content and b"<html" not in fragment.content


def test_pages_answer_304_to_their_etag(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095")
    first = client.get("/ptce/")
    again = client.get("/ptce/", headers={"If-None-Match": first["ETag"]})

    assert first["ETag"]
    assert again.status_code == 304


def test_cached_pages_still_carry_the_security_headers(client):
    client.get("/")
    hit = client.get("/")

    assert state(hit) == "hit"
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert "Set-Cookie" not in hit
