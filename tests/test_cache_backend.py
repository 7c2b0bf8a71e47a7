"""The cache chosen from ``REDIS_URL``, and ``FailSafeRedisCache`` with Redis up and down.

The round trip uses the local Redis (127.0.0.1:6379), database 9 only (each pytest-xdist
worker its own: ``tests/workers.py``); the failure cases point at a closed port (127.0.0.1:1)."""

import logging

import pytest
import redis
from asgiref.sync import async_to_sync
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from core import cache_backends
from core.cache_backends import FailSafeRedisCache
from ptce_portal.settings.env import cache_from_env

from .factories import PtceFactory
from .workers import REDIS_TEST_URL

LIVE_URL = REDIS_TEST_URL
DEAD_URL = "redis://127.0.0.1:1/0"
BACKEND = "core.cache_backends.FailSafeRedisCache"


@pytest.fixture(autouse=True)
def fresh_breaker(monkeypatch):
    """Each test starts with a closed breaker and no recent warning."""
    monkeypatch.setattr(cache_backends, "_open_until", {})
    monkeypatch.setattr(cache_backends, "_last_warning", float("-inf"))


@pytest.fixture
def connection_attempts(monkeypatch):
    """Counts the TCP connections redis-py tries to open."""
    attempts = []
    original = redis.connection.Connection._connect

    def counting_connect(self):
        attempts.append((self.host, self.port))
        return original(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counting_connect)
    return attempts


@pytest.fixture
def live_cache():
    redis.Redis.from_url(LIVE_URL).ping()  # fails loudly if the test Redis is not running
    cache = FailSafeRedisCache(LIVE_URL, {"KEY_PREFIX": "ptce-test", "TIMEOUT": 60})
    cache.clear()  # FLUSHDB on this worker's database only
    yield cache
    cache.clear()


def dead_cache(**options):
    return FailSafeRedisCache(DEAD_URL, {"OPTIONS": options})


# --- cache_from_env ---------------------------------------------------------------------------
def test_without_redis_url_the_cache_is_local_memory(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    default = cache_from_env()["default"]
    assert default["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert default["OPTIONS"]["MAX_ENTRIES"] == 5000

    monkeypatch.setenv("REDIS_URL", "  ")
    assert cache_from_env()["default"]["BACKEND"].endswith("LocMemCache")


# Literal URLs: every xdist worker must collect the same test ids.
@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/9", "rediss://cache.example:6380/0", "unix:///run/r.sock"]
)
def test_redis_url_selects_the_fail_safe_backend(monkeypatch, url):
    monkeypatch.setenv("REDIS_URL", url)
    assert cache_from_env() == {
        "default": {"BACKEND": BACKEND, "LOCATION": url, "KEY_PREFIX": "ptce", "TIMEOUT": 3600}
    }


def test_a_redis_url_with_another_scheme_is_refused(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379/0")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        cache_from_env()


def test_short_timeouts_reach_the_connection_pool():
    pool = dead_cache()._cache._get_connection_pool(write=True)
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.25
    assert pool.connection_kwargs["socket_timeout"] == 0.5
    assert "retry_after" not in pool.connection_kwargs
    assert dead_cache(retry_after=12).retry_after == 12


# --- Redis up ---------------------------------------------------------------------------------
def test_round_trip_through_redis(live_cache):
    live_cache.set("answer", {"value": 42})
    assert live_cache.get("answer") == {"value": 42}
    assert redis.Redis.from_url(LIVE_URL).exists(":1:answer") == 0  # the prefix is applied
    assert live_cache.get_or_set("computed", lambda: "first") == "first"
    assert live_cache.get_or_set("computed", lambda: "second") == "first"  # stored
    assert live_cache.get_many(["answer", "computed", "missing"]) == {
        "answer": {"value": 42},
        "computed": "first",
    }
    assert live_cache.delete("answer") is True
    assert live_cache.get("answer", "gone") == "gone"


# --- Redis down -------------------------------------------------------------------------------
def test_unreachable_redis_behaves_as_a_miss(connection_attempts, caplog):
    cache = dead_cache()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("key", "default") == "default"
    assert len(connection_attempts) == 1
    assert "unavailable" in caplog.text

    # The breaker is open: none of these touch the network, and none raises.
    assert cache.set("key", "value") is None
    assert cache.get_or_set("key", lambda: "computed") == "computed"
    assert cache.get_many(["a", "b"]) == {}
    assert not cache.add("key", "value")
    assert not cache.delete("key")
    assert not cache.has_key("key")
    assert not cache.touch("key")
    assert cache.incr("counter") is None
    assert cache.set_many({"a": 1}) == ["a"]
    cache.delete_many(["a"])
    assert not cache.clear()
    assert len(connection_attempts) == 1


def test_each_failure_is_tried_again_but_logged_once(connection_attempts, caplog):
    cache = dead_cache(retry_after=0)  # no breaker: every call goes to the network
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("key") is None
        cache.set("key", "value")
        assert cache.get_or_set("key", lambda: 7) == 7
    assert len(connection_attempts) >= 3
    assert len([r for r in caplog.records if r.name == "core.cache"]) == 1


def test_the_breaker_closes_after_retry_after(connection_attempts, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(cache_backends, "monotonic", lambda: now[0])
    cache = dead_cache(retry_after=5)
    cache.get("key")
    now[0] += 4.9
    cache.get("key")
    assert len(connection_attempts) == 1
    now[0] += 0.2
    cache.get("key")
    assert len(connection_attempts) == 2


def test_async_variants_do_not_raise(connection_attempts):
    cache = dead_cache()

    async def calls():
        assert await cache.aget("key", "default") == "default"
        await cache.aset("key", "value")
        assert await cache.aget_or_set("key", lambda: "computed") == "computed"
        assert await cache.aincr("counter") is None

    async_to_sync(calls)()
    assert len(connection_attempts) == 1


# --- through Django ---------------------------------------------------------------------------
DEAD_CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": DEAD_URL, "KEY_PREFIX": "ptce"}}


@override_settings(CACHES=DEAD_CACHES)
def test_health_check_answers_with_redis_down(client, db):
    assert isinstance(caches["default"], FailSafeRedisCache)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


PUBLIC_PAGES = [
    "/",
    "/ptce/",
    "/ptce/?theme=culture&departement=03",
    "/ptce/?q=cooperation",
    "/ptce/pole-de-cusset/",
    "/carte/",
    "/territoires/",
    "/territoires/region/84/",
    "/territoires/departement/03/",
    "/territoires/epci/200071363/",
    "/territoires/commune/03095/",
    "/territoires/recherche.json?q=cusset",
    "/api/v1/ptce.geojson",
    "/api/v1/coverage.json?level=region",
    "/soutenir/",
    "/soutenir/investissement/",
    "/experiences/",
    "/dispositifs/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_answers_with_redis_down(client, db, connection_attempts, url):
    PtceFactory(name="Pôle de Cusset", commune_code="03095", themes=["culture"])
    with override_settings(CACHES=DEAD_CACHES):
        assert isinstance(caches["default"], FailSafeRedisCache)
        response = client.get(url)
        again = client.get(url)  # the breaker is open: no new attempt, still served

    assert response.status_code == 200
    assert again.status_code == 200
    assert len(connection_attempts) <= 1  # tried at most once: the breaker opened


@override_settings(CACHES=DEAD_CACHES)
def test_the_cached_pages_did_use_the_dead_cache(client, db, connection_attempts):
    """The test above is not vacuous: the directory goes through the cache."""
    assert client.get("/ptce/").status_code == 200
    assert len(connection_attempts) == 1
