"""The one cache module: every value cached about public data goes through ``cached()``.

The rule
--------
- The **public-data version** is a row in the database (``core.models.PublicDataVersion``).
  Every write the public can see calls ``bump_public_version()``, which moves it once the
  transaction commits (``transaction.on_commit``): data and version become visible together,
  and a rolled-back write moves nothing. Drafts do not move it (the apps decide what is
  public, in their ``signals.py``; bulk writes call it themselves).
- Every cache key holds that version and the **release** (a digest of the code, templates and
  static files, or ``settings.RELEASE``): a process sees a change on its next request, and a
  deployment never serves fragments rendered by the previous templates. Old keys are never
  read again and expire.
- Reading the version costs one indexed query per request (remembered until the request
  ends, forgotten when this process moves it); outside requests it is read each time.
- Keys are built from cleaned values only (the callers pass what their FilterSet kept), so
  invalid parameters never make new keys.

The backend is Django's default cache (``settings.CACHES``: local memory, or Redis when
``REDIS_URL`` is set, through ``core.cache_backends.FailSafeRedisCache``).
"""

import functools
import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import SINGLE_ROW, PublicDataVersion

TIMEOUT = 3600
PREFIX = "portal"
_MISSING = object()
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_state = threading.local()
# What the release digest covers: code, templates and static files of the project.
RELEASE_SUFFIXES = {".py", ".html", ".js", ".css", ".json", ".txt", ".svg"}
RELEASE_SKIPPED = {".git", ".venv", "node_modules", "media", "staticfiles", "tests", "scripts"}


@dataclass(frozen=True)
class Version:
    value: int
    changed_at: datetime

    @property
    def timestamp(self):
        """Unix time of the last change (for ``Last-Modified``)."""
        return int(self.changed_at.timestamp())

    @property
    def token(self):
        """The version in cache keys: its number and the time it moved, so that a number
        met again (a database restored from a backup, a test's rolled-back transaction)
        never meets values cached for another state of the data."""
        return f"{self.value}.{self.changed_at.timestamp():.6f}"


def current_version():
    """The public-data version, read from the database once per request."""
    version = getattr(_state, "version", None)
    if version is not None:
        return version
    version = _read_version()
    if getattr(_state, "in_request", False):
        _state.version = version
    return version


def _read_version():
    """One indexed look-up, in plain SQL: it runs on every request (the ORM's query
    building cost more than the query)."""
    table = PublicDataVersion._meta.db_table
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value, changed_at FROM {table} WHERE id = %s", [SINGLE_ROW])
        row = cursor.fetchone()
    if row is None:
        return Version(0, _EPOCH)
    value, changed_at = row
    if isinstance(changed_at, str):  # SQLite without converters
        changed_at = datetime.fromisoformat(changed_at)
    if timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, UTC)
    return Version(value, changed_at)


def bump_public_version(using=DEFAULT_DB_ALIAS):
    """Move the version when the current transaction commits (at once in autocommit); once
    per transaction however many writes call it."""
    connection = connections[using]
    if _inside_real_transaction(connection):
        if any(callback is _move_version for _ids, callback, _robust in connection.run_on_commit):
            return
        transaction.on_commit(_move_version, using=using)
    else:
        _move_version()


def public_write(sender, raw=False, action=None, **kwargs):
    """A signal receiver for models whose every write the public sees (``post_save``,
    ``post_delete``, ``m2m_changed``): moves the version; fixtures (``raw``) and the ``pre_``
    actions of ``m2m_changed`` move nothing."""
    if raw or (action is not None and not action.startswith("post_")):
        return
    bump_public_version()


def connect_public_writes(models=(), through_models=()):
    """Connect ``public_write`` to the saves and deletions of ``models`` and to the changes
    of the many-to-many ``through_models``."""
    for model in models:
        label = model._meta.label
        post_save.connect(public_write, sender=model, dispatch_uid=f"public-save-{label}")
        post_delete.connect(public_write, sender=model, dispatch_uid=f"public-delete-{label}")
    for through in through_models:
        label = through._meta.label
        m2m_changed.connect(public_write, sender=through, dispatch_uid=f"public-m2m-{label}")


def _inside_real_transaction(connection):
    """Whether a commit is still to come. A test case's transaction around each test never
    commits: inside it the version moves at once (moving it too early or for nothing only
    costs a recomputation, never a stale answer)."""
    blocks = connection.atomic_blocks
    return bool(blocks) and not getattr(blocks[0], "_from_testcase", False)


def _move_version():
    now = timezone.now()
    moved = PublicDataVersion.objects.filter(pk=SINGLE_ROW).update(
        value=F("value") + 1, changed_at=now
    )
    if not moved:
        PublicDataVersion.objects.get_or_create(
            pk=SINGLE_ROW, defaults={"value": 1, "changed_at": now}
        )
    _state.version = None


@functools.cache
def release():
    """``settings.RELEASE`` when set (e.g. the deployed commit), else a digest of the
    project's code, templates and static files, computed once per process."""
    configured = getattr(settings, "RELEASE", "")
    if configured:
        return str(configured)
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted(_release_files(base)):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _release_files(base):
    for path in base.rglob("*"):
        parts = path.relative_to(base).parts
        if (parts and parts[0] in RELEASE_SKIPPED) or "__pycache__" in parts:
            continue
        if path.suffix in RELEASE_SUFFIXES and path.is_file():
            yield path


def key(name, *parts):
    """``portal:<release>:<version>:<name>[:<digest of parts>]``; ``parts`` must be cleaned
    values (never raw query strings)."""
    base = f"{PREFIX}:{release()}:{current_version().token}:{name}"
    if not parts:
        return base
    material = repr(parts).encode()
    return f"{base}:{hashlib.sha256(material).hexdigest()[:32]}"


def cached(name, compute, *parts, timeout=TIMEOUT):
    """``compute()``, cached under ``key(name, *parts)`` until public data change."""
    cache_key = key(name, *parts)
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(cache_key, value, timeout)
    return value


def _request_started(**kwargs):
    _state.in_request = True
    _state.version = None


def _request_finished(**kwargs):
    _state.in_request = False
    _state.version = None


request_started.connect(_request_started, dispatch_uid="core-cache-request-started")
request_finished.connect(_request_finished, dispatch_uid="core-cache-request-finished")
