"""Honest labels: a scheme is « En cours » only where the data says so (its source declares it
open-ended, or its years cover this year), « Terminé » only when its end year is past, and
nothing at all otherwise, on every page that shows schemes."""

import re
from html import unescape

import pytest
from django.utils import timezone

from collectivites.models import Scheme

from .factories import SchemeFactory, departement

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def card_line(html, name):
    """The « owner · status · years » line under the scheme's title."""
    start = html.index(name)
    return re.search(r'<p class="card__place">(.*?)</p>', html[start:], re.S).group(1)


def pages(client, scheme):
    return {
        "list": unescape(client.get("/dispositifs/").content.decode()),
        "detail": unescape(client.get(scheme.get_absolute_url()).content.decode()),
        "territory": unescape(client.get("/territoires/departement/03/").content.decode()),
    }


@pytest.mark.parametrize(
    ("years", "ongoing", "expected"),
    [
        ({}, False, ""),  # nothing known: nothing said
        ({"start_year": 2019}, False, ""),  # a start, no end: still nothing
        ({"start_year": THIS_YEAR + 1}, True, ""),  # not started
        ({}, True, "En cours"),  # the source says it is permanent
        ({"start_year": 2020, "end_year": THIS_YEAR + 2}, False, "En cours"),
        ({"start_year": THIS_YEAR}, False, "En cours"),  # it opened this year
        ({"start_year": 2015, "end_year": 2019}, False, "Terminé"),
        ({"end_year": THIS_YEAR - 1}, True, "Terminé"),  # an end year beats the flag
    ],
)
def test_a_scheme_says_what_its_data_says(client, years, ongoing, expected):
    scheme = SchemeFactory(name="Appel témoin", owner=departement("03"), ongoing=ongoing, **years)

    shown = pages(client, scheme)

    assert scheme.status_label == expected
    for where in ("list", "territory"):
        line = card_line(shown[where], "Appel témoin")
        assert ("En cours" in line) == (expected == "En cours"), where
        assert ("Terminé" in line) == (expected == "Terminé"), where
    period = re.search(r"<dt>Période</dt><dd>(.*?)</dd>", shown["detail"], re.S).group(1)
    assert ("en cours" in period) == (expected == "En cours")
    assert ("terminé" in period) == (expected == "Terminé")
    running = Scheme.objects.running().filter(pk=scheme.pk).exists()
    assert running == (expected == "En cours")


def test_the_open_filter_keeps_what_the_data_says(client):
    SchemeFactory(name="Permanent", ongoing=True)
    SchemeFactory(name="Sans date")
    SchemeFactory(name="Clos", start_year=2014, end_year=2016)

    def listed(query):
        html = unescape(client.get(f"/dispositifs/?{query}").content.decode())
        return set(re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html))

    assert listed("open=oui") == {"Permanent"}
    assert listed("open=non") == {"Clos"}
    assert listed("") == {"Permanent", "Sans date", "Clos"}
