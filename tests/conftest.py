"""Shared test set-up: the official territories are loaded once per session into the test
database; every test then runs inside its own rolled-back transaction and can rely on real
communes, EPCI, départements and régions."""

import importlib.util

import pytest
from django.conf import settings
from django.core.cache import cache

from collectivites.models import TerritoryKind
from collectivites.services.territory_import import import_territories
from core.response_cache import local_copies

from . import factories
from .api_v1_helpers import class_directory  # noqa: F401 (the fixture, for every module)

# The browser tests import Playwright, which only the ``e2e`` extra installs (``make test-e2e``
# does). ``make test`` deselects them by marker, but pytest would still import their modules:
# without Playwright, leave the folder out instead of failing the collection.
if importlib.util.find_spec("playwright") is None:
    collect_ignore = ["e2e"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        import_territories(settings.TERRITORY_FIXTURES_DIR)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: keys hold the public-data version, but a test
    that writes nothing would meet the pages and counters of the previous test."""
    cache.clear()
    local_copies.clear()
    yield


@pytest.fixture
def territory(db):
    """``territory("commune", "03095")`` → the real Cusset (``factories.territory``)."""
    return factories.territory


@pytest.fixture
def cusset(territory):
    return territory(TerritoryKind.COMMUNE, "03095")


@pytest.fixture
def vichy(territory):
    return territory(TerritoryKind.COMMUNE, "03310")


@pytest.fixture
def vichy_communaute(territory):
    return territory(TerritoryKind.EPCI, "200071363")


@pytest.fixture
def allier(territory):
    return territory(TerritoryKind.DEPARTEMENT, "03")


@pytest.fixture
def oise(territory):
    return territory(TerritoryKind.DEPARTEMENT, "60")


@pytest.fixture
def auvergne_rhone_alpes(territory):
    return territory(TerritoryKind.REGION, "84")
