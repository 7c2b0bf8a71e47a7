"""Benchmark of the API v1 (``/api/v1/ptce/`` and ``/api/v1/ptce/<slug>/``) on synthetic data.

    .venv/bin/python scripts/bench/api_v1.py                                  # SQLite, 10,000
    .venv/bin/python scripts/bench/api_v1.py --database postgresql            # PostgreSQL
    .venv/bin/python scripts/bench/api_v1.py --database postgresql --reuse    # no loading

The database is built exactly as ``directory.py`` builds it (its functions are reused: a
throw-away database, migrations, the official territories, ``--ptces`` synthetic PTCEs
through the CSV importer, supports, members and territories of action in bulk), but under
its own name (PostgreSQL ``ptce_bench_api``, SQLite ``/tmp/ptce-bench-api.sqlite3`` with
``--keep``/``--reuse``) so that both benchmarks can run side by side.

Server time measured in-process with Django's test ``Client`` (the full stack, no network).
For each scenario: **warm**, ``--warmup`` requests then ``--requests`` timed ones (the
answer comes from the cache of ``core.cache``); **cold**, ``--requests`` timed requests each
after ``core.cache.bump_public_version()`` (outside the timing: what a curator's edit does).
Median and p95 (nearest rank) in ms, the SQL queries of one more request of each kind; a
Markdown table on stdout with the load average. Target (issue 11): median under 30 ms on
PostgreSQL for the list pages.
"""

import datetime
import importlib.util
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_POSTGRES = "postgres://ptce@127.0.0.1:5432/ptce_bench_api"
TARGET_MEDIAN_MS = 30


def bench_directory():
    """``scripts/bench/directory.py`` as a module (not named ``directory``: that is the
    portal's app)."""
    spec = importlib.util.spec_from_file_location("bench_directory", HERE / "directory.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.SQLITE_KEPT = Path(tempfile.gettempdir()) / "ptce-bench-api.sqlite3"
    return module


def scenarios():
    """(label, [URLs], is a list page)."""
    from django.db.models import Count

    from directory.models import Ptce, Support

    busiest = (
        Ptce.objects.values("departement__code").annotate(n=Count("pk")).order_by("-n").first()
    )["departement__code"]
    published = Ptce.objects.published().count()
    supported = list(
        Support.objects.order_by("ptce_id").values_list("ptce__slug", flat=True).distinct()[:30]
    )
    last = max(1, math.ceil(published / 20))
    middle = max(1, last // 2)
    return [
        ("list, page 1", ["/api/v1/ptce/"], True),
        (
            f"by département ({busiest}) + theme",
            [f"/api/v1/ptce/?departement={busiest}&theme=culture"],
            True,
        ),
        ("by theme + support", ["/api/v1/ptce/?theme=culture&support=investissement"], True),
        ("by région (84), page 2", ["/api/v1/ptce/?region=84&page=2"], True),
        ("text query", ["/api/v1/ptce/?q=recyclerie"], True),
        (f"deep page ({middle})", [f"/api/v1/ptce/?page={middle}"], True),
        (f"last page ({last})", [f"/api/v1/ptce/?page={last}"], True),
        ("100 a page, page 3", ["/api/v1/ptce/?page_size=100&page=3"], True),
        ("detail (30 different)", [f"/api/v1/ptce/{slug}/" for slug in supported], False),
        ("territories, q=saint", ["/api/v1/territoires/?q=saint"], False),
        ("baseline: /healthz (the load's measure)", ["/healthz"], False),
    ]


def timed(client, urls, requests, change=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    durations, cpu = [], []
    for k in range(requests):
        url = urls[k % len(urls)]
        if change:
            change()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
    if change:
        change()
    with CaptureQueriesContext(connection) as context:
        client.get(urls[0])
    ordered = sorted(durations)
    return {
        "median": statistics.median(durations),
        "p95": ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)],
        "cpu": statistics.median(cpu),
        "queries": len(context),
    }


def measure(client, urls, warmup, requests):
    from core.cache import bump_public_version

    for k in range(max(warmup, len(urls))):
        assert client.get(urls[k % len(urls)]).status_code == 200
    return {
        "warm": timed(client, urls, requests),
        "cold": timed(client, urls, requests, change=bump_public_version),
    }


def run(args):
    os.environ["API_RATE_LIMIT"] = "100000000"  # one client asks thousands of times a minute
    bench = bench_directory()
    steps = []
    with bench.throwaway_database(args.database, args.postgres_url, args.keep, args.reuse) as url:
        bench.setup_django(url)
        from django.db import connection
        from django.test import Client

        counts = bench.existing_counts() if args.reuse else bench.load(args.ptces, args.seed, steps)
        if not args.reuse:
            bench.analyze(connection)
        from directory.models import Ptce

        published = Ptce.objects.published().count()
        loads = [os.getloadavg()]
        client = Client()
        rows = []
        for label, urls, is_list in scenarios():
            if args.only and args.only not in label:
                continue
            print(f"… {label}", file=sys.stderr)
            rows.append(
                (label, urls[0], is_list, measure(client, urls, args.warmup, args.requests))
            )
        loads.append(os.getloadavg())
        print(report(args, connection, published, steps, counts, rows, loads))


def report(args, connection, published, steps, counts, rows, loads):
    import django

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10_000)
        version = f"PostgreSQL {major}.{minor}"
    else:
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    load = lambda values: "/".join(f"{v:.1f}" for v in values)  # noqa: E731
    lines = [
        f"#### {version}, {published:,} PTCEs".replace(",", " "),
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPU(s)"
        f" {platform.machine()}, Python {platform.python_version()}, Django"
        f" {django.get_version()}. `python scripts/bench/api_v1.py --database {args.database}`"
        f" ({args.warmup} warm-up, then {args.requests} timed requests per column). Load"
        f" average (1/5/15 min) {load(loads[0])} before the measures, {load(loads[1])} after.",
        "",
        "Loading: "
        + (", ".join(f"{label} {seconds:.1f} s" for label, seconds in steps) or "none (--reuse)")
        + f"; {counts['supports']:,} supports, {counts['members']:,} members.",
        "",
        "| Scenario | Request | Warm median (ms) | Warm p95 (ms) | Warm CPU (ms) | Warm SQL |"
        " Cold median (ms) | Cold p95 (ms) | Cold CPU (ms) | Cold SQL | Target* |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, url, is_list, figures in rows:
        warm, cold = figures["warm"], figures["cold"]
        if is_list:
            target = "met" if warm["median"] < TARGET_MEDIAN_MS else "**missed**"
            target += "; cold " + ("met" if cold["median"] < TARGET_MEDIAN_MS else "**missed**")
        else:
            target = "(extra)"
        lines.append(
            f"| {label} | `{url}` | {warm['median']:.1f} | {warm['p95']:.1f} |"
            f" {warm['cpu']:.1f} | {warm['queries']} | {cold['median']:.1f} |"
            f" {cold['p95']:.1f} | {cold['cpu']:.1f} | {cold['queries']} | {target} |"
        )
    lines += [
        "",
        f"\\* List pages: median < {TARGET_MEDIAN_MS} ms (issue 11, on PostgreSQL), warm and"
        " cold. Warm: the same request again (the answer cached under the public-data"
        " version). Cold: the first request after a change (`bump_public_version()` before"
        " each, outside the timing). CPU: the median processor time of the Django process"
        " for one request (the database's own time is not in it), which a loaded machine"
        " inflates much less than the elapsed time.",
    ]
    return "\n".join(lines)


def main():
    parser = bench_directory().bench_arguments(
        __doc__.split("\n\n")[0], "BENCH_API_POSTGRES_URL", DEFAULT_POSTGRES
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
