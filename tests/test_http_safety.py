"""The portal's HTTP layer as production serves it: security headers, error pages in the
portal's style, 503 when the database is out of reach (never an HTML 500 for the API), the
request deadline, readiness, rate limits, back-office input, login throttling."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import override_settings

from core import health
from pages.views import HomeView

from .factories import PtceFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Un-mot-de-passe-solide-2026"


def csp_of(response):
    return dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


@pytest.mark.parametrize("url", ["/", "/ptce/", "/carte/", "/territoires/departement/03/"])
def test_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url)
    policy = csp_of(response)

    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "nonce" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_map_tiles_are_the_only_remote_images():
    from ptce_portal.settings.security import tile_sources

    assert tile_sources("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png") == [
        "https://*.tile.openstreetmap.fr"
    ]
    assert tile_sources("/static/img/blank-tile.png") == []


def test_an_unknown_page_is_a_404_in_the_portals_style(client):
    response = client.get("/pas-de-page-ici/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert 'href="/ptce/"' in response.content.decode()


def test_an_unknown_api_path_answers_json(client):
    response = client.get("/api/v1/rien.json")

    assert response.status_code == 404
    assert response.json() == {"error": "Page introuvable."}


@pytest.mark.parametrize(
    "failure", [OperationalError("could not connect to server"), TimeoutError("slow")]
)
def test_a_database_out_of_reach_is_a_503_page_that_leaks_nothing(client, monkeypatch, failure):
    def broken(self, **kwargs):
        raise failure

    monkeypatch.setattr(HomeView, "get_context_data", broken)
    client.raise_request_exception = False
    response = client.get("/")
    body = response.content.decode()

    if isinstance(failure, OperationalError):
        assert response.status_code == 503
        assert response["Retry-After"]
        assert "Service momentanément indisponible" in body
    else:  # a bug, not an outage: a 500 page, in the portal's style
        assert response.status_code == 500
        assert "Une erreur est survenue" in body
    assert "could not connect" not in body and "Traceback" not in body and "slow" not in body


def test_the_api_answers_json_when_the_database_is_out_of_reach(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("api.views.MapQuery.from_params", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/ptce.geojson")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "indisponible" in response.json()["error"]
    assert "server closed" not in response.content.decode()


def test_a_request_past_its_deadline_is_a_503(client, monkeypatch):
    def hangs(self, **kwargs):
        time.sleep(5)

    monkeypatch.setattr(HomeView, "get_context_data", hangs)
    client.raise_request_exception = False
    with override_settings(REQUEST_DEADLINE_SECONDS=0.2):
        response = client.get("/")

    assert response.status_code == 503


def test_readyz_says_ok_when_everything_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "templates": "ok"}


def test_readyz_says_which_check_fails_when_the_database_hangs(client, monkeypatch):
    real_cursor = BaseDatabaseWrapper.cursor

    def hanging_cursor(self):
        time.sleep(3)
        return real_cursor(self)

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", hanging_cursor)
    monkeypatch.setattr(health, "READY_DATABASE_TIMEOUT", 0.3)
    monkeypatch.setattr(health.database_check, "__defaults__", (0.3,))
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("pas de réponse")
    assert response.json()["checks"]["cache"] == "ok"


def test_readyz_fails_on_a_cache_that_keeps_nothing(client):
    dead = {
        "default": {
            "BACKEND": "core.cache_backends.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=dead):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] != "ok"


@override_settings(RATE_LIMITS={"/api/": (3, 60)})
def test_the_api_is_rate_limited_per_address(client):
    statuses = [client.get("/api/v1/coverage.json").status_code for _ in range(4)]
    other = client.get("/api/v1/coverage.json", REMOTE_ADDR="192.0.2.7")

    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/coverage.json")
    assert int(limited["Retry-After"]) >= 1
    assert "Trop de requêtes" in limited.json()["error"]
    assert other.status_code == 200
    assert client.get("/ptce/").status_code == 200  # pages are not limited


@override_settings(RATE_LIMITS={"/api/": (2, 60)}, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_limited_not_the_proxy(client):
    def ask(address):
        return client.get(
            "/api/v1/coverage.json", HTTP_X_FORWARDED_FOR=f"203.0.113.9, {address}"
        ).status_code

    assert [ask("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert ask("198.51.100.2") == 200  # another client behind the same proxy


@pytest.fixture
def curator(client):
    user = get_user_model().objects.create_user(
        "curatrice", "curatrice@example.org", PASSWORD, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/admin/directory/ptce/?q=a%00b",
        "/admin/directory/ptce/?status__exact=%00",
        "/admin/autocomplete/?term=a%00&app_label=directory&model_name=ptce&field_name=seat_commune",
    ],
)
def test_a_nul_byte_in_the_back_office_is_a_400(client, curator, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_the_back_office_still_searches(client, curator):
    PtceFactory(name="Pôle cherché")
    response = client.get("/admin/directory/ptce/?q=cherch")

    assert response.status_code == 200
    assert "Pôle cherché" in response.content.decode()


def login(client, password, username="curatrice"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_login_is_locked_after_five_failures_even_with_the_right_password(client):
    get_user_model().objects.create_user("curatrice", password=PASSWORD, is_staff=True)
    for _ in range(4):
        assert login(client, "mauvais").status_code == 200  # the form again, with an error
    assert login(client, "mauvais").status_code == 429  # the fifth failure locks
    locked = login(client, PASSWORD)

    assert locked.status_code == 429
    assert "Connexion momentanément bloquée" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_refused_next_lands_on_the_back_office(client):
    get_user_model().objects.create_user("curatrice", password=PASSWORD, is_staff=True)
    response = client.post(
        "/admin/login/?next=https://malveillant.example/",
        {"username": "curatrice", "password": PASSWORD, "next": "https://malveillant.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_readyz_may_tolerate_a_failing_cache_when_told(client):
    dead = {
        "default": {
            "BACKEND": "core.cache_backends.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=dead, READY_REQUIRES_CACHE=False):
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


@override_settings(ALLOWED_HOSTS=["ptce.example.org"])
def test_probes_answer_whatever_the_host_a_load_balancer_uses(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.5").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.5").status_code == 400


HOSTILE_ADMIN_PARAMETERS = [
    {"q": "x" * 5000},
    {"q": "' OR 1=1 --"},
    {"o": "abc"},
    {"o": "99.-98"},
    {"p": "-1"},
    {"p": "abc"},
    {"p": "99999999999999999999"},
    {"all": ""},
    {"status__exact": "zzz"},
    {"departement__id__exact": "abc"},
    {"id__in": "1,abc"},
    {"_to_field": "password"},
    {"_popup": "1", "_to_field": "id"},
    {"e": "1"},
]


@pytest.mark.parametrize("params", HOSTILE_ADMIN_PARAMETERS, ids=lambda p: ",".join(p))
def test_hostile_parameters_never_break_a_back_office_list(client, curator, params):
    from django.contrib import admin
    from django.urls import reverse

    PtceFactory(name="Pôle de test")
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, params)
        assert response.status_code in (200, 302, 400), (url, params, response.status_code)


def test_invalid_utf8_in_a_back_office_query_is_not_a_500(client, curator):
    response = client.get("/admin/directory/ptce/?q=%ff%fe%00x")

    assert response.status_code in (200, 400)
