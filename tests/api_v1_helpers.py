"""Helpers for the tests of the API v1 (``/api/v1/…``): a small directory of PTCEs and
reading JSON answers."""

import pytest
from django.core.cache import cache

from directory.models import NationalCallAward, Support

from .directory_helpers import make_ptce
from .factories import (
    ExperienceFactory,
    MemberFactory,
    PtceFactory,
    commune,
    region,
    support_type,
)
from .shared_data import rolled_back

PTCE_LIST = "/api/v1/ptce/"


def ptce_url(slug):
    return f"/api/v1/ptce/{slug}/"


def get_json(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def names(payload):
    return [item["name"] for item in payload["results"]]


def error_of(client, url, status=400):
    """The JSON error of ``url``: ``(message, parameter)``."""
    body = get_json(client, url, status)
    assert set(body) <= {"error", "parameter"}, body
    assert body["error"]
    return body["error"], body.get("parameter")


def build_directory():
    """Cusset (03, culture, investissement), Vichy (03, habitat), Grenoble (38, culture +
    économie circulaire, charter signed), Lille (59), a draft in Moulins and a PTCE in review
    in Cusset."""
    cache.clear()
    ptces = {
        "cusset": make_ptce(
            "Atelier de Cusset",
            commune="03095",
            themes=["culture"],
            supports=["investissement"],
            members=["Recyclerie bourbonnaise"],
            stage_slug="emergence",
        ),
        "vichy": make_ptce("Habitat vichyssois", commune="03310", themes=["habitat"]),
        "grenoble": make_ptce(
            "Fabrique grenobloise",
            commune="38185",
            themes=["economie-circulaire", "culture"],
            charter_signed="oui",
        ),
        "lille": make_ptce("Pôle lillois", commune="59350", themes=["alimentation"]),
        "draft": make_ptce(
            "Brouillon moulinois", commune="03190", themes=["culture"], status="draft"
        ),
        "review": make_ptce(
            "Relecture cussétoise",
            commune="03095",
            themes=["culture"],
            supports=["investissement"],
            status="review",
        ),
    }
    cusset = ptces["cusset"]
    MemberFactory(
        ptce=cusset, name="Mairie de Cusset", category="collectivite", territory=commune("03095")
    )
    NationalCallAward.objects.create(ptce=cusset, name="AMI PTCE émergents", year=2021)
    Support.objects.create(
        ptce=cusset,
        collectivite=region("84"),
        support_type=support_type("conseil-ingenierie"),
        status="published",
    )
    ExperienceFactory(
        title="Un atelier soutenu",
        ptce=cusset,
        slug="atelier-soutenu",
        support_types=["investissement"],
    )
    ExperienceFactory(title="Un brouillon soutenu", ptce=ptces["draft"], slug="brouillon-soutenu")
    return ptces


@pytest.fixture
def directory(db):
    """The directory of ``build_directory``, made for this test."""
    return build_directory()


@pytest.fixture(scope="class")
def class_directory(django_db_setup, django_db_blocker):
    """The directory of ``build_directory``, made once for the tests of a class
    (``tests/shared_data.py``)."""
    with rolled_back(django_db_blocker):
        yield build_directory()


__all__ = ["PtceFactory", "class_directory", "directory"]
