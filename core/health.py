"""``/healthz``: the process answers. ``/readyz``: it can serve pages: the database answers
within ``READY_DATABASE_TIMEOUT`` seconds, the cache stores and returns a value, and a
template using static files renders (with the production settings, the static manifest must
hold them). 503 with the failing checks otherwise, always within a few seconds, even when
the database hangs: it is probed from a thread that is not waited for.

``READY_REQUIRES_CACHE`` (default true) makes a cache that fails a reason for 503. Pages are
still served without the cache (slower): where several servers behind a load balancer share
one Redis, set it to false so that a Redis outage does not take every server out (the check
then reports ``degraded``)."""

import logging
import threading
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

logger = logging.getLogger("core.health")
READY_DATABASE_TIMEOUT = 2.0
PROBE_TEMPLATE = "core/readiness_probe.html"


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def database_check(timeout=READY_DATABASE_TIMEOUT):
    """None when ``SELECT 1`` answers in time on a fresh connection, else why not."""
    outcome = {}

    def probe():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            outcome["ok"] = True
        except Exception as error:  # any failure is the answer (logged, never shown)
            outcome["error"] = type(error).__name__
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=probe, name="readyz-database", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        return f"pas de réponse en {timeout:g} s"
    if outcome.get("ok"):
        return None
    logger.warning("readiness: database error %s", outcome.get("error", "unknown"))
    return "injoignable"


def cache_check():
    token = uuid.uuid4().hex
    probe_key = f"readyz:{token}"
    cache.set(probe_key, token, 10)
    answered = cache.get(probe_key)
    cache.delete(probe_key)
    return None if answered == token else "le cache ne rend pas ce qui y est mis"


def template_check():
    try:
        render_to_string(PROBE_TEMPLATE)
    except Exception:  # a missing manifest entry, a template error
        logger.exception("readiness: the probe template does not render")
        return "rendu impossible (voir le journal)"
    return None


@never_cache
def readyz(request):
    checks = {
        "database": database_check(),
        "cache": cache_check(),
        "templates": template_check(),
    }
    required = {"database", "templates"}
    if getattr(settings, "READY_REQUIRES_CACHE", True):
        required.add("cache")
    failing = {name: reason for name, reason in checks.items() if reason and name in required}
    body = {
        "status": "unavailable" if failing else ("degraded" if any(checks.values()) else "ok"),
        "checks": {name: reason or "ok" for name, reason in checks.items()},
    }
    response = JsonResponse(body, status=503 if failing else 200)
    if failing:
        response["Retry-After"] = "10"
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` and ``/readyz`` first, before the host check and everything
    else: a load balancer probes by IP address (not a name of ``ALLOWED_HOSTS``), over
    plain HTTP, and must never meet the cache, the rate limit or a redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        if request.path == "/readyz":
            return readyz(request)
        return self.get_response(request)
