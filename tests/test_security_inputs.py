"""Attack strings in every public parameter of every public route (docs/security.md, §1).

Each payload of ``security_helpers.PAYLOADS`` is sent, one parameter at a time, in every
parameter a public page or endpoint reads, as a parameter name, in the ``X-Fragment`` header
and in the path. Expected: never a server error; an HTML page shows the string escaped (never
as markup, a script or a link); a JSON answer stays valid JSON served as JSON."""

from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from .directory_helpers import make_ptce
from .factories import ExperienceFactory, SchemeFactory, SupportFactory
from .security_helpers import PAYLOADS, POLYGLOT, html_problems, response_problems

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# Every parameter a public route reads (README "API", docs/architecture.md), and ``next`` of
# the login page.
PARAMETERS = [
    "q",
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
    "page",
    "bbox",
    "level",
    "kind",
    "open",
    "code",
    "next",
    "territoire",
]
# Every public route (ptce_portal/urls.py and each app's urls.py), with an existing object
# for the detail pages (created by the ``content`` fixture).
HTML_ROUTES = [
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
    "/experiences/une-scic-pour-le-pole/",
    "/dispositifs/",
    "/dispositifs/appel-regional/",
    "/proposer/",
    "/proposer/merci/",
    "/ptce/pole-de-cusset/corriger/",
    "/embed/carte/",
    "/alertes/",
    "/alertes/verifiez/",
    "/admin/login/",
    "/admin/password_reset/",
    "/compte/password_reset/",
    "/compte/password_reset/done/",
    "/compte/reset/MQ/set-password/",
    "/compte/reset/done/",
]
JSON_ROUTES = [
    "/api/v1/ptce.geojson",
    "/api/v1/coverage.json",
    "/api/v1/outlines/departements.geojson",
    "/api/v1/outlines/regions.geojson",
    "/territoires/recherche.json",
]
# Parameters a JSON endpoint checks first, answering 400 before it reads the others.
STRICT_PARAMETERS = ["bbox", "level", "code"]
# Sent before the payloads: one outline rather than the whole of France (megabytes).
ROUTE_PARAMETERS = {
    "/api/v1/outlines/departements.geojson": [("code", "03")],
    "/api/v1/outlines/regions.geojson": [("code", "84")],
}
# Pages that swap their results in with ``X-Fragment: results`` (static/js/directory.js).
FRAGMENT_ROUTES = [
    "/ptce/",
    "/territoires/commune/03095/",
    "/territoires/departement/03/",
]
# Path segments read by the URLconf (slugs, territory levels and codes).
PATH_TEMPLATES = [
    "/ptce/{}/",
    "/experiences/{}/",
    "/dispositifs/{}/",
    "/soutenir/{}/",
    "/territoires/{}/03/",
    "/territoires/commune/{}/",
    "/{}",
]


@pytest.fixture
def content():
    """Something on every page: PTCEs, a support, an experience, a scheme."""
    cusset = make_ptce(
        "Pôle de Cusset",
        commune="03095",
        themes=["culture"],
        supports=["investissement"],
        members=["Emmaüs Allier"],
    )
    make_ptce("Pôle de l'Allier", departement="03", stage_slug="emergence")
    SupportFactory(ptce=cusset)
    ExperienceFactory(slug="une-scic-pour-le-pole", ptce=cusset, support_types=["capital-scic"])
    SchemeFactory(slug="appel-regional", support_types=["conseil-ingenierie"])


@pytest.fixture
def visitor(settings):
    """A visitor whose server errors are answered (500 page), not raised; the JSON
    endpoints' rate limit is lifted (it has its own tests, test_security_access.py)."""
    settings.RATE_LIMITS = {}
    return Client(raise_request_exception=False)


def problems_of(response, payload):
    problems = response_problems(response, payload)
    if response.get("Content-Type", "").startswith("text/html"):
        allowed = (200, 302, 400, 404)
    else:
        allowed = (200, 304, 400, 404)
    if response.status_code not in allowed:
        problems.append(f"status {response.status_code}")
    return problems


def attack(client, route, pairs, headers=None):
    return client.get(f"{route}?{urlencode(pairs)}", headers=headers or {})


def requests_for(payload, route):
    """``{label: query pairs}``: the payload in every parameter at once and twice over (a
    lenient page names each one it sets aside, and each repetition), and as a parameter's
    name; for a JSON endpoint, the parameters it refuses with a 400 before reading the
    others are also sent alone."""
    base = ROUTE_PARAMETERS.get(route, [])
    requests = {
        "every parameter, twice": base + [(name, payload) for name in PARAMETERS] * 2,
        "as a name": [*base, (payload, "1")],
    }
    if route in JSON_ROUTES:
        requests |= {f"{name} alone": [*base, (name, payload)] for name in STRICT_PARAMETERS}
    return requests


def attack_with_every_payload(client, route, headers=None):
    """``{(payload id, request): problems}`` for every payload, and for the polyglot in each
    parameter on its own."""
    found = {}
    for payload_id, payload in PAYLOADS.items():
        for label, pairs in requests_for(payload, route).items():
            problems = problems_of(attack(client, route, pairs, headers), payload)
            if problems:
                found[(payload_id, label)] = problems
    base = ROUTE_PARAMETERS.get(route, [])
    for name in PARAMETERS:
        response = attack(client, route, [*base, (name, POLYGLOT)], headers)
        if problems := problems_of(response, POLYGLOT):
            found[("polyglot", name)] = problems
    return found


def test_the_detector_finds_each_kind_of_problem():
    """The checks these tests rely on (``security_helpers.html_problems``) do see a payload
    that got through."""
    payload = PAYLOADS["attribute-breakout"]
    escaped = '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;</p>'

    assert html_problems(escaped, payload) == []
    assert html_problems(f'<p title="{payload}">', payload)  # unescaped, event handler
    assert html_problems("<script>alert(1)</script>")  # inline script
    assert html_problems('<a href=" JaVa\tScRiPt:alert(1)">x</a>')  # dangerous link
    broken = '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>'
    assert html_problems(broken)  # JSON-LD closed early
    assert html_problems("<pre>{'csrf_token': <module 'os'>}</pre>")  # {% debug %} output


@pytest.mark.parametrize("route", HTML_ROUTES)
def test_html_pages_escape_every_parameter(content, visitor, route):
    assert attack_with_every_payload(visitor, route) == {}


@pytest.mark.parametrize("route", JSON_ROUTES)
def test_json_endpoints_stay_json_for_every_parameter(content, visitor, route):
    assert attack_with_every_payload(visitor, route) == {}


@pytest.mark.parametrize("route", FRAGMENT_ROUTES)
def test_the_results_fragment_escapes_every_parameter(content, visitor, route):
    assert attack_with_every_payload(visitor, route, {"X-Fragment": "results"}) == {}


def test_the_health_probes_answer_the_same_whatever_is_sent(visitor):
    """``/healthz`` answers before every middleware (``core.health.HealthCheckMiddleware``),
    with a fixed body: nothing sent is read."""
    for payload in PAYLOADS.values():
        response = attack(visitor, "/healthz", [(name, payload) for name in PARAMETERS])
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_x_fragment_header_is_never_reflected(content, visitor, payload):
    header = payload.replace("\r", "").replace("\n", "").replace("\x00", "")
    found = {}
    for route in [*FRAGMENT_ROUTES, "/", "/carte/"]:
        response = visitor.get(route, headers={"X-Fragment": header})
        if problems := problems_of(response, header):
            found[route] = problems
    assert found == {}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_paths_with_the_payload_are_not_found_and_escaped(content, visitor, payload):
    found = {}
    for template in PATH_TEMPLATES:
        response = visitor.get(template.format(quote(payload, safe="")))
        problems = problems_of(response, payload)
        if response.status_code not in (301, 302, 404):
            problems.append(f"status {response.status_code}")
        if problems:
            found[template] = problems
    assert found == {}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_admin_login_form_escapes_what_is_posted(visitor, payload):
    """The login form shows the username again after a failure, and keeps ``next``."""
    response = visitor.post(
        f"/admin/login/?{urlencode({'next': payload})}",
        {"username": payload, "password": payload, "next": payload},
    )

    assert response.status_code in (200, 400)
    assert html_problems(response.content.decode(), payload) == []


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80@127.0.0.1", "<script>"])
def test_a_forged_host_header_is_a_400_and_never_reaches_a_link(visitor, content, host):
    """``ALLOWED_HOSTS``: the canonical link, Open Graph URL and the page cache's key are
    built from the host; a host not allowed is refused before any of them."""
    response = visitor.get("/ptce/pole-de-cusset/", headers={"Host": host})

    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
    assert html_problems(response.content.decode(), host) == []


def test_a_forged_forwarded_host_is_not_used(visitor, content):
    """``USE_X_FORWARDED_HOST`` is off: the canonical URL names the real host."""
    response = visitor.get("/ptce/pole-de-cusset/", headers={"X-Forwarded-Host": "evil.example"})

    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()


# --- every route of the URLconf is in this suite ---------------------------------------------
# One example URL per public route pattern (the back-office's own routes aside). A route added
# to the URLconf fails the first test below until it is added here and to the lists above.
ROUTE_EXAMPLES = {
    "": "/",
    "healthz": "/healthz",
    "readyz": "/readyz",
    "admin/password_reset/": "/admin/password_reset/",
    "compte/password_reset/": "/compte/password_reset/",
    "compte/password_reset/done/": "/compte/password_reset/done/",
    "compte/reset/<uidb64>/<token>/": "/compte/reset/MQ/set-password/",
    "compte/reset/done/": "/compte/reset/done/",
    "api/v1/ptce.geojson": "/api/v1/ptce.geojson",
    "api/v1/coverage.json": "/api/v1/coverage.json",
    "api/v1/outlines/departements.geojson": "/api/v1/outlines/departements.geojson?code=03",
    "api/v1/outlines/regions.geojson": "/api/v1/outlines/regions.geojson?code=84",
    "api/v1/communes/<int:pk>/point.json": "/api/v1/communes/1/point.json",
    "territoires/recherche.json": "/territoires/recherche.json?q=cusset",
    "proposer/": "/proposer/",
    "proposer/merci/": "/proposer/merci/",
    "ptce/<slug:slug>/corriger/": "/ptce/pole-de-cusset/corriger/",
    "ptce/": "/ptce/",
    "ptce/export.csv": "/ptce/export.csv?theme=inconnue&page=x",
    "ptce/export.xlsx": "/ptce/export.xlsx?departement=2A&region=zz",
    "donnees/": "/donnees/",
    "donnees/schema-ptce.json": "/donnees/schema-ptce.json",
    "ptce/<slug:slug>/": "/ptce/pole-de-cusset/",
    "experiences/": "/experiences/",
    "experiences/<slug:slug>/": "/experiences/une-scic-pour-le-pole/",
    "dispositifs/": "/dispositifs/",
    "dispositifs/<slug:slug>/": "/dispositifs/appel-regional/",
    "carte/": "/carte/",
    "soutenir/": "/soutenir/",
    "soutenir/<slug:slug>/": "/soutenir/conseil-ingenierie/",
    "territoires/": "/territoires/",
    "territoires/<str:kind>/<str:code>/": "/territoires/commune/03095/",
    "ptce/flux/": "/ptce/flux/",
    "ptce/flux/atom/": "/ptce/flux/atom/",
    "territoires/<str:kind>/<str:code>/flux/": "/territoires/commune/03095/flux/",
    "territoires/<str:kind>/<str:code>/flux/atom/": "/territoires/departement/03/flux/atom/",
    "embed/carte/": "/embed/carte/?region=84",
    "sitemap.xml": "/sitemap.xml",
    "robots.txt": "/robots.txt",
    "alertes/": "/alertes/?territoire=departement-03",
    "alertes/verifiez/": "/alertes/verifiez/",
    "alertes/confirmer/<str:token>/": "/alertes/confirmer/abc/",
    "alertes/desabonner/<str:token>/": "/alertes/desabonner/abc/",
    "ptce/filtre/territoire/": "/ptce/filtre/territoire/?territoire=%00%27--&theme=x",
    "carte/territoire/": "/carte/territoire/?territoire=" + "a" * 300,
    "mentions-legales/": "/mentions-legales/?page=-1",
    "accessibilite/": "/accessibilite/",
    "contact/": "/contact/",
    "plan-du-site/": "/plan-du-site/",
    "favicon.ico": "/favicon.ico",
    "api/v1/ptce/": "/api/v1/ptce/?page=999999999999&page_size=1000000000&theme=%00",
    "api/v1/ptce/<slug:slug>/": "/api/v1/ptce/%C3%A9%27%22/",
    "api/v1/territoires/": "/api/v1/territoires/?q=%00%00",
    "api/v1/experiences/": "/api/v1/experiences/?support=%27&page=-3",
    "api/v1/dispositifs/": "/api/v1/dispositifs/?open=maybe&region=99999",
    "api/v1/soutiens/": "/api/v1/soutiens/?page=abc",
    "api/v1/schema/": "/api/v1/schema/?format=%00",
    "api/v1/docs/": "/api/v1/docs/",
}


def public_route_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route != "admin/":  # the back-office: test_security_access.py, _stored.py
                yield from public_route_patterns(pattern.url_patterns, route)
        else:
            yield route


def test_every_public_route_of_the_urlconf_is_attacked_here():
    assert sorted(public_route_patterns()) == sorted(ROUTE_EXAMPLES)


@pytest.mark.parametrize("url", ROUTE_EXAMPLES.values())
def test_every_public_route_answers_without_a_server_error(content, visitor, url):
    response = visitor.get(url)

    assert response.status_code < 500
