"""Several server processes on one database see every public write on their next request.

What is proven, once with the default cache (each server its own local memory) and once with
a shared Redis (``REDIS_URL=redis://127.0.0.1:6379/9``, or the database of this pytest-xdist
worker: ``tests/workers.py``):

1. two ``manage.py runserver`` processes serve one throw-away database (a SQLite file, or a
   PostgreSQL database of its own when the suite runs on PostgreSQL) and have the home
   figures, the directory, the GeoJSON and a territory page in their cache;
2. a third process (``manage.py shell``) publishes a draft, unpublishes a published PTCE and
   deletes another, the way the admin does (``save()``, ``delete()``);
3. right after each write, with no pause, both servers answer with the new state on all four
   URLs: the names listed and the figures cached under the public-data version
   (``core.cache``): the home count, the GeoJSON features, the sub-territory count.

The servers run the e2e settings (``DEBUG`` off). Both are given the same ``RELEASE``, so that
with Redis they share their cache entries: a server may read what the other cached. The test
never touches pytest-django's test database. Without Redis at 127.0.0.1:6379 the ``redis``
variant fails (it is not skipped); only that Redis database is flushed, before and after.
"""

import contextlib
import html
import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection
from psycopg import sql

from .workers import REDIS_TEST_URL

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SETTINGS_MODULE = "ptce_portal.settings.e2e"
REDIS_URL = REDIS_TEST_URL
SERVER_START_TIMEOUT = 60
COMMAND_TIMEOUT = 180
REQUEST_TIMEOUT = 15
# Not handed down to the subprocesses: they get their own.
STRIPPED_ENV = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DEBUG"}
# No proxy: the servers are local, whatever the environment says.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# --- the data ---------------------------------------------------------------------------------
ALPHA, BETA, GAMMA = "Pôle Alpha", "Pôle Beta", "Pôle Gamma"

# Territories by hand (the full import takes too long), then the three PTCEs from scratch, so
# that each variant starts from the same state.
SEED = textwrap.dedent(
    """
    from collectivites.models import Territory, TerritoryAncestry, TerritoryKind
    from directory.models import Ptce, PtceStatus

    def territory(kind, code, **fields):
        return Territory.objects.get_or_create(kind=kind, code=code, defaults=fields)[0]

    region = territory(
        TerritoryKind.REGION, "84", name="Auvergne-Rhône-Alpes", slug="auvergne-rhone-alpes",
        tncc=1,
    )
    allier = territory(TerritoryKind.DEPARTEMENT, "03", name="Allier", slug="allier", tncc=5)
    cusset = territory(
        TerritoryKind.COMMUNE, "03095", name="Cusset", slug="cusset", tncc=0,
        latitude=46.13, longitude=3.46,
    )
    for inner, outer in ((cusset, allier), (cusset, region), (allier, region)):
        TerritoryAncestry.objects.get_or_create(territory=inner, ancestor=outer)

    Ptce.objects.all().delete()
    for name, slug, status in (
        ("Pôle Alpha", "pole-alpha", PtceStatus.PUBLISHED),
        ("Pôle Beta", "pole-beta", PtceStatus.PUBLISHED),
        ("Pôle Gamma", "pole-gamma", PtceStatus.DRAFT),
    ):
        Ptce.objects.create(
            name=name, slug=slug, seat_commune=cusset, departement=allier, status=status
        )
    """
)

# What the third process does, as the admin would.
PUBLISH_GAMMA = """
from directory.models import Ptce, PtceStatus
ptce = Ptce.objects.get(slug="pole-gamma")
ptce.status = PtceStatus.PUBLISHED
ptce.save()
"""
UNPUBLISH_ALPHA = """
from directory.models import Ptce, PtceStatus
ptce = Ptce.objects.get(slug="pole-alpha")
ptce.status = PtceStatus.DRAFT
ptce.save()
"""
DELETE_BETA = """
from directory.models import Ptce
Ptce.objects.get(slug="pole-beta").delete()
"""
# Printed after each write, for the failure messages.
SHOW_VERSION = """
from core.cache import current_version
print("public-data version:", current_version().token)
"""


# --- reading the pages ------------------------------------------------------------------------
@dataclass(frozen=True)
class Seen:
    """What a page shows: the PTCE names it lists (``None``: not checked on this page) and its
    figure (``None``: not found)."""

    names: frozenset[str] | None
    count: int | None


@dataclass(frozen=True)
class Page:
    path: str
    figure: str  # what ``Seen.count`` is, for the messages
    read: Callable[[str], Seen]


CARD_NAMES = re.compile(r'class="card__title"><a href="/ptce/[^"]*">([^<]*)</a>')
HOME_COUNT = re.compile(r"<dt>PTCE publiés</dt>\s*<dd>([^<]*)</dd>")
RESULT_COUNT = re.compile(r'id="result-count"[^>]*>([^<]*)<')
CUSSET_COUNT = re.compile(
    r'href="/territoires/commune/03095/">[^<]*</a>\s*'
    r'<span class="sub-territories__count">([^<]*)</span>'
)


def _number(match):
    """The integer in a matched text (``"2 PTCE"`` → 2), ``None`` without one."""
    digits = re.sub(r"\D", "", html.unescape(match.group(1))) if match else ""
    return int(digits) if digits else None


def _card_names(body):
    return frozenset(html.unescape(name) for name in CARD_NAMES.findall(body))


def read_home(body):
    return Seen(names=None, count=_number(HOME_COUNT.search(body)))


def read_directory(body):
    return Seen(names=_card_names(body), count=_number(RESULT_COUNT.search(body)))


def read_geojson(body):
    features = json.loads(body)["features"]
    return Seen(
        names=frozenset(feature["properties"]["name"] for feature in features),
        count=len(features),
    )


def read_territory(body):
    return Seen(names=_card_names(body), count=_number(CUSSET_COUNT.search(body)))


PAGES = (
    Page("/", "'PTCE publiés'", read_home),
    Page("/ptce/", "result count", read_directory),
    Page("/api/v1/ptce.geojson", "number of features", read_geojson),
    Page("/territoires/departement/03/", "PTCE count of Cusset (sub-territories)", read_territory),
)


def fetch(url, timeout=REQUEST_TIMEOUT):
    """``(status, body)``; ``(None, error)`` when nothing answers."""
    try:
        with OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(errors="replace")
    except OSError as error:
        return None, str(error)


# --- processes --------------------------------------------------------------------------------
def manage(env, *args):
    """Runs ``manage.py *args``; its output, or a failed test with it."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def write_as_third_process(env, code):
    """Runs ``code`` in a ``manage.py shell`` of its own; the version it leaves, as printed."""
    return manage(env, "shell", "--verbosity", "0", "-c", code + SHOW_VERSION).strip()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def output(self):
        return self.log.read_text(errors="replace")[-4000:]


@contextlib.contextmanager
def running_servers(env, folder, count=2):
    """``count`` ``runserver`` processes on free ports, answering ``/healthz``; stopped on
    exit."""
    servers = []
    try:
        for letter in "AB"[:count]:
            port = free_port()
            log = folder / f"server-{letter}.log"
            with log.open("w") as out:
                process = subprocess.Popen(
                    [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            servers.append(Server(f"server {letter}", f"http://127.0.0.1:{port}", process, log))
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        waiting = list(servers)
        while waiting:
            waiting = [s for s in waiting if fetch(f"{s.url}/healthz", timeout=2)[0] != 200]
            exited = [s for s in waiting if s.process.poll() is not None]
            if exited or (waiting and time.monotonic() > deadline):
                logs = "\n".join(f"--- {s.name} ({s.url}):\n{s.output()}" for s in servers)
                pytest.fail(
                    f"{', '.join(s.name for s in exited or waiting)} did not answer /healthz "
                    f"within {SERVER_START_TIMEOUT} s:\n{logs}",
                    pytrace=False,
                )
            if waiting:
                time.sleep(0.1)
        yield servers
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


@contextlib.contextmanager
def redis_test_database():
    """A client of the test Redis database (9, or this worker's), flushed before and after;
    a failed test when Redis does not answer (never a skip: the variant would then prove
    nothing)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        problem = None
        try:
            client.ping()
        except redis.RedisError as error:
            problem = f"{type(error).__name__}: {error}"
        if problem:
            pytest.fail(
                f"Redis does not answer at {REDIS_URL} ({problem}). The 'redis' variant needs "
                "it: start redis-server there.",
                pytrace=False,
            )
        client.flushdb()
        yield client
        client.flushdb()
    finally:
        client.close()


# --- the throw-away database ------------------------------------------------------------------
def _postgres_params():
    db = settings.DATABASES["default"]
    params = {
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    return {key: str(value) for key, value in params.items() if value}


def _postgres_admin_connection():
    """An autocommit connection of the suite's role to a database that exists."""
    params = _postgres_params()
    errors = []
    for dbname in dict.fromkeys(["postgres", settings.DATABASES["default"]["NAME"]]):
        try:
            return psycopg.connect(dbname=dbname, autocommit=True, **params)
        except psycopg.OperationalError as error:
            errors.append(f"{dbname}: {error}")
    pytest.fail("Cannot connect to PostgreSQL:\n" + "\n".join(errors), pytrace=False)


def _drop_postgres_database(admin, name):
    identifier = sql.Identifier(name)
    if admin.info.server_version >= 130000:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        return
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        [name],
    )
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(identifier))


@contextlib.contextmanager
def postgres_database():
    """``ptce_multiproc_<pid>``, created by the suite's role (CREATEDB) and dropped after."""
    name = f"ptce_multiproc_{os.getpid()}"
    params = _postgres_params()
    with _postgres_admin_connection() as admin:
        _drop_postgres_database(admin, name)  # left over by an interrupted run
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    auth = quote(params.get("user", ""), safe="")
    if params.get("password"):
        auth += ":" + quote(params["password"], safe="")
    where = params.get("host", "") + (f":{params['port']}" if params.get("port") else "")
    try:
        yield f"postgres://{auth}@{where}/{name}"
    finally:
        with _postgres_admin_connection() as admin:
            _drop_postgres_database(admin, name)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A database of this module only, on the suite's engine (never pytest-django's)."""
    if connection.vendor == "postgresql":
        with postgres_database() as url:
            yield url
    else:
        path = tmp_path_factory.mktemp("multiproc") / "portal.sqlite3"
        yield f"sqlite:///{path}"


@pytest.fixture(scope="module")
def migrated_env(database_url):
    """The subprocesses' environment, on the migrated throw-away database."""
    env = {key: value for key, value in os.environ.items() if key not in STRIPPED_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    manage(env, "migrate", "--noinput")
    return env


# --- the checks -------------------------------------------------------------------------------
def check_servers(servers, published, step):
    """Each server, on each page, lists exactly ``published`` and counts as many."""
    expected = frozenset(published)
    problems = []
    for server in servers:
        for page in PAGES:
            where = f"{server.name} ({server.url}) {page.path}"
            status, body = fetch(server.url + page.path)
            if status != 200:
                problems.append(f"{where}: HTTP {status}\n{body[:500]}\n{server.output()}")
                continue
            seen = page.read(body)
            if seen.names is not None and seen.names != expected:
                problems.append(
                    f"{where}: lists {sorted(seen.names)}, expected {sorted(expected)}"
                    f" (missing {sorted(expected - seen.names)},"
                    f" extra {sorted(seen.names - expected)})"
                )
            if seen.count != len(expected):
                shown = "not found" if seen.count is None else seen.count
                problems.append(f"{where}: {page.figure} is {shown}, expected {len(expected)}")
    if problems:
        pytest.fail(
            f"{step}: {len(problems)} wrong answer(s):\n" + "\n".join(problems), pytrace=False
        )


def warm(servers):
    """Every checked page requested twice on each server: their caches hold them."""
    for server in servers:
        for page in PAGES:
            for _ in range(2):
                status, body = fetch(server.url + page.path)
                if status != 200:
                    pytest.fail(
                        f"{server.name} {page.path}: HTTP {status}\n{body[:500]}\n"
                        f"{server.output()}",
                        pytrace=False,
                    )


@pytest.mark.parametrize("cache_variant", ["locmem", "redis"])
def test_writes_of_a_third_process_show_on_the_next_request_of_both_servers(
    cache_variant, migrated_env, tmp_path
):
    release = f"multiproc-{uuid.uuid4().hex[:12]}"
    env = {**migrated_env, "RELEASE": release}
    with contextlib.ExitStack() as stack:
        redis_client = None
        if cache_variant == "redis":
            redis_client = stack.enter_context(redis_test_database())
            env["REDIS_URL"] = REDIS_URL
        manage(env, "shell", "--verbosity", "0", "-c", SEED)
        servers = stack.enter_context(running_servers(env, tmp_path))

        warm(servers)
        check_servers(servers, {ALPHA, BETA}, "Before any write (caches warm)")
        if redis_client is not None:
            stored = list(redis_client.scan_iter(match=f"*portal:{release}:*", count=1000))
            assert stored, (
                f"The servers stored nothing in {REDIS_URL} under release {release}: "
                "REDIS_URL does not reach their cache."
            )

        version = write_as_third_process(env, PUBLISH_GAMMA)
        check_servers(servers, {ALPHA, BETA, GAMMA}, f"After publishing {GAMMA} ({version})")

        version = write_as_third_process(env, UNPUBLISH_ALPHA)
        check_servers(servers, {BETA, GAMMA}, f"After unpublishing {ALPHA} ({version})")

        version = write_as_third_process(env, DELETE_BETA)
        check_servers(servers, {GAMMA}, f"After deleting {BETA} ({version})")
