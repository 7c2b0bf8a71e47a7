"""A per-IP rate limit on the JSON endpoints: 429 with ``Retry-After`` beyond the limit.

``settings.RATE_LIMITS`` maps path prefixes to ``(requests, seconds)`` or ``(requests,
seconds, methods)``; a client (its IP, ``core.http.client_ip``) gets that many requests (of
those methods, all by default) per window of that many seconds on those paths. JSON paths
get a JSON error, pages the portal's 429 page. Counted in the default cache (shared with
Redis, per process otherwise); if the cache fails, requests go through (the limit protects
the site, it must not take it down)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

from .errors import error_response, wants_json
from .http import client_ip


def _limit_for(path):
    for prefix, limit in settings.RATE_LIMITS.items():
        if path.startswith(prefix):
            return prefix, limit
    return None, None


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefix, limit = _limit_for(request.path)
        if limit is None:
            return self.get_response(request)
        allowed, window, *methods = limit
        if methods and request.method not in methods[0]:
            return self.get_response(request)
        now = time.time()
        start = int(now // window) * window
        key = f"ratelimit:{prefix}:{client_ip(request)}:{start}"
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            count = 1
        if count is not None and count > allowed:
            retry_after = max(1, int(start + window - now) + 1)
            if not wants_json(request):
                response = error_response(request, 429)
                response["Retry-After"] = str(retry_after)
                return response
            response = JsonResponse(
                {
                    "error": (
                        f"Trop de requêtes : {allowed} par {window} secondes au plus. "
                        f"Réessayez dans {retry_after} secondes."
                    )
                },
                status=429,
                json_dumps_params={"ensure_ascii": False},
            )
            response["Retry-After"] = str(retry_after)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
