"""How many subscription requests one sender (a keyed digest of its IP: the IP is never
stored) may make: ``ALERTS_PER_HOUR`` (5) a rolling hour, counted in the cache and, should
it forget, in the database; and how many confirmation e-mails one address may receive:
``ALERTS_MAILS_PER_ADDRESS`` (3) a day, whoever asks (no mailbox flooding). Built on
``core.throttle``, as the suggestions are."""

from django.conf import settings

from core.throttle import SenderThrottle, increment, ip_digest, keyed_digest


def _stored_since(digest, since):
    from .models import Subscription

    return Subscription.objects.filter(ip_hash=digest, created_at__gte=since).count()


THROTTLE = SenderThrottle("alerts", "ALERTS_PER_HOUR", 5, _stored_since)
ip_hash = ip_digest
limit = THROTTLE.limit
exceeded = THROTTLE.exceeded
record = THROTTLE.record


def mails_per_address():
    return int(getattr(settings, "ALERTS_MAILS_PER_ADDRESS", 3))


def address_key(email):
    return "alerts:mailed:" + keyed_digest(email)


def may_mail(email):
    """Whether one more confirmation e-mail may go to this address today; counts it."""
    return increment(address_key(email), 86400) <= mails_per_address()
