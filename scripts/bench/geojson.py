"""Benchmark of the map's API (/api/v1/ptce.geojson, /api/v1/coverage.json) on synthetic data.

    .venv/bin/python scripts/bench/geojson.py                 # 10,000 PTCEs, SQLite and PostgreSQL
    .venv/bin/python scripts/bench/geojson.py --count 2000 --databases sqlite --no-docs

For each database, a worker process builds a throw-away test database (migrations, the
official territories, then the synthetic PTCEs loaded through the CSV importer, as in
production), and times requests through Django's full stack in-process (``Client``: the
"server time", without network). "Uncached" requests follow ``core.cache.bump_public_version()``
(what a curator's edit does); "cached" ones are served from the Django cache. The figures
go to the section "GeoJSON" at the end of ``docs/performance.md`` (replaced on each run).

PostgreSQL: ``--postgres-url`` (default ``postgres://ptce@127.0.0.1:5432/ptce_bench``; the
role needs CREATEDB, the database ``test_<name>`` is created and dropped).

The synthetic PTCEs come from ``scripts/bench/synthetic.py`` (as for ``directory.py``).
"""

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from synthetic import synthetic_csv

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "performance.md"
SECTION_TITLE = "## GeoJSON"
DEFAULT_POSTGRES = "postgres://ptce@127.0.0.1:5432/ptce_bench"
SQLITE_FILE = Path("/tmp/ptce-bench-geojson.sqlite3")
BUDGET_BYTES = 1.5 * 1024 * 1024
BUDGET_MS = 100


# --- worker: one database -----------------------------------------------------------------------
def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(client, url, runs, before=None, **headers):
    durations = []
    response = None
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 304), (url, response.status_code)
    return {
        "median_ms": round(statistics.median(durations), 1),
        "p95_ms": round(percentile(durations, 0.95), 1),
        "runs": runs,
    }, response


def database_version(connection):
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10_000)
        return f"{major}.{minor}"
    import sqlite3

    return sqlite3.sqlite_version


def worker(database_url, count, runs):
    os.environ["DJANGO_SETTINGS_MODULE"] = "ptce_portal.settings.test"
    os.environ["DATABASE_URL"] = database_url
    # The API's per-IP rate limit (core/ratelimit.py) would answer 429 to the timed loops.
    os.environ["API_RATE_LIMIT"] = "1000000"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    if connection.vendor == "sqlite":
        SQLITE_FILE.unlink(missing_ok=True)
        settings.DATABASES["default"]["TEST"]["NAME"] = str(SQLITE_FILE)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from collectivites.services.territory_import import import_territories
        from core.cache import bump_public_version as bump_version
        from directory.models import Ptce
        from directory.services.ptce_import import import_ptce_csv

        started = time.perf_counter()
        import_territories(settings.TERRITORY_FIXTURES_DIR)
        make_csv, source = synthetic_csv, "scripts/bench/synthetic.py"
        result = import_ptce_csv(make_csv(count, 2026))
        assert result.ok, result.errors[:5]
        load_seconds = time.perf_counter() - started
        published = Ptce.objects.published().filter(latitude__isnull=False).count()

        client = Client()
        gz = {"Accept-Encoding": "gzip"}
        full = "/api/v1/ptce.geojson"
        plain = client.get(full)
        zipped = client.get(full, headers=gz)
        raw_bytes = len(plain.content)
        gzip_bytes = len(zipped.content)
        assert json.loads(gzip.decompress(zipped.content)) == plain.json()
        figures = {
            "database": connection.vendor,
            "server_version": database_version(connection),
            "generator": source,
            "ptces": published,
            "load_seconds": round(load_seconds, 1),
            "raw_bytes": raw_bytes,
            "gzip_bytes": gzip_bytes,
            "bytes_per_feature": round(raw_bytes / max(published, 1)),
        }
        load_before = os.getloadavg()[0]
        figures["full_uncached"], _ = timed(client, full, max(5, runs // 10), bump_version, **gz)
        figures["full_cached"], _ = timed(client, full, runs, **gz)
        figures["full_cached_plain"], _ = timed(client, full, max(5, runs // 4))
        etag = zipped["ETag"]
        figures["full_304"], _ = timed(client, full, runs, **{"If-None-Match": etag})
        for name, url in {
            "theme": f"{full}?theme=culture",
            "departement": f"{full}?departement=69",
            "bbox": f"{full}?bbox=2,45,4,47",
            "coverage": "/api/v1/coverage.json?level=departement",
        }.items():
            figures[f"{name}_uncached"], _ = timed(
                client, url, max(5, runs // 10), bump_version, **gz
            )
            figures[f"{name}_cached"], response = timed(client, url, runs, **gz)
            figures[f"{name}_gzip_bytes"] = len(response.content)
        figures["load_average"] = f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"
        return figures
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        SQLITE_FILE.unlink(missing_ok=True)


# --- report -----------------------------------------------------------------------------------
def kib(n):
    if n < 10 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 1024:,.0f} KiB".replace(",", " ")


def section(results, count):
    lines = [
        SECTION_TITLE,
        "",
        "`scripts/bench/geojson.py`, "
        + f"{count:,}".replace(",", " ")
        + " synthetic published PTCEs (one to three themes, seated in random communes), loaded"
        " through the CSV"
        " importer; Django's full stack timed in-process (`django.test.Client`, no network),"
        f" on {platform.machine()} with {os.cpu_count()} CPU(s), Python"
        f' {platform.python_version()}. "Uncached" follows `core.cache.bump_public_version()`'
        ' (what an edit does); "cached" is served from the Django cache (LocMemCache). The machine'
        " is shared: its load average is given; an idle one gives lower timings. Data from"
        f" `synthetic_csv` of {results[0]['generator']}.",
        "",
        "| | " + " | ".join(r["database"] + " " + str(r["server_version"]) for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label, render):
        lines.append(f"| {label} | " + " | ".join(render(r) for r in results) + " |")

    def ms(key):
        return lambda r: f"{r[key]['median_ms']} ms (p95 {r[key]['p95_ms']})"

    row("PTCEs on the map", lambda r: f"{r['ptces']:,}".replace(",", " "))
    row(
        "full payload, uncompressed",
        lambda r: f"{kib(r['raw_bytes'])} ({r['bytes_per_feature']} B/feature)",
    )
    row("full payload, gzipped", lambda r: kib(r["gzip_bytes"]))
    row("full, uncached: median (p95)", ms("full_uncached"))
    row("full, cached, gzip: median (p95)", ms("full_cached"))
    row("full, cached, no gzip (decompressed per request)", ms("full_cached_plain"))
    row("full, 304 on If-None-Match", ms("full_304"))
    for name, label in [
        ("theme", "`?theme=culture`"),
        ("departement", "`?departement=69`"),
        ("bbox", "`?bbox=2,45,4,47`"),
        ("coverage", "coverage `?level=departement`"),
    ]:
        row(
            f"{label}: uncached / cached (median)",
            lambda r, n=name: (
                f"{r[n + '_uncached']['median_ms']} / {r[n + '_cached']['median_ms']} ms,"
                f" {kib(r[n + '_gzip_bytes'])} gzipped"
            ),
        )
    row("loading (territories + import)", lambda r: f"{r['load_seconds']} s")
    row("machine load average (1 min) during the measures", lambda r: r["load_average"])
    worst_raw = max(r["raw_bytes"] for r in results)
    worst_cached = max(r["full_cached"]["median_ms"] for r in results)
    lines += [
        "",
        f"Budget: under 1.5 MB uncompressed — {'met' if worst_raw < BUDGET_BYTES else 'NOT met'}"
        f" ({kib(worst_raw)}); median under {BUDGET_MS} ms when cached — "
        f"{'met' if worst_cached < BUDGET_MS else 'NOT met'} ({worst_cached} ms).",
    ]
    if worst_raw >= BUDGET_BYTES:
        lines += [
            "",
            "Why the size budget is out of reach with the required properties: each feature's"
            ' fixed part (`{"type":"Feature","geometry":{"type":"Point","coordinates":[…]},'
            '"properties":{"id":…,"name":"","slug":"","url":"","commune":"","departement":"",'
            '"themes":[]}}`) is about 175 bytes before any value, i.e. 1.7 MB for 10,000'
            " features; names, slugs, URLs, communes and theme names add about 120 more. What"
            " travels is the gzipped body (HTTP `Content-Encoding: gzip`).",
        ]
    lines.append("")
    return "\n".join(lines)


def write_docs(text):
    """Replaces the section "GeoJSON" (up to the next "## " heading) or appends it at the
    end; the rest of the file belongs to the other benchmarks."""
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    start = (
        0 if current.startswith(SECTION_TITLE + "\n") else current.find("\n" + SECTION_TITLE + "\n")
    )
    if start < 0:
        head, tail = current, ""
    else:
        start = start + 1 if start else 0
        end = current.find("\n## ", start + len(SECTION_TITLE))
        head, tail = current[:start], current[end + 1 :] if end >= 0 else ""
    head = head.rstrip("\n") + "\n\n" if head.strip() else ""
    tail = "\n" + tail if tail else ""
    DOCS.write_text(head + text + tail, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100, help="requests per cached measure")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.count, args.runs)))
        return
    urls = {"sqlite": f"sqlite:///{SQLITE_FILE}", "postgres": args.postgres_url}
    results = []
    for name in args.databases.split(","):
        print(f"… {name}", file=sys.stderr)
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                urls[name],
                "--count",
                str(args.count),
                "--runs",
                str(args.runs),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"{name} failed:\n{done.stdout}\n{done.stderr}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    text = section(results, args.count)
    print(text)
    if not args.no_docs:
        write_docs(text)
        print(f"written: {DOCS.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
