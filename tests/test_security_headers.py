"""Security headers and scripts on every kind of page, error pages included (docs/security.md,
§8), and error pages that leak nothing (§10)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.http import Http404
from django.test import Client

from api.views import CoverageView
from pages.views import HomeView

from .factories import ExperienceFactory, PtceFactory, SchemeFactory
from .security_helpers import html_problems, inline_scripts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "Un-mot-de-passe-solide-2026"
PUBLIC_PAGES = [
    "/",
    "/ptce/",
    "/ptce/pole-de-cusset/",
    "/carte/",
    "/territoires/",
    "/territoires/commune/03095/",
    "/territoires/epci/200071363/",
    "/territoires/departement/03/",
    "/territoires/region/84/",
    "/soutenir/",
    "/soutenir/conseil-ingenierie/",
    "/experiences/",
    "/experiences/retour/",
    "/dispositifs/",
    "/dispositifs/dispositif/",
    "/proposer/",
    "/proposer/merci/",
    "/ptce/pole-de-cusset/corriger/",
    "/admin/login/",
    "/admin/password_reset/",
    "/compte/password_reset/",
    # /compte/login/ is a server error for now (test_security_inputs.py says so).
]
BACK_OFFICE_PAGES = [
    "/admin/",
    "/admin/directory/ptce/",
    "/admin/directory/ptce/add/",
    "/admin/directory/ptce/{ptce}/change/",
    "/admin/directory/ptce/{ptce}/history/",
    "/admin/directory/experience/",
    "/admin/directory/support/",
    "/admin/collectivites/scheme/",
    "/admin/collectivites/resource/",
    "/admin/collectivites/territory/?q=cusset",
    "/admin/suggestions/suggestion/",
    "/admin/password_change/",
]


@pytest.fixture
def content():
    ptce = PtceFactory(name="Pôle de Cusset", commune_code="03095", themes=["culture"])
    ExperienceFactory(slug="retour", ptce=ptce, support_types=["conseil-ingenierie"])
    SchemeFactory(slug="dispositif", support_types=["conseil-ingenierie"])
    return ptce


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_user(
        "curatrice", "curatrice@example.org", PASSWORD, is_staff=True, is_superuser=True
    )


def policy(response):
    """The Content-Security-Policy as ``{directive: [sources]}``."""
    value = response.get("Content-Security-Policy", "")
    directives = (part.split() for part in value.split(";") if part.strip())
    return {words[0]: words[1:] for words in directives}


def header_problems(response):
    csp = policy(response)
    expected = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    problems = [
        f"CSP {name} {csp.get(name)}" for name, value in expected.items() if csp.get(name) != value
    ]
    everything = response.get("Content-Security-Policy", "")
    problems += [
        f"CSP allows {word}" for word in ("unsafe-inline", "unsafe-eval") if word in everything
    ]
    if "'self'" not in csp.get("style-src", []):
        problems.append(f"CSP style-src {csp.get('style-src')}")
    fixed = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    problems += [
        f"{name}: {response.get(name)!r}"
        for name, value in fixed.items()
        if response.get(name) != value
    ]
    permissions = response.get("Permissions-Policy", "")
    problems += [
        f"Permissions-Policy without {feature}"
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")
        if feature not in permissions
    ]
    return problems


def page_problems(response):
    problems = header_problems(response)
    if response.get("Content-Type", "").startswith("text/html"):
        problems += html_problems(response.content.decode())
    return problems


def check(client, urls, **kwargs):
    found = {}
    for url in urls:
        response = client.get(url, **kwargs)
        problems = page_problems(response)
        if response.status_code != 200:
            problems.append(f"status {response.status_code}")
        if problems:
            found[url] = problems
    return found


def test_public_pages_carry_the_headers_and_no_inline_script(client, content):
    assert check(client, PUBLIC_PAGES) == {}


def test_cached_public_pages_carry_the_headers_too(client, content):
    """A page served from the whole-page cache gets the headers of the middlewares above it."""
    pages = ["/", "/ptce/", "/ptce/pole-de-cusset/", "/carte/"]
    check(client, pages)
    for url in pages:
        response = client.get(url)
        assert response["X-Portal-Cache"] == "hit"
        assert page_problems(response) == [], url


def test_the_results_fragment_carries_the_headers(client, content):
    found = check(
        client, ["/ptce/", "/territoires/departement/03/"], headers={"X-Fragment": "results"}
    )
    assert found == {}


def test_back_office_pages_carry_the_headers_and_no_inline_script(client, content, curator):
    client.force_login(curator)
    urls = [url.format(ptce=content.pk) for url in BACK_OFFICE_PAGES]

    assert check(client, urls) == {}


def error_responses(client, curator, monkeypatch):
    """One response of each error page, produced the way a visitor meets it."""
    client.raise_request_exception = False
    reader = get_user_model().objects.create_user("lectrice", password=PASSWORD, is_staff=True)
    responses = {}
    responses[400] = client.get("/admin/directory/ptce/?q=a%00b")
    responses["400 host"] = client.get("/", headers={"Host": "evil.example"})
    responses[404] = client.get("/page-inconnue/")
    strict = Client(enforce_csrf_checks=True)
    responses["403 csrf"] = strict.post("/admin/login/", {"username": "x", "password": "y"})
    client.force_login(reader)
    responses[403] = client.get("/admin/directory/ptce/add/")
    client.logout()
    for n in range(5):
        responses[429] = client.post(
            "/admin/login/", {"username": f"x{n}", "password": "y"}, REMOTE_ADDR="192.0.2.5"
        )

    def broken(self, **kwargs):
        raise RuntimeError("SELECT password FROM auth_user -- /work/main/core/secret.py")

    monkeypatch.setattr(HomeView, "get_context_data", broken)
    responses[500] = client.get("/")

    def outage(self, **kwargs):
        raise OperationalError('could not connect to server: "db.internal" (10.1.2.3)')

    monkeypatch.setattr(HomeView, "get_context_data", outage)
    responses[503] = client.get("/")
    return responses


def test_error_pages_carry_the_headers_and_no_inline_script(client, curator, monkeypatch):
    """The 400 pages are answered above XFrameOptionsMiddleware (the NUL check of
    ``core.middleware``, the host check of the page cache): ``core.errors.error_response``
    sets X-Frame-Options itself."""
    responses = error_responses(client, curator, monkeypatch)
    statuses = {label: response.status_code for label, response in responses.items()}

    assert statuses == {
        400: 400,
        "400 host": 400,
        404: 404,
        "403 csrf": 403,
        403: 403,
        429: 429,
        500: 500,
        503: 503,
    }
    found = {label: page_problems(response) for label, response in responses.items()}
    assert {label: problems for label, problems in found.items() if problems} == {}


# --- §10 error pages leak nothing -------------------------------------------------------------
def leaks(body, settings):
    markers = [
        "Traceback",
        'File "',
        "site-packages",
        str(settings.BASE_DIR),
        "SECRET_KEY",
        settings.SECRET_KEY,
        "DATABASES",
        "SELECT",
        "auth_user",
        "sqlite",
        "psycopg",
        "django.db",
        "OperationalError",
        "RuntimeError",
        "db.internal",
        "10.1.2.3",
        "secret.py",
    ]
    return [marker for marker in markers if marker in body]


def test_error_pages_leak_nothing(client, curator, monkeypatch, settings):
    responses = error_responses(client, curator, monkeypatch)
    found = {label: leaks(r.content.decode(), settings) for label, r in responses.items()}

    assert {label: markers for label, markers in found.items() if markers} == {}


def test_a_404_raised_with_a_message_does_not_show_it(client, monkeypatch, settings):
    def missing(self, **kwargs):
        raise Http404("SELECT password FROM auth_user -- /work/main/core/secret.py")

    monkeypatch.setattr(HomeView, "get_context_data", missing)
    response = client.get("/")

    assert response.status_code == 404
    assert leaks(response.content.decode(), settings) == []


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (RuntimeError("SELECT password FROM auth_user -- /work/main/core/secret.py"), 500),
        (OperationalError('could not connect to server: "db.internal" (10.1.2.3)'), 503),
    ],
)
def test_the_api_errors_leak_nothing(client, monkeypatch, settings, error, status):
    def broken(self, request, *args, **kwargs):
        raise error

    monkeypatch.setattr(CoverageView, "get", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/coverage.json")

    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert leaks(response.content.decode(), settings) == []
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "url", ["/api/v1/ptce.geojson", "/api/v1/coverage.json", "/territoires/recherche.json?q=a"]
)
def test_json_and_static_files_are_never_sniffed(client, url):
    response = client.get(url)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith(("application/json", "application/geo+json"))


def test_static_scripts_are_served_with_their_type_and_nosniff(client):
    response = client.get("/static/js/map-common.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(("text/javascript", "application/javascript"))
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_no_template_has_an_inline_script(settings):
    """Every template of the project: ``<script>`` only with ``src`` or JSON data (the pages
    above are a sample; this reads them all, admin overrides included)."""
    root = settings.BASE_DIR / "templates"
    found = {}
    for template in root.rglob("*.html"):
        text = template.read_text()
        scripts = inline_scripts(text.replace("{{", "").replace("}}", ""))
        if scripts:
            found[str(template.relative_to(root))] = scripts
    assert found == {}
