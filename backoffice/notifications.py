"""Tells the curators concerned when a suggestion arrives (``suggestions.signals``): the
regional curators whose régions contain its département, or, when there are none, the
national curators."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse

from suggestions.fields import differences
from suggestions.signals import suggestion_received

from .models import Role
from .permissions import region_ids_of


def curator_addresses(departement_id):
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    regions = region_ids_of(departement_id)
    regional = users.filter(
        curator_profile__role=Role.REGIONAL, curator_profile__regions__in=regions
    )
    found = sorted(set(regional.values_list("email", flat=True)))
    if found:
        return found
    national = users.filter(Q(curator_profile__role=Role.NATIONAL) | Q(is_superuser=True))
    return sorted(set(national.values_list("email", flat=True)))


@receiver(suggestion_received, dispatch_uid="backoffice-suggestion-received")
def tell_curators(sender, suggestion, **kwargs):
    recipients = curator_addresses(suggestion.departement_id)
    if not recipients:
        return
    path = reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    context = {
        "suggestion": suggestion,
        "fields": sorted(str(field.label) for field, _a, _b in differences(suggestion.values, {})),
        "review_url": settings.SITE_URL + path,
    }
    subject = render_to_string("admin/suggestions/email/received_subject.txt", context)
    body = render_to_string("admin/suggestions/email/received.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, recipients)
