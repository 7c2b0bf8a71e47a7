"""What every template of the site may show, from the settings (no database)."""

from django.conf import settings


def site(request):
    return {"contact_email": settings.CONTACT_EMAIL}
