"""The e-mail to the person who proposed, once a curator has processed the suggestion."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from directory.models import PtceStatus

from .models import SuggestionStatus


def notify_proposer(suggestion):
    if not suggestion.proposer_email:
        return
    ptce = suggestion.ptce
    public_url = ""
    if ptce is not None and ptce.status == PtceStatus.PUBLISHED:
        public_url = settings.SITE_URL + ptce.get_absolute_url()
    context = {
        "suggestion": suggestion,
        "accepted": suggestion.status == SuggestionStatus.ACCEPTED,
        "public_url": public_url,
        "site_url": settings.SITE_URL,
        "contact_email": getattr(settings, "CONTACT_EMAIL", ""),
    }
    subject = render_to_string("suggestions/email/processed_subject.txt", context)
    body = render_to_string("suggestions/email/processed.txt", context)
    send_mail(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [suggestion.proposer_email],
    )
