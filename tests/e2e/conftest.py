"""Browser tests: one real portal per session, driven by Playwright and Debian's Chromium.

pytest-django's ``live_server`` flushes its database between tests, which would wipe the
36,000 official territories. Instead, once per session:

1. a throw-away SQLite database is built in a temp folder (``migrate``, ``bootstrap_portal``,
   a superuser), with the settings ``ptce_portal.settings.e2e``;
2. ``manage.py runserver --noreload`` serves it on a free port of 127.0.0.1 (threaded, static
   files through WhiteNoise's finders), and ``/healthz`` must answer 200 before any test runs;
3. the server is stopped at the end of the session (its log is printed if it fails to start).

``make test-e2e`` runs them in one process: on 2 cores, two pytest-xdist workers took as long
(Chromium and the server use the CPU). ``make test-e2e PYTEST_ARGS="-n 4"`` works on a bigger
machine: each worker is a session of its own (database, server, browser), and sends its
set-up durations and axe-core findings to the summary.

Every test's ``page`` lets through the requests to that server only: any other request is
aborted and recorded, and the test fails at teardown if there was one. A JavaScript error on
the page or an HTTP error answered by the server fails it too.

Tests talk to the server over HTTP only; they never touch the ORM.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "ptce_portal.settings.e2e"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUPERUSER = {"username": "e2e-admin", "email": "e2e-admin@example.org", "password": "e2e-Passw0rd!"}
SERVER_START_TIMEOUT = 60
# Requests the browser makes on its own, answered 404 by design (none since /favicon.ico is
# served).
IGNORED_HTTP_ERRORS: set[str] = set()

# Durations of the session set-up, shown at the end of the run.
_timings: dict[str, float] = {}


# With pytest-xdist, each worker has its own portal and sends these to the controller.
_worker_timings: dict[str, dict[str, float]] = {}


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker
        from e2e_helpers import AXE_MINOR_FINDINGS

        workeroutput["e2e_worker"] = session.config.workerinput["workerid"]
        workeroutput["e2e_timings"] = dict(_timings)
        workeroutput["e2e_axe_minor_findings"] = sorted(AXE_MINOR_FINDINGS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The xdist controller: what a worker that is done sent (``pytest_sessionfinish``)."""
    from e2e_helpers import AXE_MINOR_FINDINGS

    output = getattr(node, "workeroutput", {})
    if output.get("e2e_timings"):
        _worker_timings[output.get("e2e_worker", "?")] = output["e2e_timings"]
    AXE_MINOR_FINDINGS.update(output.get("e2e_axe_minor_findings", ()))


def pytest_terminal_summary(terminalreporter):
    for worker, timings in {"": _timings, **_worker_timings}.items():
        if timings:
            parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
            terminalreporter.write_line(f"e2e set-up{f' ({worker})' if worker else ''}: {parts}")
    from e2e_helpers import AXE_MINOR_FINDINGS

    if AXE_MINOR_FINDINGS:
        terminalreporter.section("axe-core: moderate and minor findings (not failures)")
        for line in sorted(AXE_MINOR_FINDINGS):
            terminalreporter.write_line(line)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    _timings[args[0]] = time.monotonic() - started
    if result.returncode != 0:
        pytest.exit(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            returncode=1,
        )


def _get_status(url: str) -> int | None:
    # No proxy: the server is local, whatever the environment says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory) -> dict:
    """Environment of the manage.py commands and of the server: e2e settings, temp SQLite."""
    folder = tmp_path_factory.mktemp("e2e")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DATABASE_URL=f"sqlite:///{folder / 'e2e.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        PYTHONUNBUFFERED="1",
    )
    env["E2E_FOLDER"] = str(folder)
    return env


@pytest.fixture(scope="session")
def e2e_database(e2e_env) -> dict:
    """Builds the session's database: migrations, official territories and first content,
    a superuser (see ``admin_credentials``)."""
    _manage(e2e_env, "migrate", "--noinput")
    _manage(e2e_env, "bootstrap_portal", "--verbosity", "0")
    _manage(
        {
            **e2e_env,
            "DJANGO_SUPERUSER_USERNAME": SUPERUSER["username"],
            "DJANGO_SUPERUSER_EMAIL": SUPERUSER["email"],
            "DJANGO_SUPERUSER_PASSWORD": SUPERUSER["password"],
        },
        "createsuperuser",
        "--noinput",
    )
    return e2e_env


@pytest.fixture(scope="session")
def admin_credentials(e2e_database) -> dict:
    return dict(SUPERUSER)


@pytest.fixture(scope="session")
def live_portal(e2e_database):
    """The running server's root URL, without the trailing slash."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(e2e_database["E2E_FOLDER"]) / "server.log"
    started = time.monotonic()
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=PROJECT_ROOT,
            env=e2e_database,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        while _get_status(f"{url}/healthz") != 200:
            if server.poll() is not None or time.monotonic() - started > SERVER_START_TIMEOUT:
                pytest.exit(
                    f"The e2e server did not answer {url}/healthz:\n{log_path.read_text()}",
                    returncode=1,
                )
            time.sleep(0.1)
        _timings["server start"] = time.monotonic() - started
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def base_url(live_portal) -> str:
    """pytest-playwright's ``base_url``: ``page.goto("/ptce/")`` goes to the e2e server."""
    return live_portal


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.exit(
            f"{CHROMIUM} is missing: apt-get install -y chromium (Playwright cannot download "
            "browsers here).",
            returncode=1,
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@dataclass
class PageProblems:
    """What went wrong in the browser during one test, checked at teardown."""

    blocked: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = []
        for title, items in (
            ("requests outside the e2e server (aborted)", self.blocked),
            ("HTTP errors from the server", self.http_errors),
            ("JavaScript errors", self.js_errors),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  - {item}" for item in items)
        return "\n".join(lines)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(page, base_url, page_problems, e2e_env):
    """pytest-playwright's page, limited to the e2e server (see the module docstring)."""
    origin = urlsplit(base_url)[:2]
    server_log = Path(e2e_env["E2E_FOLDER"]) / "server.log"
    log_start = server_log.stat().st_size

    def guard(route):
        request = route.request
        if urlsplit(request.url)[:2] == origin:
            route.continue_()
        else:
            page_problems.blocked.append(f"{request.method} {request.url}")
            route.abort("blockedbyclient")

    def on_response(response):
        url = urlsplit(response.url)
        if url[:2] == origin and response.status >= 400 and url.path not in IGNORED_HTTP_ERRORS:
            page_problems.http_errors.append(f"{response.status} {response.url}")

    # On the context, so that pop-ups and new tabs are guarded too.
    page.context.route("**/*", guard)
    page.context.on("response", on_response)
    page.on("pageerror", lambda error: page_problems.js_errors.append(str(error)))
    page.set_default_timeout(10_000)
    yield page
    problems = page_problems.report()
    if page_problems.http_errors:
        with server_log.open() as log:
            log.seek(log_start)
            problems += f"\nserver log during the test ({server_log}):\n{log.read()[-6000:]}"
    assert not problems, problems
