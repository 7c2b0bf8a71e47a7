"""A Redis cache that degrades to "no cache" instead of breaking pages when Redis fails.

``FailSafeRedisCache`` is Django's ``RedisCache`` with three additions:

* every cache call catches ``RedisError`` / ``OSError`` and answers like a miss (``get`` gives
  the default, ``set``/``add``/``delete`` do nothing and return a falsy value, ``get_many``
  gives ``{}``, ``get_or_set`` computes the value and returns it without storing it);
* a circuit breaker: after a failure, Redis is not contacted at all for ``retry_after``
  seconds (``OPTIONS["retry_after"]``, default 5), so requests do not each wait for a timeout;
* short socket timeouts by default (connect 0.25 s, read/write 0.5 s), overridable with the
  ``socket_connect_timeout`` / ``socket_timeout`` OPTIONS, which Django hands to
  ``redis.ConnectionPool``.

Failures are logged on the ``core.cache`` logger, at most once every 30 s per process.
The async methods (``aget``, ``aset``…) are inherited: Django runs them through the sync ones.
"""

import logging
import threading
from time import monotonic

from asgiref.sync import sync_to_async
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("core.cache")

FAILURES = (RedisError, OSError)
RETRY_AFTER = 5.0
WARNING_INTERVAL = 30.0
DEFAULT_POOL_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}

# Shared by every thread's cache instance: {server location: monotonic time the breaker closes}.
_lock = threading.Lock()
_open_until: dict[str, float] = {}
_last_warning = float("-inf")


class FailSafeRedisCache(RedisCache):
    """``RedisCache`` that never raises when Redis is unreachable, slow or refuses a command."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", RETRY_AFTER))
        options = {**DEFAULT_POOL_OPTIONS, **options}
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker_key = ",".join(self._servers)

    # --- circuit breaker ---------------------------------------------------------------------
    def _guard(self, fallback, method, *args):
        """``method(*args)``, or ``fallback`` when the breaker is open or Redis fails."""
        if _open_until.get(self._breaker_key, 0.0) > monotonic():
            return fallback
        try:
            return method(*args)
        except FAILURES as error:
            self._trip(error)
            return fallback

    def _trip(self, error):
        global _last_warning
        now = monotonic()
        with _lock:
            _open_until[self._breaker_key] = now + self.retry_after
            should_warn = now - _last_warning >= WARNING_INTERVAL
            if should_warn:
                _last_warning = now
        if should_warn:
            logger.warning(
                "Redis cache %s unavailable (%s: %s): working without cache, next try in %s s.",
                self._breaker_key,
                type(error).__name__,
                error,
                self.retry_after,
            )

    # --- cache API (get_or_set and the async variants build on these) -------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        """The new value; ``None`` when Redis fails (``ValueError`` for a missing key, as
        usual)."""
        return self._guard(None, super().incr, key, delta, version)

    async def aincr(self, key, delta=1, version=None):
        return await sync_to_async(self.incr, thread_sensitive=True)(key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Keys that could not be stored: all of them when Redis fails."""
        return self._guard(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def clear(self):
        return self._guard(False, super().clear)
