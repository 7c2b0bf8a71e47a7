"""The alert e-mails: the confirmation (double opt-in) and the digest. Every digest carries
a one-click unsubscribe link and the ``List-Unsubscribe`` / ``List-Unsubscribe-Post``
headers (RFC 8058); links are absolute (``settings.SITE_URL``)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .tokens import confirm_days, confirm_token, unsubscribe_token


def _links(subscription):
    return {
        "confirm_url": settings.SITE_URL
        + reverse("alerts:confirm", args=[confirm_token(subscription)]),
        "unsubscribe_url": settings.SITE_URL
        + reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)]),
    }


def _send(subscription, template, context, unsubscribe_url):
    context = {
        "subscription": subscription,
        "territory": subscription.territory,
        "theme": subscription.theme,
        "site_url": settings.SITE_URL,
        **context,
    }
    subject = render_to_string(f"alerts/email/{template}_subject.txt", context)
    body = render_to_string(f"alerts/email/{template}.txt", context)
    message = EmailMessage(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def send_confirmation(subscription):
    links = _links(subscription)
    _send(
        subscription,
        "confirm",
        {**links, "confirm_days": confirm_days()},
        links["unsubscribe_url"],
    )


def send_digest(subscription, ptces):
    links = _links(subscription)
    items = [(ptce, settings.SITE_URL + ptce.get_absolute_url()) for ptce in ptces]
    _send(subscription, "digest", {**links, "items": items}, links["unsubscribe_url"])
