"""Configuration read from the environment, and the production guard rails."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.utils import get_random_secret_key

from ptce_portal.settings.env import database_from_env, env_bool, env_list

PROBE = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ptce_portal.settings.production'; "
    "import django; django.setup(); from django.conf import settings; "
    "print('DEBUG', settings.DEBUG, 'SECURE', settings.SESSION_COOKIE_SECURE)"
)


def start_production(secret_key):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- production guard rails -------------------------------------------------------------------
@pytest.mark.parametrize(
    "secret_key",
    [
        None,
        "",
        "too-short-key",
        "dev-only-insecure-key-do-not-use-in-production",
        "a" * 60,
    ],
    ids=["unset", "empty", "short", "dev-key", "one-character"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    completed = start_production(secret_key)

    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr


def test_production_starts_with_a_random_key_and_secure_defaults():
    key = get_random_secret_key()
    assert len(key) == 50

    completed = start_production(key)

    assert completed.returncode == 0, completed.stderr
    assert "DEBUG False SECURE True" in completed.stdout


# --- DATABASE_URL ------------------------------------------------------------------------------
def test_without_database_url_a_sqlite_file_in_the_project_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    config = database_from_env(tmp_path)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]).parent == tmp_path


def test_an_empty_database_url_is_the_same_as_unset(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "   ")

    assert database_from_env(tmp_path)["ENGINE"] == "django.db.backends.sqlite3"


def test_a_sqlite_url_with_an_absolute_path(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.db")

    config = database_from_env(tmp_path)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/x.db"


def test_a_postgres_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:5432/db")

    config = database_from_env(tmp_path)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["HOST"], config["PORT"], config["NAME"]) == (
        "u",
        "h",
        5432,
        "db",
    )


@pytest.mark.parametrize("url", ["mysql://u:p@h:3306/db", "oracle://u:p@h/db"])
def test_other_databases_are_refused(monkeypatch, tmp_path, url):
    monkeypatch.setenv("DATABASE_URL", url)

    with pytest.raises(ImproperlyConfigured):
        database_from_env(tmp_path)


def test_a_url_that_is_not_a_database_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "ftp://example.org/db")

    with pytest.raises(ImproperlyConfigured):
        database_from_env(tmp_path)


# --- other variables ----------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "expected"), [("oui", True), ("0", False), (" TRUE ", True)])
def test_boolean_variables(monkeypatch, raw, expected):
    monkeypatch.setenv("PTCE_TEST_FLAG", raw)

    assert env_bool("PTCE_TEST_FLAG", not expected) is expected


def test_a_boolean_variable_with_a_typo_is_refused(monkeypatch):
    monkeypatch.setenv("PTCE_TEST_FLAG", "ture")

    with pytest.raises(ImproperlyConfigured, match="PTCE_TEST_FLAG"):
        env_bool("PTCE_TEST_FLAG", False)


def test_host_lists(monkeypatch):
    monkeypatch.setenv("PTCE_TEST_HOSTS", "ptce.example.org, www.ptce.example.org,")

    assert env_list("PTCE_TEST_HOSTS", []) == ["ptce.example.org", "www.ptce.example.org"]


# --- schema ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
