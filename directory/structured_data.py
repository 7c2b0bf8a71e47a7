"""schema.org JSON-LD and Open Graph data for a PTCE page."""

import json

from django.utils.safestring import mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def organization_jsonld(ptce, absolute_url, region=None):
    """A schema.org ``Organization``, safe to embed in ``<script type=application/ld+json>``."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": ptce.name,
        "url": absolute_url,
        "description": ptce.summary or ptce.description,
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "FR",
            "addressRegion": region.name if region else None,
            "addressLocality": ptce.seat_commune.name if ptce.seat_commune else None,
            "postalCode": (ptce.seat_commune.postcodes or [None])[0] if ptce.seat_commune else None,
        },
        "sameAs": [ptce.website] if ptce.website else None,
        "email": ptce.email or None,
        "telephone": ptce.phone or None,
        "foundingDate": str(ptce.year_founded) if ptce.year_founded else None,
        "areaServed": [t.name for t in ptce.action_territories.all()] or None,
        "knowsAbout": [theme.name for theme in ptce.themes.all()] or None,
    }
    if ptce.latitude is not None and ptce.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": ptce.latitude,
            "longitude": ptce.longitude,
        }
    data["address"] = {k: v for k, v in data["address"].items() if v is not None}
    cleaned = {key: value for key, value in data.items() if value not in (None, "", [])}
    return mark_safe(json.dumps(cleaned, ensure_ascii=False).translate(_ESCAPES))
