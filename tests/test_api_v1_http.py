"""The API v1 as an HTTP citizen: conditional requests (ETag, Last-Modified, 304), read
only (405 in JSON), CORS on /api/ only, the rate limit (429 with Retry-After), hostile query
strings (never a 500) and query budgets, cold and warm."""

import itertools
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import PublicDataVersion
from directory.models import Ptce

from .api_v1_helpers import PTCE_LIST, directory, ptce_url
from .directory_helpers import make_ptce
from .factories import ExperienceFactory, PtceFactory, SchemeFactory
from .test_query_counts import grow_one_ptce

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
__all__ = ["directory"]

ENDPOINTS = [
    PTCE_LIST,
    "/api/v1/territoires/?q=cusset",
    "/api/v1/experiences/",
    "/api/v1/dispositifs/",
    "/api/v1/soutiens/",
]
ORIGIN = "https://cress.example.org"


def settle():
    """The last change is five minutes old: ``Last-Modified`` is sent (see api/responses.py)."""
    PublicDataVersion.objects.update(changed_at=timezone.now() - timedelta(minutes=5))


# --- conditional requests -------------------------------------------------------------------
@pytest.mark.parametrize("url", [*ENDPOINTS, "detail"])
def test_etag_and_last_modified_give_304(client, directory, url):
    if url == "detail":
        url = ptce_url(directory["cusset"].slug)
    settle()
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    by_etag = client.get(url, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.content == b""
    by_date = client.get(url, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304
    assert client.get(url, headers={"If-Modified-Since": http_date(0)}).status_code == 200
    assert client.get(url, headers={"If-None-Match": 'W/"autre"'}).status_code == 200


def test_a_change_of_public_data_gives_a_new_etag(client, directory):
    etag = client.get(PTCE_LIST)["ETag"]
    directory["vichy"].name = "Habitat renommé"
    directory["vichy"].save()
    response = client.get(PTCE_LIST, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Habitat renommé" in response.content.decode()


def test_an_edit_of_a_draft_changes_nothing(client, directory):
    first = client.get(PTCE_LIST)
    draft = directory["draft"]
    draft.name = "Brouillon renommé"
    draft.save()
    assert client.get(PTCE_LIST, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_gzip_when_accepted(client, directory):
    response = client.get(PTCE_LIST, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


# --- read only --------------------------------------------------------------------------
class TestWrites:
    """One directory for the whole family (``class_directory``)."""

    @pytest.mark.parametrize(
        "url", [*ENDPOINTS, "/api/v1/ptce/x/", "/api/v1/schema/", "/api/v1/ptce.geojson"]
    )
    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_writes_are_a_json_405(self, client, class_directory, db, url, method):
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 405
        assert response.json()["error"]
        assert "POST" not in response["Allow"] and "GET" in response["Allow"]


def test_head_and_options(client, directory):
    assert client.head(PTCE_LIST).status_code == 200
    options = client.options(PTCE_LIST)
    assert options.status_code == 200
    assert options["Content-Type"].startswith("application/json")


def test_json_whatever_the_client_accepts(client, directory):
    response = client.get(PTCE_LIST, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert client.get(f"{PTCE_LIST}?format=api").json()["count"] == 4


# --- CORS ---------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/v1/ptce.geojson", "/api/v1/schema/"])
def test_cors_is_open_for_reading_the_api(client, directory, url):
    response = client.get(url, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_cors_preflight_allows_reading_only(client, directory):
    response = client.options(
        PTCE_LIST,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_cors_headers_also_on_errors_and_304(client, directory):
    error = client.get(f"{PTCE_LIST}?theme=inconnue", headers={"Origin": ORIGIN})
    assert error.status_code == 400
    assert error["Access-Control-Allow-Origin"] == "*"
    etag = client.get(PTCE_LIST)["ETag"]
    not_modified = client.get(PTCE_LIST, headers={"Origin": ORIGIN, "If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", ["/ptce/", "/", "/territoires/recherche.json?q=cusset", "/carte/"])
def test_no_cors_outside_the_api(client, directory, url):
    response = client.get(url, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


# --- rate limit -----------------------------------------------------------------------------
@override_settings(RATE_LIMITS={"/api/": (3, 60)})
def test_rate_limit_gives_a_json_429_with_retry_after(client, directory):
    ask = lambda: client.get(PTCE_LIST, REMOTE_ADDR="192.0.2.50", headers={"Origin": ORIGIN})  # noqa: E731
    assert [ask().status_code for _ in range(3)] == [200, 200, 200]
    limited = ask()
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert limited.json()["error"]
    assert limited["Access-Control-Allow-Origin"] == "*"  # readable by the page that asked
    other = client.get("/api/v1/soutiens/", REMOTE_ADDR="192.0.2.51")
    assert other.status_code == 200


# --- hostile query strings ------------------------------------------------------------------
HOSTILE = [
    "q=%00",
    "q=a%00b",
    "theme=%00culture",
    "page=%00",
    "page=1%00",
    "page_size=%00",
    "departement=%F0%9F%92%A9",
    "q=%F0%9F%92%A9%F0%9F%92%A9",
    "q=%ED%A0%80",  # a lone surrogate, not UTF-8
    "q=%FF%FE",
    "region=84&region=84&region=84",
    "theme=" + "&theme=".join(["culture"] * 50),
    "bbox=nan,nan,nan,nan",
    "bbox=1e999,0,0,0",
    "page=9" * 40,
    "page_size=-1",
    "sort=" + "x" * 5000,
    "q=" + "%C3%A9" * 3000,
    "commune=" + "9" * 300,
    "kind=%00",
]


class TestHostileQueryStrings:
    """One directory for the whole family (``class_directory``)."""

    @pytest.mark.parametrize("query", HOSTILE)
    @pytest.mark.parametrize("base", [*ENDPOINTS, "detail"])
    def test_hostile_query_strings_never_give_a_500(self, client, class_directory, db, base, query):
        directory = class_directory
        url = ptce_url(directory["cusset"].slug) if base == "detail" else base
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}{query}")
        assert response.status_code in (200, 400, 404), (url, query, response.status_code)
        body = response.json()
        if response.status_code != 200:
            assert body["error"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["q", "theme", "region", "page", "page_size", "bbox", "sort", "kind"]),
    value=st.text(max_size=60),
    url=st.sampled_from(ENDPOINTS),
)
def test_any_value_of_any_parameter_is_not_a_500(client, db, name, value, url):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}", {name: value})
    assert response.status_code in (200, 400, 404)
    assert response.json()


# --- query budgets ------------------------------------------------------------------------
def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


_numbers = itertools.count(1)


def grow(size):
    """``size`` more published PTCEs of the Allier with themes, members, supports and
    experiences (and as many schemes), all matching every measured URL."""
    for _ in range(size):
        n = next(_numbers)
        ptce = make_ptce(
            f"Pôle mesuré {n:03d}",
            commune="03095",
            themes=["culture", "habitat"],
            supports=["investissement"],
            members=[f"Membre {n}-{k}" for k in range(3)],
            stage_slug="emergence",
            legal_form_slug="scic",
        )
        ExperienceFactory(ptce=ptce, support_types=["investissement"])
        SchemeFactory(support_types=["investissement"])


# Warm: the public-data version, plus what the site's FilterSets read on every request (the
# territory of a code; the support types of the experiences' and schemes' filters).
BUDGETS = {  # url: (cold, warm)
    PTCE_LIST: (6, 1),
    f"{PTCE_LIST}?departement=03&theme=culture&support=investissement": (8, 2),
    f"{PTCE_LIST}?q=mesuré": (8, 1),
    "/api/v1/experiences/?support=investissement": (7, 2),
    "/api/v1/dispositifs/?region=84": (7, 3),
    "/api/v1/soutiens/": (5, 1),
    "/api/v1/territoires/?q=cusset": (4, 1),
}


@pytest.mark.parametrize("url", [*BUDGETS, "detail"])
def test_query_budgets_cold_and_warm_do_not_grow_with_the_data(client, db, url):
    measures = []
    for size in (3, 22):
        grow(size)
        target = url
        if url == "detail":
            target = ptce_url(Ptce.objects.order_by("pk").first().slug)
        cache.clear()
        cold = count_queries(client, target)
        warm = count_queries(client, target)
        measures.append((cold, warm))
    cold_budget, warm_budget = BUDGETS.get(url, (11, 2))
    assert measures[0] == measures[1], measures  # flat with the number of rows
    assert measures[0][0] <= cold_budget, measures
    assert measures[0][1] <= warm_budget, measures


def test_detail_budget_is_flat_with_its_related_rows(client, db):
    sizes = []
    for size in (1, 6):
        ptce = PtceFactory(name=f"Pôle fourni {size}", commune_code="03095")
        grow_one_ptce(ptce, size)
        cache.clear()
        url = ptce_url(ptce.slug)
        sizes.append((count_queries(client, url), count_queries(client, url)))
    assert sizes[0] == sizes[1], sizes
    assert sizes[0][0] <= 11 and sizes[0][1] <= 2, sizes
