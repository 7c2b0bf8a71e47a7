"""URLs of ground-floor models whose pages live in upper apps, given to Django by
``settings.ABSOLUTE_URL_OVERRIDES``: the territories (``collectivites``) do not know that
their pages are built by ``pages``; the project, which sits above everything, says so.

Lists of hundreds of territories call ``territory_url``: one ``reverse`` per level, then a
substitution (``reverse`` alone cost a third of a département page's rendering)."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

URL_CODE = "CODE"


@lru_cache(maxsize=64)
def _territory_pattern(script_prefix, kind):
    return reverse("pages:territory", kwargs={"kind": kind, "code": URL_CODE})


def territory_url(territory):
    before, after = _territory_pattern(get_script_prefix(), territory.kind).rsplit(URL_CODE, 1)
    return f"{before}{territory.code}{after}"


def support_type_url(support_type):
    return reverse("pages:support-type", kwargs={"slug": support_type.slug})
