"""How many suggestions one sender (a keyed digest of its IP: the IP is never stored) may
send: ``SUGGESTIONS_PER_HOUR`` (5) a rolling hour, counted in the cache and, should the cache
have forgotten, in the database."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.http import client_ip

WINDOW = 3600


def limit():
    return int(getattr(settings, "SUGGESTIONS_PER_HOUR", 5))


def ip_hash(request):
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, client_ip(request).encode(), hashlib.sha256).hexdigest()


def _key(digest):
    return f"suggestions:sent:{digest}"


def exceeded(digest):
    """Whether this sender has used up its suggestions for the hour."""
    from .models import Suggestion

    if (cache.get(_key(digest)) or 0) >= limit():
        return True
    since = timezone.now() - timedelta(seconds=WINDOW)
    return Suggestion.objects.filter(ip_hash=digest, created_at__gte=since).count() >= limit()


def record(digest):
    """Count one sending (a stored suggestion, or a form caught by the honeypot)."""
    cache.add(_key(digest), 0, timeout=WINDOW)
    try:
        cache.incr(_key(digest))
    except ValueError:  # expired between add and incr
        cache.set(_key(digest), 1, timeout=WINDOW)
