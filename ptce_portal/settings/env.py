"""Reading configuration from the environment, with clear errors."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on", "oui"}
FALSE_VALUES = {"0", "false", "no", "off", "non", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of true/false, 1/0, yes/no.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected at least {minimum}.")
    return value


def is_web_process() -> bool:
    """Whether this process serves web requests (set by ``ptce_portal/wsgi.py``): only they
    get a statement timeout, not migrations, imports or shells."""
    return os.environ.get("PORTAL_PROCESS") == "web"


def database_from_env(base_dir: Path) -> dict:
    """``DATABASE_URL`` (``sqlite:////abs/path``, ``postgres://…``) or a SQLite file in the
    project folder when it is unset. Connections persist ``CONN_MAX_AGE`` seconds (default
    60, checked before reuse); PostgreSQL connects within ``DB_CONNECT_TIMEOUT`` seconds (3)
    and, in web processes, a statement stops after ``DB_STATEMENT_TIMEOUT_MS`` (5,000)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{base_dir / 'db.sqlite3'}"
    try:
        config = dj_database_url.parse(
            url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not understood: {error}") from error
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})
        # WAL and a busy timeout let the dev server and a management command share the file.
        config["OPTIONS"].update(
            {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
        )
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs ~90 ms on the directory's queries for nothing: they are short
        # (measured with scripts/bench/directory.py, see docs/performance.md).
        options = ["-c jit=off"]
        if is_web_process():
            options.append(f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 5000)}")
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("options", " ".join(options))
        config["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 3, 1))
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL uses {config['ENGINE']}: only SQLite and PostgreSQL are supported."
        )
    return config


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def cache_from_env() -> dict:
    """``CACHES``: Redis through ``FailSafeRedisCache`` when ``REDIS_URL`` is set
    (``redis://127.0.0.1:6379/0``, ``rediss://…``, ``unix:///path/redis.sock``), otherwise a
    per-process local memory cache."""
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "portail-ptce",
                "TIMEOUT": 3600,
                "OPTIONS": {"MAX_ENTRIES": 5000},
            }
        }
    if not url.lower().startswith(REDIS_SCHEMES):
        raise ImproperlyConfigured(
            f"REDIS_URL={url!r}: expected a redis://, rediss:// or unix:// URL "
            "(e.g. redis://127.0.0.1:6379/0), or leave it empty for the local memory cache."
        )
    return {
        "default": {
            "BACKEND": "core.cache_backends.FailSafeRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ptce",
            "TIMEOUT": 3600,
        }
    }
