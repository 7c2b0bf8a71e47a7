"""Signed links of the alert e-mails (``django.core.signing``, salted per use): a
subscription's random ``key`` (never its primary key) signed for confirmation (valid
``ALERTS_CONFIRM_DAYS``) or for unsubscription (no expiry: an old digest still works)."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


class TokenError(Exception):
    def __init__(self, expired):
        super().__init__("expired" if expired else "bad")
        self.expired = expired


def confirm_days():
    return int(getattr(settings, "ALERTS_CONFIRM_DAYS", 7))


def confirm_token(subscription):
    return signing.dumps(subscription.key, salt=CONFIRM_SALT)


def unsubscribe_token(subscription):
    return signing.dumps(subscription.key, salt=UNSUBSCRIBE_SALT)


def _read(token, salt, max_age=None):
    if len(token) > 200:
        raise TokenError(expired=False)
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenError(expired=True) from None
    except signing.BadSignature:
        raise TokenError(expired=False) from None


def read_confirm_token(token):
    return _read(token, CONFIRM_SALT, max_age=confirm_days() * 86400)


def read_unsubscribe_token(token):
    return _read(token, UNSUBSCRIBE_SALT)
