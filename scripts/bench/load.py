"""Load test of the portal served as in production: gunicorn, PostgreSQL, Redis, wrk.

    .venv/bin/python scripts/bench/load.py [--ptces 10000] [--seconds 60] [--connections 50]
        [--page-seconds 15] [--port 8050] [--keep | --reuse] [--max-load 2.5]

1. The PostgreSQL database ``ptce_bench_load`` (dropped first if it exists; ``--reuse``: the
   one an earlier ``--keep`` left, as it is): ``migrate``, the territories, ``--ptces``
   synthetic published PTCEs (``synthetic.py``) through the importer with supports, members
   and territories of action (``directory.py``), the first content (``bootstrap_portal``'s
   PTCE files, then ``bootstrap_portal``), ``VACUUM ANALYZE``; production settings.
2. gunicorn started as ``make serve`` does (``ptce_portal/gunicorn.conf.py``,
   ``PORTAL_PROCESS=web``, ``WEB_CONCURRENCY=2``, default ``CONN_MAX_AGE``), Redis database 6
   flushed before; every request carries ``X-Forwarded-Proto: https`` (nginx's header),
   ``Accept-Encoding: gzip`` (a browser's) and an ``X-Forwarded-For`` address that changes
   with each request (many visitors: the API's per-address limit is not reached).
3. wrk (``--connections``, 2 threads, ``--timeout 10s``): ``/healthz`` and each page alone
   (``--page-seconds``), then a mix of pages (``--seconds``); requests per second, median,
   p95, p99 (wrk's percentiles, from a Lua ``done``), errors, ratio to ``/healthz``, the CPU
   time gunicorn spent per request (``/proc``: comparable on a busy machine) and the load
   average before and after each run.
4. Twice: with the whole-page cache (``RESPONSE_CACHE_ENABLED``, as in production), then
   without. The setting has no environment variable: gunicorn gets a settings module written
   in a temporary folder (``from ptce_portal.settings.production import *``, then
   ``RESPONSE_CACHE_ENABLED``), which also puts ``STATIC_ROOT`` in that folder
   (``collectstatic`` there), so that no other checkout's ``collectstatic`` or
   ``rm -rf staticfiles`` touches the files being served.
5. Markdown tables on stdout (progress on stderr); gunicorn is stopped, Redis database 6
   flushed, the temporary folder removed and the database dropped (unless ``--keep``/``--reuse``).
"""

import argparse
import contextlib
import datetime
import importlib.util
import io
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
DATABASE = "ptce_bench_load"
DATABASE_URL = f"postgres://ptce@127.0.0.1:5432/{DATABASE}"
MAINTENANCE_URL = "postgres://ptce@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/6"
PRODUCTION = "ptce_portal.settings.production"
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
MIX_PTCE_PAGES = 200  # the mix's PTCE pages rotate over this many different PTCEs
TARGET_RATIO = 0.5  # /ptce/ and a filtered /ptce/: at least half of /healthz's requests/s
# Set in a shell, these would change what is measured: the production defaults apply.
CLEARED = [
    "CONN_MAX_AGE", "DEBUG", "SECURE_SSL_REDIRECT", "API_RATE_LIMIT", "TRUSTED_PROXY_COUNT",
    "REQUEST_DEADLINE_SECONDS", "DB_STATEMENT_TIMEOUT_MS", "RESPONSE_CACHE_EXCLUDED_PREFIXES",
]  # fmt: skip

LUA = """
local paths = {__PATHS__}
local ptces = {__PTCES__}
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
local i, j = 0, 0
function request()
  i = i + 1
  local path = paths[(i % #paths) + 1]
  if path == "@ptce" then
    j = j + 1
    path = ptces[(j % #ptces) + 1]
  end
  local client = string.format("10.%d.%d.%d", id, math.floor(i / 256) % 256, i % 256)
  return wrk.format("GET", path, {["X-Forwarded-Proto"] = "https",
    ["Accept-Encoding"] = "gzip", ["X-Forwarded-For"] = client})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


def log(message):
    print(f"… {message}", file=sys.stderr, flush=True)


def admin(statement):
    import psycopg

    with psycopg.connect(MAINTENANCE_URL, autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else None


def base_environment(secret_key):
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(SECRET_KEY=secret_key, DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL)
    env.update(ALLOWED_HOSTS="127.0.0.1,localhost", RELEASE="bench-load")
    return env


# --- the database -------------------------------------------------------------------------
def load_database(count, seed, steps):
    """``bootstrap_portal``'s data and the synthetic PTCEs with their related rows, then
    ``VACUUM ANALYZE`` (in this process, production settings, not a web process). The related
    rows of ``directory.py`` (``add_related``) need PTCEs with a seat commune: the synthetic
    ones come before the first content's, which ``bootstrap_portal`` would import."""
    from django.core.management import call_command
    from django.db import connection
    from synthetic import synthetic_csv

    from directory.services.ptce_import import import_ptce_csv
    from pages.management.commands.bootstrap_portal import PTCE_FILES

    def step(label, function, *args, **options):
        started = time.perf_counter()
        result = function(*args, **options)
        steps.append((label, time.perf_counter() - started))
        log(f"{label}: {steps[-1][1]:.1f} s")
        return result

    quiet = {"stdout": io.StringIO(), "verbosity": 0}
    step("migrate", call_command, "migrate", "--noinput", **quiet)
    step("territories", call_command, "import_territories", **quiet)
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(synthetic_csv(count, seed))
        file.flush()
        result = step(f"import of {count:,} PTCEs", import_ptce_csv, file.name)
    if not result.ok:
        sys.exit("import failed:\n" + "\n".join(str(e) for e in result.errors[:10]))
    # directory.py's loader, under another name (``directory`` is also a Django app).
    spec = importlib.util.spec_from_file_location("bench_directory", BENCH / "directory.py")
    bench_directory = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_directory)
    step("supports, members, action territories", bench_directory.add_related, seed)
    for name in PTCE_FILES:  # what bootstrap_portal imports into a portal without PTCEs
        path = str(ROOT / "fixtures" / "content" / name)
        step(f"import of {name}", call_command, "import_ptce", path, **quiet)
    step("bootstrap_portal", call_command, "bootstrap_portal", **quiet)

    def vacuum():
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'VACUUM ANALYZE "{table}"')

    step("VACUUM ANALYZE", vacuum)


def pick_urls():
    """The measured URLs, from the data: (single runs, the mix, the mix's PTCE pages)."""
    from django.db.models import Count

    from collectivites.models import Territory
    from directory.models import Ptce

    published = Ptce.objects.published()
    slugs = list(published.order_by("pk").values_list("slug", flat=True))
    step = max(1, len(slugs) // MIX_PTCE_PAGES)
    ptces = [f"/ptce/{slug}/" for slug in slugs[::step][:MIX_PTCE_PAGES]]
    ptce = ptces[len(ptces) // 2]
    busiest = (
        published.filter(departement__code="62")
        .values("seat_commune_id", "seat_commune__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "seat_commune__code")
        .first()
    )
    epci = Territory.objects.filter(
        kind="epci", descendancy_links__territory_id=busiest["seat_commune_id"]
    ).first()
    region = Territory.objects.get(kind="region", descendancy_links__territory__code="62")
    singles = [
        "/healthz", "/", "/ptce/", "/ptce/?theme=culture&departement=62", ptce,
        "/territoires/departement/62/", "/api/v1/ptce.geojson?departement=62",
    ]  # fmt: skip
    mix = [
        *["/"] * 4, *["/ptce/"] * 4, "/ptce/?theme=culture&departement=62",
        "/ptce/?q=recyclerie", f"/ptce/?q=garage+solidaire&region={region.code}",
        "/ptce/?theme=alimentation&support=investissement",
        "/ptce/?departement=62&stage=emergence", "/ptce/?legal_form=scic&sort=recent&page=2",
        *["@ptce"] * 8,
        f"/territoires/region/{region.code}/", "/territoires/departement/62/",
        *([f"/territoires/epci/{epci.code}/"] if epci else []),
        f"/territoires/commune/{busiest['seat_commune__code']}/",
        "/carte/", "/api/v1/ptce.geojson", "/api/v1/ptce.geojson?departement=62",
        "/api/v1/ptce.geojson?theme=culture",
    ]  # fmt: skip
    return singles, mix, ptces, len(slugs)


# --- gunicorn -----------------------------------------------------------------------------
def write_settings(folder):
    (folder / "ptce_load_settings.py").write_text(
        "# Written by scripts/bench/load.py: production, static files kept apart.\n"
        f"from {PRODUCTION} import *  # noqa: F403\n\n"
        f"STATIC_ROOT = {str(folder / 'static')!r}\n"
        "RESPONSE_CACHE_ENABLED = True\n"
    )
    (folder / "ptce_load_settings_nocache.py").write_text(
        "# Written by scripts/bench/load.py: the same, without the whole-page cache.\n"
        "from ptce_load_settings import *  # noqa: F403\n\n"
        "RESPONSE_CACHE_ENABLED = False\n"
    )


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def fetch(url):
    request = urllib.request.Request(url, headers={**HEADERS, "X-Forwarded-For": "10.99.0.1"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError:
        return None, b""


def start_server(env, port, logfile):
    # make serve's command line, WEB_CONCURRENCY=2
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "ptce_portal/gunicorn.conf.py"]
    command.append("ptce_portal.wsgi:application")
    env = {**env, "PORTAL_PROCESS": "web", "HOST": "127.0.0.1", "PORT": str(port)}
    env["WEB_CONCURRENCY"] = "2"
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
    )
    server.log, base = Path(logfile.name), f"http://127.0.0.1:{port}"
    for _ in range(120):
        if server.poll() is not None:
            break
        if fetch(base + "/readyz")[0] == 200:
            return server, base
        time.sleep(0.5)
    stop_server(server)
    logfile.flush()
    tail = Path(logfile.name).read_text(errors="replace").splitlines()[-30:]
    sys.exit("gunicorn did not become ready:\n" + "\n".join(tail))


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # its own process group: master and workers
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


# --- wrk ----------------------------------------------------------------------------------
def server_cpu(server):
    """CPU seconds of gunicorn's process group, with the workers it has reaped."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == server.pid:  # fields[2]: the process group
                reaped = fields[13:15] if int(stat.parent.name) == server.pid else []
                total += sum(int(v) for v in [*fields[11:13], *reaped])
    return total / os.sysconf("SC_CLK_TCK")


def booted(server):
    """Workers started so far (gunicorn replaces one after ``max_requests``)."""
    return server.log.read_text(errors="replace").count("Booting worker with pid")


def wrk(server, base, paths, ptces, seconds, connections, folder):
    script = LUA.replace("__PATHS__", ", ".join(json.dumps(p) for p in paths))
    script = script.replace("__PTCES__", ", ".join(json.dumps(p) for p in ptces or ["/"]))
    (lua := folder / "run.lua").write_text(script)
    before, cpu, boots = os.getloadavg()[0], server_cpu(server), booted(server)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(lua), base]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    after, cpu, boots = os.getloadavg()[0], server_cpu(server) - cpu, booted(server) - boots
    # The requests wrk left behind are still queued: served before this one. Waiting for it
    # keeps them from slowing the next run down.
    for _ in range(10):
        if fetch(base + "/healthz")[0] == 200:
            break
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk gave no result:\n{result.stdout}\n{result.stderr}")
    values = [int(v) for v in line.split()[1:]]
    requests, duration, size, *errors = values[:8]
    p50, p95, p99, top = (v / 1000 for v in values[8:])
    rate, kib = requests / (duration / 1e6), size / max(requests, 1) / 1024
    cpu = 1000 * cpu / max(requests, 1)
    figures = {"rate": rate, "kib": kib, "errors": errors, "load": (before, after), "cpu": cpu}
    return figures | {"p50": p50, "p95": p95, "p99": p99, "max": top, "recycled": boots}


def wait_for_quiet(max_load, limit=600):
    """Waits, ``limit`` seconds at most, for the 1-minute load average under ``max_load``."""
    started = time.monotonic()
    while os.getloadavg()[0] >= max_load and time.monotonic() - started < limit:
        log(f"load average {os.getloadavg()[0]:.2f} ≥ {max_load}: waiting")
        time.sleep(20)


def measure(mode, module, env, args, urls, folder):
    singles, mix, ptces, _count = urls
    flush_redis()
    if args.max_load:
        wait_for_quiet(args.max_load)
    logpath = folder / f"gunicorn-{mode}.log"
    with logpath.open("w") as logfile:
        server, base = start_server({**env, "DJANGO_SETTINGS_MODULE": module}, args.port, logfile)
        try:
            every = sorted({*singles, *(p for p in mix if p != "@ptce")})
            for _ in range(2):  # the second pass: what a warmed-up server answers
                for path in every:
                    status, _body = fetch(base + path)
                    if status != 200:
                        logfile.flush()
                        tail = logpath.read_text(errors="replace").splitlines()[-30:]
                        sys.exit(f"{path}: status {status} ({mode})\n" + "\n".join(tail))
            rows = []
            for path in singles:
                log(f"{mode}: {path} for {(seconds := args.page_seconds)} s")
                figures = wrk(server, base, [path], None, seconds, args.connections, folder)
                rows.append((f"`{path}`", figures))
            log(f"{mode}: the mix for {args.seconds} s")
            figures = wrk(server, base, mix, ptces, args.seconds, args.connections, folder)
            rows.append(("**mix**", figures))
        finally:
            stop_server(server)
    return rows


# --- report -------------------------------------------------------------------------------
def table(rows):
    healthz = rows[0][1]["rate"]
    lines = [
        "| Request | Requests/s | Ratio to `/healthz` | Median (ms) | p95 (ms) | p99 (ms) |"
        " Max (ms) | KiB/response | gunicorn CPU/request (ms) | Workers recycled |"
        " Errors (connect/read/write/status/timeout) | Load average before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for label, f in rows:
        errors = "/".join(str(e) for e in f["errors"])
        lines.append(
            f"| {label} | {f['rate']:,.0f} | {f['rate'] / healthz:.2f} | {f['p50']:.1f} |"
            f" {f['p95']:.1f} | {f['p99']:.1f} | {f['max']:.0f} | {f['kib']:.1f} |"
            f" {f['cpu']:.2f} | {f['recycled']} |"
            f" {errors if any(f['errors']) else 'none'} |"
            f" {f['load'][0]:.2f} → {f['load'][1]:.2f} |".replace(",", " ")
        )
    return lines


def verdict(rows):
    healthz = rows[0][1]["rate"]
    parts, met = [], True
    for label, f in rows[2:4]:  # /ptce/ and the filtered /ptce/
        ok = f["rate"] >= TARGET_RATIO * healthz and not any(f["errors"])
        met &= ok
        cpu = rows[0][1]["cpu"] / f["cpu"] if f["cpu"] else 0
        ratios = f"{f['rate'] / healthz:.2f} × (by gunicorn CPU per request: {cpu:.2f} ×)"
        parts.append(f"{label} {ratios}, {'met' if ok else 'missed'}")
    no_errors = all(not any(f["errors"]) for _label, f in rows)
    return met, "; ".join(parts) + ("; no error in any run" if no_errors else "; **errors**")


def report(args, steps, results, uptimes, pg_version, published):
    import django

    reuse = " --reuse" if args.reuse else ""
    count = f"{published:,}".replace(",", " ")
    lines = [
        f"### {datetime.date.today().isoformat()}: {os.cpu_count()} CPU(s) {platform.machine()},"
        f" Python {platform.python_version()}, Django {django.get_version()}, {pg_version},"
        f" gunicorn 2 sync workers, wrk {args.connections} connections / 2 threads,"
        f" {count} published PTCEs",
        "",
        f"`.venv/bin/python scripts/bench/load.py --ptces {args.ptces} --seconds {args.seconds}"
        f" --connections {args.connections} --page-seconds {args.page_seconds}{reuse}`."
        f" Each page alone for {args.page_seconds} s, the mix for {args.seconds} s.",
        "",
        f"`uptime` before: `{uptimes[0]}`; after: `{uptimes[1]}`.",
        "",
        "Loading: "
        + (", ".join(f"{label} {seconds:.1f} s" for label, seconds in steps) or "none (--reuse)")
        + ".",
    ]
    for mode, rows in results.items():
        met, detail = verdict(rows)
        lines += [
            "",
            f"#### {mode}",
            "",
            *table(rows),
            "",
            f"Target (`/ptce/` and `/ptce/?theme=culture&departement=62` ≥ {TARGET_RATIO} ×"
            f" `/healthz`, no error): **{'met' if met else 'missed'}** — {detail}.",
        ]
    return "\n".join(lines)


def run(args, folder):
    env = base_environment(secrets.token_urlsafe(50))
    os.environ.clear()  # what gunicorn gets, production settings here
    os.environ.update(env, DJANGO_SETTINGS_MODULE=PRODUCTION)
    sys.path[:0] = [str(ROOT), str(BENCH)]
    exists = admin(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'")
    if args.reuse and not exists:
        sys.exit(f"--reuse: no database {DATABASE} (run with --keep first)")
    if not args.reuse:
        admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin(f"CREATE DATABASE {DATABASE}")
    import django

    django.setup()
    from django.db import connection

    steps = []
    if not args.reuse:
        with contextlib.redirect_stdout(sys.stderr):  # the commands' messages: progress
            load_database(args.ptces, args.seed, steps)
    urls = pick_urls()
    major, minor = divmod(connection.pg_version, 10_000)
    connection.close()
    write_settings(folder)
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(ROOT)])
    static = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    static_env = {**env, "DJANGO_SETTINGS_MODULE": "ptce_load_settings"}
    subprocess.run(static, cwd=ROOT, env=static_env, check=True)
    uptime = [subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()]
    results = {}
    modes = [
        ("With the whole-page cache (production)", "ptce_load_settings"),
        ("Without it (`RESPONSE_CACHE_ENABLED = False`)", "ptce_load_settings_nocache"),
    ]
    for mode, module in modes:
        results[mode] = measure(mode, module, env, args, urls, folder)
    uptime.append(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(report(args, steps, results, uptime, f"PostgreSQL {major}.{minor}", urls[3]))
    print("\nThe mix, in turn (`@ptce`: the next of", len(urls[2]), "PTCE pages):", file=sys.stderr)
    print(" ".join(urls[1]), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ptces", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=60, help="the mix's run (60)")
    parser.add_argument("--page-seconds", type=int, default=15, help="each page alone (15)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help=f"keep {DATABASE} at the end")
    parser.add_argument("--reuse", action="store_true", help=f"measure on the kept {DATABASE}")
    parser.add_argument("--max-load", type=float, help="wait (10 min at most) for a lower load")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"port {args.port} is taken (--port)")

    def terminate(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, terminate)
    folder = Path(tempfile.mkdtemp(prefix="ptce-load-"))
    try:
        run(args, folder)
    finally:
        try:
            flush_redis()
        except Exception as error:  # the report matters more than this clean-up
            log(f"Redis not flushed: {error}")
        if args.keep or args.reuse:
            log(f"database kept: {DATABASE_URL}")
        else:  # WITH (FORCE): this process's connection too, if it still has one
            admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
