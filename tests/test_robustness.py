"""Whatever a visitor (or a robot) puts in the query string of a public list page, the answer
is the page (200) or, for a page number beyond the last, a redirect to the last page: never a
server error.

The list pages are those that exist when the tests run: each path is resolved first and the
test is skipped for a page not (yet) in the URLconf."""

import re
from urllib.parse import parse_qs, quote_from_bytes, urlencode, urlsplit

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .directory_helpers import (
    ignored_notice,
    make_ptce,
    names,
    path_exists,
)

pytestmark = pytest.mark.django_db

DIRECTORY = "/ptce/"
LIST_PAGES = [
    DIRECTORY,
    "/territoires/",
    "/territoires/commune/03095/",
    "/experiences/",
    "/dispositifs/",
    "/carte/",
]
KNOWN_NAMES = [
    "q",
    "page",
    "region",
    "departement",
    "epci",
    "commune",
    "theme",
    "support",
    "stage",
    "legal_form",
    "charter",
    "sort",
    "level",
    "open",
    "kind",
]
NASTY_VALUES = [
    "",
    " ",
    "\x00",
    "cul\x00ture",
    "2A",
    "2A004",
    "03095",
    "200071363",
    "84",
    "culture",
    "oui",
    "recent",
    "-1",
    "0",
    "99999",
    "1" + "0" * 30,
    "9" * 5000,
    "²",
    "٣",
    "x" * 5000,
    "84'; DROP TABLE x;--",
    "' OR 1=1 --",
    "%' AND 1=0 UNION SELECT NULL--",
    '"; SELECT pg_sleep(1);--',
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "../../etc/passwd",
    "économie circulaire",
    '-habitat OR "culture"',
    "\u202e\ufeff\u200b",
]
DIRECTORY_PAGE_SIZE = 20

names_strategy = st.one_of(st.sampled_from(KNOWN_NAMES), st.text(max_size=20))
values_strategy = st.one_of(
    st.sampled_from(NASTY_VALUES),
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=190, max_size=260),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
params_strategy = st.lists(st.tuples(names_strategy, values_strategy), max_size=8)
# Bytes that are not UTF-8, percent-encoded in the query string.
raw_strategy = st.one_of(st.just(b""), st.binary(max_size=40))


def first_page_value(params):
    """The page asked for: the first ``page`` parameter, NUL bytes and spaces aside."""
    values = [value for name, value in params if name == "page"]
    return values[0].replace("\x00", "").strip() if values else ""


def may_be_beyond(page, last_page=1):
    """A redirect is right only for a page number past the last page (a number too long to
    be a page may be one too, or be named as invalid)."""
    return page.isdecimal() and (len(page) > 9 or int(page) > last_page)


def must_be_beyond(page, last_page=1):
    """A plausible page number (up to 9 digits) past the last page must redirect."""
    return re.fullmatch(r"[0-9]{1,9}", page) is not None and int(page) > last_page


def query_string(params, raw=b""):
    query = urlencode(params)
    if raw:
        query += ("&" if query else "") + "junk=" + quote_from_bytes(raw)
    return query


@pytest.fixture
def listed():
    """A few published PTCEs: every list has one page."""
    make_ptce("Pôle de Cusset", commune="03095", themes=["culture"], supports=["investissement"])
    make_ptce("Pôle d'Ajaccio", commune="2A004", themes=["habitat"])
    make_ptce("Pôle de l'Allier", departement="03", charter_signed="oui")


@pytest.fixture(params=LIST_PAGES)
def list_page(request):
    if not path_exists(request.param):
        pytest.skip(f"{request.param} is not in the URLconf (yet)")
    return request.param


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=params_strategy, raw=raw_strategy, fragment=st.booleans())
@example(params=[("page", "-1")], raw=b"", fragment=False)
@example(params=[("page", "99999")], raw=b"", fragment=False)
@example(params=[("page", "9" * 5000)], raw=b"", fragment=False)
@example(params=[("page", "²")], raw=b"", fragment=False)
@example(params=[("q", "x" * 5000)], raw=b"", fragment=False)
@example(params=[("q", "\x00"), ("\x00", "\x00"), ("theme", "cul\x00ture")], raw=b"", fragment=True)
@example(params=[("departement", "99")], raw=b"", fragment=False)
@example(params=[("commune", "2A004")], raw=b"", fragment=False)
@example(params=[("region", "84'; DROP TABLE x;--")], raw=b"", fragment=False)
@example(params=[("theme", "culture")] * 30 + [("page", "1")] * 3, raw=b"\xff\xfe", fragment=True)
def test_any_query_string_gives_the_page_or_a_redirect_beyond_the_last_page(
    list_page, listed, params, raw, fragment
):
    client = Client(raise_request_exception=False)
    headers = {"X-Fragment": "results"} if fragment else {}

    response = client.get(f"{list_page}?{query_string(params, raw)}", headers=headers)

    page = first_page_value(params)
    assert response.status_code in (200, 302), (response.status_code, params)
    if response.status_code == 302:
        assert may_be_beyond(page), f"redirect for page={page[:20]!r}"
        # Every list here has one page: the redirect asks for none.
        assert "page" not in parse_qs(urlsplit(response["Location"]).query)
        assert client.get(response["Location"], headers=headers).status_code == 200
    elif list_page == DIRECTORY:
        assert not must_be_beyond(page), f"200 for page={page[:20]!r}"


# --- the explicit cases, on the directory, with what the page says -----------------------
ALL_LISTED = ["Pôle d'Ajaccio", "Pôle de Cusset", "Pôle de l'Allier"]


@pytest.mark.parametrize(
    ("parameter", "value", "shown"),
    [
        ("page", "-1", "-1"),
        ("page", "0", "0"),
        ("page", "abc", "abc"),
        ("page", "²", "²"),
        ("q", "x" * 5000, "x" * 30),
        ("departement", "99", "99"),
        ("region", "84'; DROP TABLE x;--", "84'; DROP TABLE x;--"),
        ("commune", "2A004' OR 1=1", "2A004' OR 1=1"),
    ],
)
def test_an_odd_value_is_named_and_the_whole_directory_listed(
    client, listed, parameter, value, shown
):
    response = client.get(DIRECTORY, {parameter: value})

    assert response.status_code == 200
    assert names(response) == ALL_LISTED
    notice = ignored_notice(response)
    assert shown in notice
    assert re.search(rf"\b{parameter}\b", notice)


def test_a_corsican_commune_code_is_a_valid_filter(client, listed):
    response = client.get(DIRECTORY, {"commune": "2A004"})

    assert response.status_code == 200
    assert names(response) == ["Pôle d'Ajaccio"]
    assert ignored_notice(response) == ""


def test_nul_bytes_are_dropped_from_values(client, listed):
    response = client.get(DIRECTORY, {"theme": "cul\x00ture", "commune": "03\x00095", "q": "\x00"})

    assert response.status_code == 200
    assert names(response) == ["Pôle de Cusset"]


@pytest.mark.parametrize("number", ["2", "99999", "999999999"])
def test_a_page_number_beyond_the_last_leads_to_the_last(client, listed, number):
    response = client.get(DIRECTORY, {"page": number, "theme": "culture"})

    assert response.status_code == 302
    assert response["Location"] == "/ptce/?theme=culture"


@pytest.mark.parametrize("number", ["1" + "0" * 30, "9" * 5000])
def test_a_page_number_too_long_to_read_is_not_a_server_error(client, listed, number):
    response = client.get(DIRECTORY, {"page": number})

    assert response.status_code == 302 or (
        response.status_code == 200 and "page" in ignored_notice(response)
    )
