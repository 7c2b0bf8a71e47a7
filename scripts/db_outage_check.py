"""The portal, served as in production, answers 503 quickly when its database goes away,
shows nothing internal, and recovers by itself.

Run from the project root: ``.venv/bin/python scripts/db_outage_check.py`` (exit 0: all is
well; 1: a check failed, with the table, the wrong answers and the server's log; 2: the
set-up failed). CI runs it (``.ci/run``). What it does:

1. a PostgreSQL cluster of its own (``initdb`` as the ``postgres`` user when run as root),
   on 127.0.0.1:5497, its socket and files in a temporary folder, removed at the end;
2. ``migrate`` into a database ``portail`` with the production settings, a few rows (a
   région, a département, a commune, one published PTCE), ``collectstatic`` (the manifest
   the production storage needs; ``STATIC_ROOT`` as configured);
3. gunicorn as ``make serve`` runs it (2 workers, a free port, the cache in Redis database 8
   of 127.0.0.1:6379, flushed before and after), every request sent with
   ``X-Forwarded-Proto: https`` as nginx would;
4. healthy: every URL answers 200 (twice: the page cache holds the pages);
5. stopped (``pg_ctl stop -m immediate``): every URL answers 503 within 5 s, without
   internals; HTML pages show the portal's 503 page, JSON endpoints JSON; ``Retry-After``;
6. restarted: every URL answers 200 again within 15 s, gunicorn untouched;
7. frozen (``SIGSTOP`` to the postmaster and its children): as 5, in two rounds (the first
   meets connections kept open, the next new connections);
8. thawed (``SIGCONT``): as 6.

Loopback only; every wait is bounded; the cluster and gunicorn are stopped on every exit
(Ctrl-C and SIGTERM included), never leaving a stopped process behind.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from outage_cluster import (
    COMMAND_TIMEOUT,
    PG_PORT,
    Cluster,
    Interrupted,
    SetupError,
    free_port,
    run,
    tail,
)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/portail"
ADMIN_DSN = f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"
REDIS_URL = "redis://127.0.0.1:6379/8"
WORKERS = 2
GUNICORN_ARGS = ("-c", "ptce_portal/gunicorn.conf.py", "ptce_portal.wsgi:application")

OUTAGE_LIMIT = 5.0  # seconds for a 503
CLIENT_TIMEOUT = 10.0
RECOVERY_LIMIT = 15.0  # seconds for every URL to answer 200 again
READY_LIMIT = 60.0
POLL = 0.3
FROZEN_ROUNDS = 2

PTCE_SLUG = "pole-panne"
URLS = (
    "/readyz",
    "/",
    "/ptce/",
    f"/ptce/{PTCE_SLUG}/",
    "/api/v1/ptce.geojson",
    "/territoires/departement/03/",
)
JSON_URLS = {"/api/v1/ptce.geojson"}
PROBE_URL = "/readyz"  # JSON of its own: {"status": "unavailable", "checks": {...}}
OUTAGE_PAGE = "Service momentanément indisponible"
# Nothing of this may show in an answer (case-insensitive), nor the secret key or temp folder.
INTERNALS = (
    "Traceback",
    "OperationalError",
    "InterfaceError",
    "DeadlineExceeded",
    "psycopg",
    "connection",
    "postgres",
    "/work/",
    str(ROOT),
    "DATABASE_URL",
    "DATABASES",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "ptce_portal.settings",
    "REQUEST_DEADLINE",
    "DB_CONNECT_TIMEOUT",
    "STATEMENT_TIMEOUT",
    "CONN_MAX_AGE",
    "REDIS_URL",
)
PORT_PATTERN = re.compile(rf"\b{PG_PORT}\b")  # not inside a static file's hash

# The subprocesses get these from the script only (and nothing that would change the
# database client, gunicorn or the production settings under test).
STRIPPED = {
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "RELEASE",
    "PORTAL_PROCESS",
    "HOST",
    "PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_CMD_ARGS",
    "FORWARDED_ALLOW_IPS",
    "CONN_MAX_AGE",
    "SECURE_SSL_REDIRECT",
    "READY_REQUIRES_CACHE",
}
STRIPPED_PREFIXES = ("PG", "DB_", "REQUEST_DEADLINE")

SEED = f"""
from collectivites.models import Territory, TerritoryAncestry, TerritoryKind as K
from directory.models import Ptce, PtceStatus
new = Territory.objects.create
region = new(kind=K.REGION, code="84", name="Auvergne-Rhône-Alpes", slug="aura", tncc=1)
allier = new(kind=K.DEPARTEMENT, code="03", name="Allier", slug="allier", tncc=5)
cusset = new(kind=K.COMMUNE, code="03095", name="Cusset", slug="cusset", tncc=0,
             latitude=46.13, longitude=3.46)
for inner, outer in ((cusset, allier), (cusset, region), (allier, region)):
    TerritoryAncestry.objects.create(territory=inner, ancestor=outer)
Ptce.objects.create(name="Pôle Panne", slug="{PTCE_SLUG}", seat_commune=cusset,
                    departement=allier, status=PtceStatus.PUBLISHED)
"""


class Gunicorn:
    def __init__(self, env, log):
        self.port = free_port()
        self.log = log
        env = {
            **env,
            "PORTAL_PROCESS": "web",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(WORKERS),
        }
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), *GUNICORN_ARGS],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self):
        deadline = time.monotonic() + READY_LIMIT
        answer = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SetupError(f"gunicorn exited ({self.process.returncode}):\n{tail(self.log)}")
            answer = fetch(self.port, PROBE_URL, timeout=5)
            if answer.status == 200:
                return
            time.sleep(POLL)
        raise SetupError(
            f"{PROBE_URL} did not answer 200 within {READY_LIMIT:g} s (last: {answer.status} "
            f"{excerpt(answer.body)}):\n{tail(self.log)}"
        )

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)  # its own group
                self.process.wait(timeout=10)


def flush_redis():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as error:
        raise SetupError(f"Redis does not answer at {REDIS_URL}: {error}") from None
    finally:
        client.close()


# --- requests -------------------------------------------------------------------------------
@dataclass
class Answer:
    phase: str
    path: str
    status: int | None
    seconds: float
    body: str
    headers: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    note: str = ""


def fetch(port, path, timeout=CLIENT_TIMEOUT, phase=""):
    """One GET as nginx would pass it on; ``status`` None when nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
        status, headers = response.status, {k.lower(): v for k, v in response.getheaders()}
    except (OSError, http.client.HTTPException) as error:
        status, headers, body = None, {}, f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    return Answer(phase, path, status, time.monotonic() - started, body, headers)


def excerpt(body, size=300):
    return " ".join(body.split())[:size]


def leaks(body, secrets_):
    lowered = body.lower()
    found = [word for word in (*INTERNALS, *secrets_) if word.lower() in lowered]
    if PORT_PATTERN.search(body):
        found.append(str(PG_PORT))
    return found


def check_outage(answer, secrets_):
    """The problems of an answer given while the database is away."""
    problems = answer.problems
    if answer.status != 503:
        problems.append(f"status {answer.status}, expected 503")
    if answer.seconds >= OUTAGE_LIMIT:
        problems.append(f"{answer.seconds:.1f} s, expected < {OUTAGE_LIMIT:g} s")
    found = leaks(answer.body, secrets_)
    if found:
        problems.append("shows internals: " + ", ".join(found))
    if answer.status != 503:
        return
    if not answer.headers.get("retry-after"):
        problems.append("no Retry-After")
    if answer.path in JSON_URLS or answer.path == PROBE_URL:
        try:
            data = json.loads(answer.body)
        except ValueError:
            problems.append("not JSON")
            return
        if answer.path == PROBE_URL:
            if not isinstance(data, dict) or data.get("status") != "unavailable":
                problems.append('JSON without "status": "unavailable"')
        elif not isinstance(data, dict) or not data.get("error"):
            problems.append('JSON without an "error" member')
    elif OUTAGE_PAGE not in answer.body:
        problems.append(f"not the portal's 503 page (no {OUTAGE_PAGE!r})")


def check_healthy(answer):
    if answer.status != 200:
        answer.problems.append(f"status {answer.status}, expected 200")
    if answer.headers.get("x-portal-cache"):  # the whole-page cache (core/response_cache.py)
        answer.note = f"page cache: {answer.headers['x-portal-cache']}"


def wait_all_ok(port, phase, since):
    """Every URL polled until it answers 200, within ``RECOVERY_LIMIT`` of ``since``; the
    first 200 of each (or its last answer, with a problem)."""
    deadline = since + RECOVERY_LIMIT
    pending = dict.fromkeys(URLS)
    while pending and time.monotonic() < deadline:
        for path in list(pending):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            answer = fetch(port, path, timeout=min(CLIENT_TIMEOUT, remaining), phase=phase)
            pending[path] = answer
            if answer.status == 200:
                answer.note = f"200 after {time.monotonic() - since:.1f} s"
                del pending[path]
                yield answer
        if pending:
            time.sleep(POLL)
    for path, answer in pending.items():
        answer = answer or Answer(phase, path, None, 0.0, "not requested: no time left")
        answer.problems.append(f"no 200 within {RECOVERY_LIMIT:g} s")
        yield answer


# --- the check ------------------------------------------------------------------------------
def environment(secret_key):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in STRIPPED and not key.startswith(STRIPPED_PREFIXES)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ptce_portal.settings.production",
        DATABASE_URL=DATABASE_URL,
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        REDIS_URL=REDIS_URL,
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args):
    return run([sys.executable, "manage.py", *args], env=env, what=f"manage.py {args[0]}")


def prepare(cluster, env):
    """The cluster, its migrated and seeded database, and the static files."""
    step("collectstatic (in the background), initdb")
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        cluster.init()
        cluster.start()
        step("create database, migrate, seed")
        with psycopg.connect(ADMIN_DSN, autocommit=True, connect_timeout=10) as admin:
            admin.execute("CREATE DATABASE portail")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "shell", "--verbosity", "0", "-c", SEED)
        output, _ = collect.communicate(timeout=COMMAND_TIMEOUT)
    finally:
        if collect.poll() is None:
            collect.kill()
            collect.wait()
    if collect.returncode != 0:
        raise SetupError(f"manage.py collectstatic failed ({collect.returncode}):\n{output}")


STARTED = time.monotonic()


def step(text):
    print(f"[{time.monotonic() - STARTED:5.1f} s] {text}", flush=True)


def outage_round(server, phase, answers, secrets_):
    for path in URLS:
        answer = fetch(server.port, path, phase=phase)
        check_outage(answer, secrets_)
        answers.append(answer)


def exercise(cluster, server, secrets_):
    """The phases; every answer, checked."""
    answers = []
    step("healthy")
    for path in URLS:
        for _ in range(2):  # the second one may come from the page cache
            answer = fetch(server.port, path, phase="healthy")
            check_healthy(answer)
            answers.append(answer)

    step("stopped: pg_ctl stop -m immediate")
    cluster.stop()
    for number in (1, 2):
        outage_round(server, f"stopped #{number}", answers, secrets_)

    step("restarted: pg_ctl start")
    cluster.start()
    answers += wait_all_ok(server.port, "restarted", time.monotonic())

    count = cluster.freeze()
    step(f"frozen: SIGSTOP to {count} processes of the cluster")
    for number in range(1, FROZEN_ROUNDS + 1):
        outage_round(server, f"frozen #{number}", answers, secrets_)

    step("thawed: SIGCONT")
    cluster.thaw()
    answers += wait_all_ok(server.port, "thawed", time.monotonic())
    return answers


# A worker killed or replaced (the deadline did not free it), or the master exiting.
SERVER_TROUBLE = re.compile(r"WORKER TIMEOUT|Worker \(pid:\d+\) (?:was sent|exited)|Shutting down")
BOOTED = re.compile(r"Booting worker")


def report(answers, server):
    """Prints the table and the problems; whether all is well."""
    width = max(len(a.path) for a in answers)
    print(f"\n{'phase':<11} {'URL':<{width}} {'status':>6} {'seconds':>8}  result")
    for a in answers:
        result = "; ".join(a.problems) if a.problems else f"ok {a.note}".strip()
        print(f"{a.phase:<11} {a.path:<{width}} {a.status!s:>6} {a.seconds:>8.2f}  {result}")
    failed = [a for a in answers if a.problems]
    log = server.log.read_text(errors="replace")
    trouble = [line for line in log.splitlines() if SERVER_TROUBLE.search(line)]
    boots = len(BOOTED.findall(log))
    if boots != WORKERS:
        trouble.append(f"{boots} workers booted, expected {WORKERS} (a worker was replaced)")
    restarted = server.process.poll() is not None
    for a in failed:
        print(f"\n--- {a.phase} {a.path}: {a.status}, {a.seconds:.2f} s: {'; '.join(a.problems)}")
        print(f"    headers: {a.headers}")
        print(f"    body: {excerpt(a.body, 600)}")
    if trouble:
        print("\n--- gunicorn reports trouble:\n" + "\n".join(trouble[:20]))
    if restarted:
        print(f"\n--- gunicorn exited ({server.process.returncode})")
    if failed or trouble or restarted:
        print(f"\n--- gunicorn log (end):\n{tail(server.log, 60)}")
        print(f"\nFAILED: {len(failed)} wrong answer(s) of {len(answers)}", end="")
        print(", gunicorn trouble" if trouble or restarted else "")
        return False
    slowest = max(a.seconds for a in answers if a.phase.startswith(("stopped", "frozen")))
    print(
        f"\nPASSED: {len(answers)} answers; every outage answer a 503 within "
        f"{OUTAGE_LIMIT:g} s (slowest {slowest:.2f} s), recovery without restart."
    )
    return True


def main():
    def on_sigterm(signum, frame):
        raise Interrupted

    signal.signal(signal.SIGTERM, on_sigterm)
    secret_key = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(50))
    env = environment(secret_key)
    folder = Path(tempfile.mkdtemp(prefix="ptce-db-outage-", dir="/tmp"))
    cluster, server = Cluster(folder), None
    secrets_ = (secret_key, str(folder))
    try:
        flush_redis()
        prepare(cluster, env)
        step("gunicorn: waiting for /readyz")
        server = Gunicorn(env, folder / "gunicorn.log")
        server.wait_ready()
        passed = report(exercise(cluster, server, secrets_), server)
        return 0 if passed else 1
    except SetupError as error:
        print(f"\nSET-UP FAILED: {error}", file=sys.stderr)
        if server is not None:
            print(f"\ngunicorn log (end):\n{tail(server.log)}", file=sys.stderr)
        return 2
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the clean-up runs to its end
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.thaw()  # never a stopped process left behind, whatever happened
        if server is not None:
            server.stop()
        cluster.shut_down()
        with contextlib.suppress(SetupError):
            flush_redis()
        shutil.rmtree(folder, ignore_errors=True)
        step("cleaned up")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, Interrupted) as stop:
        print("\nInterrupted (cleaned up).", file=sys.stderr)
        sys.exit(143 if isinstance(stop, Interrupted) else 130)
