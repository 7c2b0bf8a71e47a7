"""Benchmark of the directory's pages (``/ptce/`` and a PTCE page) on synthetic data.

    .venv/bin/python scripts/bench/directory.py                        # SQLite, 10,000 PTCEs
    .venv/bin/python scripts/bench/directory.py --database postgresql --ptces 10000
    .venv/bin/python scripts/bench/directory.py --database postgresql --explain

1. A throw-away database: a SQLite file in a temporary folder, or on PostgreSQL the database
   ``ptce_bench`` (``--postgres-url``; dropped first if it exists, dropped again at the end;
   the role needs CREATEDB). Migrations, then the official territories.
2. ``--ptces`` synthetic PTCEs (seeded: same data on every run) written as the importer's CSV
   and loaded through ``directory.services.ptce_import.import_ptce_csv``, all published;
   then supports, members and territories of action added in bulk, and the search columns
   refreshed as the signals would have done.
3. Server time measured in-process with Django's test ``Client`` (the full stack, without
   network). For each scenario, **warm**: ``--warmup`` requests (at least one per URL), then
   ``--requests`` timed ones; **cold**: ``--requests`` timed requests, each the first after a
   change (``core.cache.bump_public_version()`` before it, outside the timing: every cached
   value misses, as after a curator's edit). Median and p95 (nearest rank) in ms, and the
   number of SQL queries of one more request of each kind.
4. A Markdown table on stdout (and the loading times). ``--explain`` adds, per scenario, the
   slowest SQL queries of a warm and of a cold request with their time (and
   ``EXPLAIN ANALYZE`` on PostgreSQL).

Settings: ``ptce_portal.settings.base`` with ``DEBUG`` off (as in production, but static
files without the manifest). The synthetic PTCEs come from ``synthetic.py`` (also used by
``geojson.py``).
"""

import argparse
import datetime
import math
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from synthetic import MEMBER_KINDS, MEMBER_WORDS, SUPPORT_TYPES, synthetic_csv

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POSTGRES = "postgres://ptce@127.0.0.1:5432/ptce_bench"
SQLITE_KEPT = Path(tempfile.gettempdir()) / "ptce-bench.sqlite3"  # --keep / --reuse
TARGET_MEDIAN_MS, TARGET_P95_MS = 50, 100  # warm, every scenario of the brief
COLD_TARGET_MEDIAN_MS = 60  # cold, the unfiltered list (the brief's)
KINDS = {"warm": "Warm", "rendered": "Rendered", "cold": "Cold"}  # columns of the table


# --- throw-away database ------------------------------------------------------------------
@contextmanager
def throwaway_database(kind, postgres_url, keep=False, reuse=False):
    """Yields a ``DATABASE_URL`` for an empty database, removed afterwards (PostgreSQL:
    ``keep`` leaves it, ``reuse`` takes the one left by an earlier ``keep`` as it is)."""
    if kind == "sqlite":
        if keep or reuse:
            if keep and SQLITE_KEPT.exists():
                SQLITE_KEPT.unlink()
            yield f"sqlite:///{SQLITE_KEPT}"
            print(f"… database kept: {SQLITE_KEPT}", file=sys.stderr)
            return
        with tempfile.TemporaryDirectory(prefix="ptce-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(postgres_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"unsafe database name {name!r}")
    maintenance = urlunsplit(parts._replace(path="/postgres"))

    def admin(statement):
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(statement)

    if not reuse:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin(f"CREATE DATABASE {name}")
    try:
        yield postgres_url
    finally:
        from django.db import connections

        connections.close_all()
        if keep or reuse:
            print(f"… database kept: {postgres_url}", file=sys.stderr)
        else:
            admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def setup_django(database_url):
    os.environ["DJANGO_SETTINGS_MODULE"] = "ptce_portal.settings.base"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["REDIS_URL"] = ""  # the per-process local memory cache, whatever the shell says
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    import django

    django.setup()


# --- loading ------------------------------------------------------------------------------
def timed_step(label, steps, function, *args):
    started = time.perf_counter()
    result = function(*args)
    steps.append((label, time.perf_counter() - started))
    print(f"… {label}: {steps[-1][1]:.1f} s", file=sys.stderr)
    return result


def load(count, seed, steps):
    from django.conf import settings
    from django.core.management import call_command

    from collectivites.services.territory_import import import_territories
    from directory.models import Ptce
    from directory.services.ptce_import import import_ptce_csv

    timed_step("migrations", steps, call_command, "migrate", "--noinput", "-v", "0")
    timed_step("territories", steps, import_territories, settings.TERRITORY_FIXTURES_DIR)
    data = timed_step("CSV generation", steps, synthetic_csv, count, seed)
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(data)
        file.flush()
        result = timed_step(
            f"import of {count:,} PTCEs (importer)", steps, import_ptce_csv, file.name
        )
    if not result.ok:
        sys.exit("import failed:\n" + "\n".join(str(e) for e in result.errors[:10]))
    published = Ptce.objects.published().count()
    assert published == count == len(result.created), (published, count, len(result.created))
    return timed_step("supports, members, action territories", steps, add_related, seed)


def add_related(seed):
    """Supports (40 % of PTCEs, from their commune, EPCI, département or région), members
    (two to five each, one collectivité in four), territories of action (5 %): in bulk, then
    the search columns refreshed as the signals would have done."""
    from collectivites.models import SupportType, TerritoryAncestry
    from core.cache import bump_public_version
    from directory.models import Member, Ptce, Support
    from directory.search import refresh_search_fields

    rng = random.Random(seed + 1)
    types = dict(SupportType.objects.values_list("slug", "pk"))
    ptces = list(
        Ptce.objects.order_by("pk").values_list(
            "pk", "seat_commune_id", "departement_id", "seat_commune__name"
        )
    )
    ancestors = {}
    for territory, ancestor in (
        TerritoryAncestry.objects.filter(territory_id__in={row[1] for row in ptces})
        .order_by("territory_id", "ancestor_id")  # the same choices on every database
        .values_list("territory_id", "ancestor_id")
    ):
        ancestors.setdefault(territory, []).append(ancestor)
    supports, members, acting = [], [], []
    through = Ptce.action_territories.through
    for pk, commune, departement, commune_name in ptces:
        if rng.random() < 0.4:
            givers = [commune, *ancestors.get(commune, [])]
            # Drawn in order, duplicates dropped (a set's order changes with each process).
            pairs = dict.fromkeys((rng.choice(givers), rng.choice(SUPPORT_TYPES)) for _ in range(3))
            for giver, slug in list(pairs)[: rng.randint(1, 3)]:
                supports.append(
                    Support(
                        ptce_id=pk,
                        collectivite_id=giver,
                        support_type_id=types[slug],
                        status="published",  # as curators leave them; a new one is a draft
                    )
                )
        names = set()
        for k in range(rng.randint(2, 5)):
            if k == 0 and rng.random() < 0.25:
                members.append(
                    Member(
                        ptce_id=pk,
                        name=f"Mairie de {commune_name}",
                        category="collectivite",
                        territory_id=commune,
                    )
                )
                continue
            category, pattern = rng.choice(MEMBER_KINDS)
            name = pattern.format(rng.choice(MEMBER_WORDS))
            if name not in names:
                names.add(name)
                members.append(Member(ptce_id=pk, name=name, category=category))
        if rng.random() < 0.05:
            acting.append(through(ptce_id=pk, territory_id=departement))
    Support.objects.bulk_create(supports, batch_size=2000)
    Member.objects.bulk_create(members, batch_size=2000)
    through.objects.bulk_create(acting, batch_size=2000)
    refresh_search_fields([row[0] for row in ptces])
    bump_public_version()  # bulk writes send no signal
    return {"supports": len(supports), "members": len(members), "acting": len(acting)}


def analyze(connection):
    """What autovacuum does after a bulk load (SQLite: what the importer does)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'VACUUM ANALYZE "{table}"')
        else:
            cursor.execute("ANALYZE")


def existing_counts():
    from directory.models import Member, Ptce, Support

    return {
        "supports": Support.objects.count(),
        "members": Member.objects.count(),
        "acting": Ptce.action_territories.through.objects.count(),
    }


# --- measures -----------------------------------------------------------------------------
def scenarios():
    """(label, [URLs], required) — several URLs are requested in turn."""
    from django.db.models import Count

    from directory.models import Ptce, Support

    busiest = (
        Ptce.objects.values("departement__code").annotate(n=Count("pk")).order_by("-n").first()
    )
    commune = (
        Ptce.objects.values("seat_commune__code").annotate(n=Count("pk")).order_by("-n").first()
    )
    supported = list(
        Support.objects.order_by("ptce_id").values_list("ptce__slug", flat=True).distinct()[:30]
    )
    last_page = max(1, math.ceil(Ptce.objects.published().count() / 20))
    return [
        ("list, unfiltered", ["/ptce/"], True),
        (
            f"by département ({busiest['departement__code']})",
            [f"/ptce/?departement={busiest['departement__code']}"],
            True,
        ),
        ("by theme + support", ["/ptce/?theme=culture&support=investissement"], True),
        ("text query", ["/ptce/?q=recyclerie"], True),
        ("PTCE page (30 different)", [f"/ptce/{slug}/" for slug in supported], True),
        ("text query, two words", ["/ptce/?q=garage+solidaire"], False),
        ("typo (approximate names)", ["/ptce/?q=resourcerie"], False),
        (
            f"by commune ({commune['seat_commune__code']})",
            [f"/ptce/?commune={commune['seat_commune__code']}"],
            False,
        ),
        (f"list, last page ({last_page})", [f"/ptce/?page={last_page}"], False),
        (
            f"département page ({busiest['departement__code']})",
            [f"/territoires/departement/{busiest['departement__code']}/"],
            False,
        ),
        ("home page", ["/"], False),
    ]


def percentile(values, fraction):
    """Nearest rank: the smallest value with at least ``fraction`` of the values at or
    below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def timed_requests(client, urls, requests, change=None):
    """``requests`` timed requests over ``urls`` in turn; ``change()`` before each one,
    outside the timing."""
    durations = []
    for k in range(requests):
        url = urls[k % len(urls)]
        if change:
            change()
        started = time.perf_counter()
        response = client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {"median": statistics.median(durations), "p95": percentile(durations, 0.95)}


def counted_request(client, url, explain, label):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    if explain:
        print(f"  {label}: {len(context)} queries", file=sys.stderr)
        show_slowest(connection, context.captured_queries)
    return response, len(context)


def page_cache_enabled():
    """Whether whole pages are cached for anonymous visitors
    (``core.response_cache``, ``settings.RESPONSE_CACHE_ENABLED``)."""
    from django.conf import settings

    return bool(getattr(settings, "RESPONSE_CACHE_ENABLED", False))


def measure(client, urls, warmup, requests, explain):
    """Warm: after ``warmup`` requests (at least one per URL, so that each page's own cached
    values exist), ``requests`` timed ones, as served (whole pages from the cache when the
    page cache is on). Rendered (page cache on only): the same with the page cache off, so
    the view runs over its cached values (facets, options, fragments). Cold: ``requests``
    timed ones, each after ``bump_public_version()`` (outside the timing), as after a
    curator's edit: every cached value (pages, facet counts, filter options, fragments,
    territory counts…) misses."""
    from django.test import override_settings

    from core.cache import bump_public_version

    for k in range(max(warmup, len(urls))):
        assert client.get(urls[k % len(urls)]).status_code == 200
    figures = {"warm": timed_requests(client, urls, requests)}
    response, figures["warm"]["queries"] = counted_request(client, urls[0], explain, "warm")
    if page_cache_enabled():
        with override_settings(RESPONSE_CACHE_ENABLED=False):
            figures["rendered"] = timed_requests(client, urls, requests)
            _, figures["rendered"]["queries"] = counted_request(
                client, urls[0], explain, "warm, rendered"
            )
    figures["cold"] = timed_requests(client, urls, requests, change=bump_public_version)
    bump_public_version()
    _, figures["cold"]["queries"] = counted_request(client, urls[0], explain, "cold")
    match = re.search(rb'id="result-count"[^>]*>\s*([\d\s]+)PTCE', response.content)
    figures["results"] = int(re.sub(rb"\D", b"", match.group(1))) if match else None
    return figures


def show_slowest(connection, captured, top=3):
    for query in sorted(captured, key=lambda q: -float(q["time"]))[:top]:
        print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}", file=sys.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                for (line,) in cursor.fetchall():
                    print(f"        {line}", file=sys.stderr)


def run(args):
    steps = []
    reuse = args.reuse
    with throwaway_database(args.database, args.postgres_url, args.keep, reuse) as url:
        setup_django(url)
        from django.db import connection
        from django.test import Client

        counts = existing_counts() if reuse else load(args.ptces, args.seed, steps)
        if not reuse:
            analyze(connection)
        load_before = os.getloadavg()[0]
        client = Client()
        rows = []
        for label, urls, required in scenarios():
            if args.only and args.only not in label:
                continue
            print(f"… {label}", file=sys.stderr)
            figures = measure(client, urls, args.warmup, args.requests, args.explain)
            rows.append((label, urls[0], required, figures))
        loads = (load_before, os.getloadavg()[0])
        print(report(args, connection, steps, counts, rows, loads))


def report(args, connection, steps, counts, rows, loads):
    import django

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10_000)
        version = f"PostgreSQL {major}.{minor}"
    else:
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    lines = [
        f"### {version}, " + f"{args.ptces:,} PTCEs".replace(",", " "),
        "",
        f"{datetime.date.today().isoformat()}, {os.cpu_count()} CPU(s) {platform.machine()},"
        f" Python {platform.python_version()}, Django {django.get_version()}."
        f" `python scripts/bench/directory.py --database {args.database}"
        f" --ptces {args.ptces}` ({args.warmup} warm-up, then {args.requests} timed requests"
        " each: warm"
        + (", rendered (page cache off)" if any("rendered" in row[3] for row in rows) else "")
        + ", cold (each after a version bump))."
        f" Load average (1 min) {loads[0]:.1f} before the measures, {loads[1]:.1f} after.",
        "",
        "Loading: "
        + (", ".join(f"{label} {seconds:.1f} s" for label, seconds in steps) or "none (--reuse)")
        + f"; {counts['supports']:,} supports, {counts['members']:,} members,"
        f" {counts['acting']:,} territories of action.",
        "",
    ]
    kinds = [k for k in KINDS if any(k in f for _label, _url, _required, f in rows)]
    header = "".join(
        f" {KINDS[k]} median (ms) | {KINDS[k]} p95 (ms) | {KINDS[k]} SQL |" for k in kinds
    )
    lines += [
        f"| Scenario | Request | Results |{header} Target* |",
        "|---|---|---:|" + "---:|" * 3 * len(kinds) + "---|",
    ]
    for label, url, required, f in rows:
        warm, cold = f.get("rendered", f["warm"]), f["cold"]
        met = warm["median"] < TARGET_MEDIAN_MS and warm["p95"] < TARGET_P95_MS
        target = ("met" if met else "**missed**") + ("" if required else " (extra)")
        if url == "/ptce/":
            cold_met = cold["median"] < COLD_TARGET_MEDIAN_MS
            target += "; cold " + ("met" if cold_met else "**missed**")
        results = "" if f["results"] is None else f"{f['results']:,}".replace(",", " ")
        cells = "".join(
            f" {f[k]['median']:.1f} | {f[k]['p95']:.1f} | {f[k]['queries']} |" for k in kinds
        )
        lines.append(f"| {label} | `{url}` | {results} |{cells} {target} |")
    checked = "warm, page rendered" if "rendered" in kinds else "warm"
    lines += [
        "",
        f"\\* PostgreSQL targets: {checked} median < {TARGET_MEDIAN_MS} ms and p95 <"
        f" {TARGET_P95_MS} ms; cold median of `/ptce/` < {COLD_TARGET_MEDIAN_MS} ms."
        ' "Extra" rows are not in the brief\'s list. Warm: the same request again, as served'
        + (" (whole page from the page cache)" if "rendered" in kinds else "")
        + "."
        + (
            " Rendered: page cache off, the view runs over its cached values."
            if "rendered" in kinds
            else ""
        )
        + " Cold: the first request after a change (`core.cache.bump_public_version()` before"
        " each, outside the timing).",
    ]
    return "\n".join(lines)


def bench_arguments(description, postgres_env, default_postgres=DEFAULT_POSTGRES):
    """The options both page benchmarks take (this one and ``api_v1.py``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--ptces", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(postgres_env, default_postgres),
        help=f"database created and dropped (default {default_postgres})",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the database at the end (SQLite: {SQLITE_KEPT})",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on the database kept by an earlier --keep, without loading",
    )
    parser.add_argument("--only", help="measure only the scenarios whose label contains this")
    return parser


def main():
    parser = bench_arguments(__doc__.split("\n\n")[0], "BENCH_DIRECTORY_POSTGRES_URL")
    parser.add_argument("--explain", action="store_true", help="slowest queries per scenario")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
