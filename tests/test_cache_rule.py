"""The one cache rule (core.cache): the public-data version lives in the database, moves
after commit with every write the public can see and only then; cached values are keyed by
it and by the release; invalid parameters make no new cache entries."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from core import cache as portal_cache
from core.models import PublicDataVersion
from directory.models import PtceStatus, Support

from .factories import PtceFactory, SchemeFactory, support_type


def version():
    return PublicDataVersion.objects.get().value


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_publishing_unpublishing_and_deleting_move_the_version():
    ptce = PtceFactory(status=PtceStatus.DRAFT)
    before = version()
    ptce.status = PtceStatus.PUBLISHED
    ptce.save()
    published = version()
    ptce.status = PtceStatus.ARCHIVED
    ptce.save()
    unpublished = version()
    ptce.status = PtceStatus.PUBLISHED
    ptce.save()
    republished = version()
    ptce.delete()

    assert before < published < unpublished < republished < version()


@pytest.mark.django_db
def test_edits_of_drafts_move_nothing():
    ptce = PtceFactory(status=PtceStatus.DRAFT, themes=["culture"])
    before = version()
    ptce.summary = "Autre résumé"
    ptce.save()
    ptce.themes.add(*ptce.themes.model.objects.filter(slug="habitat"))
    ptce.members.create(name="Une structure", category="ess")
    ptce.delete()

    assert version() == before


@pytest.mark.django_db
def test_supports_and_schemes_move_the_version_wherever_they_are_written():
    ptce = PtceFactory()
    before = version()
    Support.objects.create(
        status="published",
        ptce=ptce,
        collectivite=ptce.departement,
        support_type=support_type("investissement"),
    )
    with_support = version()
    SchemeFactory()

    assert before < with_support < version()


@pytest.mark.django_db
def test_a_support_written_outside_any_page_updates_the_facet_counts(client):
    ptce = PtceFactory(name="Pôle soutenu")
    assert 'id="id_support_investissement"' in client.get("/ptce/").content.decode()
    Support.objects.create(
        status="published",
        ptce=ptce,
        collectivite=ptce.departement,
        support_type=support_type("investissement"),
    )
    html = client.get("/ptce/?support=investissement").content.decode()

    assert "Pôle soutenu" in html
    assert "1 PTCE" in html


@pytest.fixture
def outside_a_test_case(monkeypatch):
    """The test's transaction behaves as a real one: a commit is still to come (pytest-django's
    ``transactional_db`` would flush the official territories loaded for the session)."""
    monkeypatch.setattr(connection.atomic_blocks[0], "_from_testcase", False)


@pytest.mark.django_db
def test_the_version_moves_when_the_transaction_commits_and_once(
    outside_a_test_case, django_capture_on_commit_callbacks
):
    ptce = PtceFactory(status=PtceStatus.DRAFT)
    before = version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ptce.status = PtceStatus.PUBLISHED
        ptce.save()
        ptce.name = "Nouveau nom"
        ptce.save()
        assert version() == before  # not yet: other processes could not see the data

    assert len(callbacks) == 1
    assert version() == before + 1


@pytest.mark.django_db
def test_a_rolled_back_write_moves_nothing(outside_a_test_case, django_capture_on_commit_callbacks):
    ptce = PtceFactory(status=PtceStatus.PUBLISHED)
    before = version()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ptce.name = "Jamais écrit"
        ptce.save()
        raise RuntimeError("rollback")

    assert callbacks == []
    assert version() == before


def cache_size():
    return len(cache._cache)  # LocMemCache, the test settings' cache


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("valid", "invalid"),
    [
        ("/ptce/?theme=culture", "/ptce/?theme=culture&theme=nimporte&foo=1&charter=peut-etre"),
        ("/ptce/?theme=culture", "/ptce/?theme=culture&page=abc&sort=hasard&bbox=1,2"),
        ("/api/v1/ptce.geojson?theme=culture", "/api/v1/ptce.geojson?theme=culture&theme=x"),
        ("/api/v1/coverage.json", "/api/v1/coverage.json?stage=inconnu&region=99"),
        ("/territoires/departement/03/", "/territoires/departement/03/?theme=zzz&epci=1"),
    ],
)
def test_invalid_parameter_values_make_no_new_cache_entries(client, valid, invalid):
    PtceFactory(commune_code="03095", themes=["culture"])
    assert client.get(valid).status_code == 200
    size = cache_size()
    response = client.get(invalid)

    assert response.status_code == 200
    assert cache_size() == size


@pytest.mark.django_db
def test_an_invalid_value_is_named_in_the_geojson_served_from_the_valid_entry(client):
    PtceFactory(name="Pôle de Cusset", commune_code="03095", themes=["culture"])
    clean = client.get("/api/v1/ptce.geojson?theme=culture").json()
    noisy = client.get("/api/v1/ptce.geojson?theme=culture&theme=bidon").json()

    assert noisy["features"] == clean["features"]
    assert clean["ignored"] == []
    assert noisy["ignored"] == [
        {"parameter": "theme", "value": "bidon", "reason": "valeur inconnue"}
    ]


@pytest.mark.django_db
def test_keys_hold_the_release_and_the_version():
    first = portal_cache.key("essai", "a")
    PtceFactory()
    moved = portal_cache.key("essai", "a")
    portal_cache.release.cache_clear()
    try:
        with override_settings(RELEASE="2027.1"):
            deployed = portal_cache.key("essai", "a")
    finally:
        portal_cache.release.cache_clear()

    assert first != moved
    assert deployed.startswith("portal:2027.1:") and deployed != moved


def test_without_a_configured_release_the_code_itself_is_the_release():
    portal_cache.release.cache_clear()
    digest = portal_cache.release()

    assert len(digest) == 12 and digest == portal_cache.release()


@pytest.mark.django_db
def test_migrate_refuses_a_database_of_an_earlier_version_and_says_what_to_do():
    MigrationRecorder.Migration.objects.create(app="collectivites", name="0002_supports")

    with pytest.raises(CommandError) as error:
        call_command("migrate", verbosity=0)

    assert "version antérieure" in str(error.value)
    assert "make clean" in str(error.value)
    assert "collectivites.0002_supports" in str(error.value)


@pytest.mark.django_db
def test_migrate_accepts_a_current_database():
    call_command("migrate", verbosity=0)  # nothing to do, no error
