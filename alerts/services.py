"""What the alert pages and ``send_alerts`` do: subscribe (double opt-in), confirm,
unsubscribe, send the digests, purge the unconfirmed subscriptions."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import Ptce

from . import throttle
from .mail import send_confirmation, send_digest
from .models import Subscription
from .tokens import confirm_days

DIGEST_MAX_ITEMS = 50


def subscribe(email, territory, theme, ip_digest):
    """Record the request and send the confirmation e-mail; the same answer whatever the
    address's state (nothing tells a visitor whether an address is subscribed). A
    confirmed subscription is left as it is; an unconfirmed one gets a new e-mail (at most
    ``ALERTS_MAILS_PER_ADDRESS`` a day per address)."""
    existing = Subscription.objects.filter(email=email, territory=territory, theme=theme).first()
    if existing is not None and existing.confirmed_at is not None:
        return
    if existing is None:
        try:
            with transaction.atomic():
                existing = Subscription.objects.create(
                    email=email, territory=territory, theme=theme, ip_hash=ip_digest
                )
        except IntegrityError:  # the same request twice at once
            return
    else:  # asked again: the delay before the purge starts again
        Subscription.objects.filter(pk=existing.pk).update(created_at=timezone.now())
    if throttle.may_mail(email):
        send_confirmation(existing)


def subscription_by_key(key):
    return Subscription.objects.select_related("territory", "theme").filter(key=key).first()


def confirm(subscription):
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])


def unsubscribe(key):
    """Delete the subscription (its address goes with it); True when there was one."""
    deleted, _by_model = Subscription.objects.filter(key=key).delete()
    return bool(deleted)


def purge_unconfirmed(now=None):
    """Delete the subscriptions left unconfirmed for ``ALERTS_CONFIRM_DAYS``."""
    moment = (now or timezone.now()) - timedelta(days=confirm_days())
    deleted, _by_model = Subscription.objects.unconfirmed_before(moment).delete()
    return deleted


@dataclass
class DigestReport:
    sent: int = 0
    skipped: int = 0
    purged: int = 0


def new_ptces(subscription, now, found):
    """The PTCEs first published in ``(subscription.since, now]`` in its territory (and
    theme), oldest first. ``found`` caches one query per (territory, theme) over the
    earliest ``since`` of their subscriptions."""
    group = (subscription.territory_id, subscription.theme_id)
    return [ptce for ptce in found[group] if subscription.since < ptce.published_at <= now][
        :DIGEST_MAX_ITEMS
    ]


def _candidates(subscriptions, now):
    earliest = {}
    for subscription in subscriptions:
        group = (subscription.territory_id, subscription.theme_id)
        since = subscription.since
        earliest[group] = min(since, earliest.get(group, since))
    found = {}
    for (territory_id, theme_id), since in earliest.items():
        territory = next(s.territory for s in subscriptions if s.territory_id == territory_id)
        queryset = Ptce.objects.published().in_territory(territory).newly_published(since)
        queryset = queryset.filter(published_at__lte=now)
        if theme_id is not None:
            queryset = queryset.filter(themes=theme_id)
        found[(territory_id, theme_id)] = list(
            queryset.select_related("seat_commune", "departement").order_by("published_at", "pk")
        )
    return found


def send_digests(now=None):
    """One e-mail per confirmed subscription with PTCEs first published since its last
    digest (or its confirmation), none when there is nothing new; each send is recorded
    (``last_sent_at``, ``digests_sent``). Unconfirmed subscriptions past their delay are
    purged first."""
    now = now or timezone.now()
    report = DigestReport(purged=purge_unconfirmed(now))
    subscriptions = list(Subscription.objects.confirmed().select_related("territory", "theme"))
    found = _candidates(subscriptions, now)
    for subscription in subscriptions:
        ptces = new_ptces(subscription, now, found)
        if not ptces:
            report.skipped += 1
            continue
        send_digest(subscription, ptces)
        Subscription.objects.filter(pk=subscription.pk).update(
            last_sent_at=now, digests_sent=subscription.digests_sent + 1
        )
        report.sent += 1
    return report
