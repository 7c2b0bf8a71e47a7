"""Benchmark of the exports (CSV, XLSX, open-data files) on synthetic data.

    .venv/bin/python scripts/bench/exports.py                      # SQLite, 10,000 PTCEs
    .venv/bin/python scripts/bench/exports.py --database-url postgres://ptce@127.0.0.1:5432/ptce_bench

A throw-away test database (migrations, the official territories, then ``--count``
synthetic PTCEs loaded through the CSV importer, all published, with two themes and two
territories of action each), then, in-process: ``/ptce/export.csv`` and
``/ptce/export.xlsx`` through Django's full stack (``Client``), and ``export_open_data``.
For each: wall time, size, SQL queries and the peak of Python allocations while producing it
(``tracemalloc``: what the export holds at once, not the process's total). Prints a Markdown
table (to copy into ``docs/performance.md``, section "Exports").
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from synthetic import synthetic_csv

ROOT = Path(__file__).resolve().parents[2]
SQLITE_FILE = Path(tempfile.gettempdir()) / "ptce-bench-exports.sqlite3"


def measure(label, function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        size = function()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return label, seconds, size, len(queries), peak


def run(args):
    os.environ["DJANGO_SETTINGS_MODULE"] = "ptce_portal.settings.test"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ["EXPORT_RATE_LIMIT"] = "1000000"
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
        from collectivites.models import Territory, TerritoryKind
        from collectivites.services.territory_import import import_territories
        from directory.models import Ptce, PtceStatus, Theme
        from directory.services.open_data import export_open_data
        from directory.services.ptce_import import import_ptce_csv

        import_territories(settings.TERRITORY_FIXTURES_DIR)
        result = import_ptce_csv(synthetic_csv(args.count, 2026))
        assert result.ok, result.errors[:5]
        Ptce.objects.update(status=PtceStatus.PUBLISHED)
        themes = list(Theme.objects.values_list("pk", flat=True))
        epcis = list(Territory.objects.filter(kind=TerritoryKind.EPCI).values_list("pk", flat=True))
        ids = list(Ptce.objects.values_list("pk", flat=True))
        Ptce.themes.through.objects.all().delete()
        Ptce.themes.through.objects.bulk_create(
            [
                Ptce.themes.through(ptce_id=pk, theme_id=themes[(pk + k) % len(themes)])
                for pk in ids
                for k in (0, 1)
            ],
            batch_size=5000,
        )
        Ptce.action_territories.through.objects.bulk_create(
            [
                Ptce.action_territories.through(
                    ptce_id=pk, territory_id=epcis[(pk * 7 + k) % len(epcis)]
                )
                for pk in ids
                for k in (0, 1)
            ],
            batch_size=5000,
        )
        client = Client()

        def body(url):
            response = client.get(url)
            assert response.status_code == 200
            if response.streaming:
                return sum(len(chunk) for chunk in response.streaming_content)
            return len(response.content)

        with tempfile.TemporaryDirectory() as folder:
            rows = [
                measure("`/ptce/export.csv`", lambda: body("/ptce/export.csv")),
                measure("`/ptce/export.xlsx`", lambda: body("/ptce/export.xlsx")),
                measure("`/ptce/export.csv?region=84`", lambda: body("/ptce/export.csv?region=84")),
                measure(
                    "`export_open_data` (5 files)",
                    lambda: sum(p.stat().st_size for p in export_open_data(folder)),
                ),
            ]
        print(f"{connection.vendor}, {Ptce.objects.count()} published PTCEs\n")
        print("| export | time | size | SQL queries | peak Python allocations |")
        print("|---|---:|---:|---:|---:|")
        for label, seconds, size, queries, peak in rows:
            print(
                f"| {label} | {seconds:.2f} s | {size / 1024 / 1024:.1f} MB | {queries} "
                f"| {peak / 1024 / 1024:.1f} MB |"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        SQLITE_FILE.unlink(missing_ok=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
