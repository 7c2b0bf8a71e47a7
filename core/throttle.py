"""Counting what one sender does in a rolling window, for forms open to anyone (suggestions,
alert subscriptions). The sender is a keyed digest of its IP (``keyed_digest``): the IP is
never stored. Counts live in the cache; a caller that also stores each sending can give a
database count for when the cache has forgotten (restart, eviction)."""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .http import client_ip


def keyed_digest(value: str) -> str:
    """An HMAC of ``value`` under the site's secret: stable, not reversible."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def ip_digest(request) -> str:
    return keyed_digest(client_ip(request))


def increment(key: str, timeout: int) -> int:
    """Add one to the counter ``key`` (created for ``timeout`` seconds); its new value."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


@dataclass(frozen=True)
class SenderThrottle:
    """At most ``limit()`` sendings per sender digest in ``window`` seconds.

    ``stored_since(digest, since)`` counts the sendings the database kept since a time (or is
    None when nothing is kept)."""

    prefix: str
    setting: str
    default: int
    stored_since: Callable | None = None
    window: int = 3600

    def limit(self) -> int:
        return int(getattr(settings, self.setting, self.default))

    def _key(self, digest):
        return f"{self.prefix}:sent:{digest}"

    def exceeded(self, digest) -> bool:
        if (cache.get(self._key(digest)) or 0) >= self.limit():
            return True
        if self.stored_since is None:
            return False
        since = timezone.now() - timedelta(seconds=self.window)
        return self.stored_since(digest, since) >= self.limit()

    def record(self, digest) -> None:
        increment(self._key(digest), self.window)


class ThrottledFormMixin:
    """For a ``FormView`` open to anyone: a sender over ``throttle``'s limit gets the form
    back with ``throttled_message`` (``%(count)s``: the limit) and a 429; a form caught by its
    honeypot field (``honeypot_field``) counts as a sending and gets a 400. Subclasses call
    ``self.throttle.record(self.digest)`` for each sending they accept."""

    throttle: SenderThrottle
    honeypot_field = "url"
    throttled_message = ""

    def post(self, request, *args, **kwargs):
        self.digest = ip_digest(request)
        if self.throttle.exceeded(self.digest):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, self.throttled_message % {"count": self.throttle.limit()})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if self.honeypot_field in form.errors:
            self.throttle.record(self.digest)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return super().form_invalid(form)
