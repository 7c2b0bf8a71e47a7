"""How many subscription requests one sender (a keyed digest of its IP: the IP is never
stored) may make: ``ALERTS_PER_HOUR`` (5) a rolling hour, counted in the cache and, should
it forget, in the database; and how many confirmation e-mails one address may receive:
``ALERTS_MAILS_PER_ADDRESS`` (3) a day, whoever asks (no mailbox flooding). The pattern of
``suggestions/throttle.py``."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.http import client_ip

WINDOW = 3600


def limit():
    return int(getattr(settings, "ALERTS_PER_HOUR", 5))


def mails_per_address():
    return int(getattr(settings, "ALERTS_MAILS_PER_ADDRESS", 3))


def ip_hash(request):
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, client_ip(request).encode(), hashlib.sha256).hexdigest()


def _key(digest):
    return f"alerts:sent:{digest}"


def exceeded(digest):
    from .models import Subscription

    if (cache.get(_key(digest)) or 0) >= limit():
        return True
    since = timezone.now() - timedelta(seconds=WINDOW)
    return Subscription.objects.filter(ip_hash=digest, created_at__gte=since).count() >= limit()


def record(digest):
    cache.add(_key(digest), 0, timeout=WINDOW)
    try:
        cache.incr(_key(digest))
    except ValueError:  # expired between add and incr
        cache.set(_key(digest), 1, timeout=WINDOW)


def address_key(email):
    secret = settings.SECRET_KEY.encode()
    return "alerts:mailed:" + hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()


def may_mail(email):
    """Whether one more confirmation e-mail may go to this address today; counts it."""
    key = address_key(email)
    cache.add(key, 0, timeout=86400)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=86400)
        count = 1
    return count <= mails_per_address()
