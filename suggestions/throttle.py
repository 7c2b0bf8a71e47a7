"""How many suggestions one sender (a keyed digest of its IP: the IP is never stored) may
send: ``SUGGESTIONS_PER_HOUR`` (5) a rolling hour, counted in the cache and, should the cache
have forgotten, in the database (``core.throttle``)."""

from core.throttle import SenderThrottle, ip_digest


def _stored_since(digest, since):
    from .models import Suggestion

    return Suggestion.objects.filter(ip_hash=digest, created_at__gte=since).count()


THROTTLE = SenderThrottle("suggestions", "SUGGESTIONS_PER_HOUR", 5, _stored_since)
ip_hash = ip_digest
limit = THROTTLE.limit
exceeded = THROTTLE.exceeded  # whether this sender has used up its suggestions for the hour
record = THROTTLE.record  # one sending (a stored suggestion, or a form caught by the honeypot)
