"""The pages every public site has: legal notice, accessibility statement, contact, site map.

What they say about the publisher and the host comes from the settings (``SITE_PUBLISHER``…,
``CONTACT_EMAIL``): a deployment names its own, nothing here is personal data."""

from django.conf import settings
from django.views.generic import TemplateView

from collectivites.queries import support_types

from .territories import regions_of_france


def site_identity():
    """Who publishes and hosts the portal, and how to reach them (from the settings)."""
    return {
        "publisher": settings.SITE_PUBLISHER,
        "publisher_address": settings.SITE_PUBLISHER_ADDRESS,
        "publication_director": settings.SITE_PUBLICATION_DIRECTOR,
        "host": settings.SITE_HOST,
        "host_address": settings.SITE_HOST_ADDRESS,
        "contact_email": settings.CONTACT_EMAIL,
    }


class SitePageView(TemplateView):
    """A page of the site whose text is its template, with the site's identity."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=site_identity(), **kwargs)


class LegalNoticeView(SitePageView):
    template_name = "pages/site/legal_notice.html"


class AccessibilityView(SitePageView):
    template_name = "pages/site/accessibility.html"


class ContactView(SitePageView):
    template_name = "pages/site/contact.html"


class SiteMapView(SitePageView):
    """Every public section, the régions and the support types (both cached lists)."""

    template_name = "pages/site/site_map.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            regions=regions_of_france(), support_types=support_types(), **kwargs
        )
