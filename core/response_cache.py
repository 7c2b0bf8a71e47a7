"""Whole responses of public pages, cached for anonymous visitors (a spike is served from
the cache).

A response is stored when nothing in it is personal or accidental:

- the request is a ``GET``/``HEAD`` without a session cookie, on a path not excluded
  (``settings.RESPONSE_CACHE_EXCLUDED_PREFIXES``: back-office, API, health, files);
- the response is a 200 HTML page that sets no cookie, does not vary on ``Cookie`` (a CSRF
  token or a session was used), is not ``private``/``no-store``, and whose context names no
  ignored parameter (``context["ignored"]``);
- the request carried no parameter outside ``settings.RESPONSE_CACHE_PARAMETERS``.

The key (``core.cache.key``: release and public-data version) holds the scheme, host, path,
the allowed parameters (sorted) and the ``X-Fragment`` header. A request with unknown
parameters or invalid values may be answered from the entry of its valid parameters but never
stores one: hostile query strings cannot fill the cache. Outer middlewares (CSP,
Permissions-Policy, conditional GET with ``ETag``) run on cached responses too. Each
process keeps its latest pages in memory in front of the shared cache (``LocalCopies``).
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, set_response_etag

from .cache import TIMEOUT, key

HEADER = "X-Portal-Cache"
UNCACHEABLE_CONTROL = {"private", "no-store", "no-cache"}
LOCAL_ENTRIES = 256


class LocalCopies:
    """The most recently served pages of this process, in front of the shared cache: a key
    holds the public-data version, so a local copy is never stale; it spares the shared
    cache's round trip and the unpickling of a whole page on most hits."""

    def __init__(self, size=LOCAL_ENTRIES):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            frozen = self.entries.get(key)
            if frozen is not None:
                self.entries.move_to_end(key)
            return frozen

    def put(self, key, frozen):
        with self.lock:
            self.entries[key] = frozen
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


local_copies = LocalCopies()


def _query_parts(request):
    """``(allowed parameters as sorted pairs, whether other parameters were present)``."""
    allowed = settings.RESPONSE_CACHE_PARAMETERS
    kept, foreign = [], False
    for name, values in request.GET.lists():
        if name in allowed:
            kept.append((name, tuple(values)))
        else:
            foreign = True
    return sorted(kept), foreign


def _response_key(request, kept):
    return key(
        "response",
        request.scheme,
        request.get_host(),
        request.path,
        kept,
        request.headers.get("X-Fragment", ""),
    )


def _readable(request):
    if not getattr(settings, "RESPONSE_CACHE_ENABLED", True):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not request.path.startswith(tuple(settings.RESPONSE_CACHE_EXCLUDED_PREFIXES))


def _storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    vary = {value.strip().lower() for value in cc_delim_re.split(response.get("Vary", ""))}
    if "cookie" in vary:
        return False
    control = {
        value.strip().lower() for value in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & UNCACHEABLE_CONTROL:
        return False
    context = getattr(response, "context_data", None) or {}
    return not context.get("ignored")


def _freeze(response):
    return (response.status_code, response.content, list(response.items()))


def _thaw(frozen):
    status, content, headers = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _readable(request):
            return self.get_response(request)
        kept, foreign = _query_parts(request)
        cache_key = _response_key(request, kept)
        frozen = local_copies.get(cache_key)
        if frozen is None:
            frozen = cache.get(cache_key)
            if frozen is not None:
                local_copies.put(cache_key, frozen)
        if frozen is not None:
            response = _thaw(frozen)
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if not foreign and _storable(response):
            set_response_etag(response)  # once, not on every hit
            frozen = _freeze(response)
            cache.set(cache_key, frozen, TIMEOUT)
            local_copies.put(cache_key, frozen)
            response[HEADER] = "stored"
        return response
