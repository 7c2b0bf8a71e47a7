#!/usr/bin/env bash
# Backup/restore drill for the portal's PostgreSQL database (docs/deployment.md, "Sauvegardes").
#
# Dumps a source database exactly as the nightly backup does (pg_dump -Fc), restores the dump
# into a NEW database (createdb + pg_restore --no-owner), then proves the copy is complete and
# usable, failing loudly on any difference:
#   - every table of the portal's apps (core, collectivites, directory) and django_migrations:
#     same row count and same contents (digest of the sorted rows) in source and copy;
#   - same extensions, text search configurations, indexes and constraints, and the same
#     positions of the sequences of those tables (new rows get the ids they would have had);
#   - `manage.py migrate --check` and `manage.py check` pass on the copy;
#   - the same requests (home, directory search, GeoJSON, coverage, territory autocomplete)
#     answer 200 with the same number of results on the source and on the copy.
# Every database it creates is dropped on exit (success or failure), and leftovers of an
# interrupted run are dropped on the next one. It never drops a database it did not create:
# the ones it creates carry a marker comment, and only those are ever dropped.
#
# Usage (from anywhere; after `make install`):
#   bash scripts/backup_restore_check.sh --seed
#       create the source database, `migrate` + `bootstrap_portal` it (territories and the 67
#       PTCEs of the first content, 15-30 s), then check the backup/restore of it (CI does this)
#   bash scripts/backup_restore_check.sh postgres://ptce@127.0.0.1:5432/ptce
#       check the backup/restore of an existing database, which is only read (pg_dump,
#       queries, GET requests). On a database in service, a write during the few seconds of
#       the comparison is reported as a difference: run it again at a quiet time.
# Options:
#   --seed   build the source database first (it must not exist, or be a leftover of this script)
#   --keep   keep the databases it created (to inspect them; the next run drops them)
# Environment:
#   SOURCE_DATABASE_URL  source when no URL is given (default postgres://ptce@127.0.0.1:5432/ptce_restore_src)
#   MAINTENANCE_DB       database to connect to for createdb/dropdb (default postgres)
#   PYTHON               the project's interpreter (default .venv/bin/python)
# Uses only psql, pg_dump, pg_restore, createdb and dropdb from PATH, and the venv's python.
# The role in the URL must have CREATEDB. Passwords: in the URL, PGPASSWORD or ~/.pgpass.
set -euo pipefail

cd "$(dirname "$0")/.."
started=$SECONDS

MARKER="temporary database of scripts/backup_restore_check.sh"
SMOKE_PATHS=(
  "/healthz"
  "/readyz"
  "/"
  "/ptce/?q=economie"
  "/api/v1/ptce.geojson"
  "/api/v1/ptce.geojson?q=economie"
  "/api/v1/coverage.json?level=departement"
  "/territoires/recherche.json?q=lyon"
)

say() { printf '[backup-restore-check %3ss] %s\n' "$((SECONDS - started))" "$*"; }
die() {
  printf '\nBACKUP/RESTORE CHECK FAILED: %s\n' "$*" >&2
  exit 1
}

# --- Arguments ---------------------------------------------------------------------------
seed=false
keep=false
source_url="${SOURCE_DATABASE_URL:-postgres://ptce@127.0.0.1:5432/ptce_restore_src}"
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed=true ;;
    --keep) keep=true ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    postgres://* | postgresql://*) source_url="$1" ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || die "$PYTHON not found: run 'make install' first (or set PYTHON)."
for tool in psql pg_dump pg_restore createdb dropdb; do
  command -v "$tool" >/dev/null || die "$tool not found in PATH (Debian: apt-get install postgresql-client)."
done

# --- URLs: postgres://user[:password]@host:port/dbname[?options] -------------------------
# The restored copy lives on the same server, next to the source, under a derived name.
query=""
base="$source_url"
if [[ $base == *\?* ]]; then
  query="?${base#*\?}"
  base="${base%%\?*}"
fi
[[ $base =~ ^(postgres(ql)?://[^/]*)/([^/]+)$ ]] ||
  die "source URL '$source_url' is not postgres://user@host:port/dbname"
server="${BASH_REMATCH[1]}"
source_db="${BASH_REMATCH[3]}"
restore_db="${source_db:0:50}_restorecheck"
restore_url="$server/$restore_db$query"
maintenance_url="$server/${MAINTENANCE_DB:-postgres}$query"
shown_source="$(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"$source_url")"

# psql with no surprises from ~/.psqlrc, stopping at the first error, unaligned output.
sql() { psql -X -q -v ON_ERROR_STOP=1 -A -t "$@"; }

# manage.py on a given database; never the shared Redis cache (the drill must not write to
# a production cache), settings as the environment says (manage.py's default: dev).
manage() {
  local url="$1"
  shift
  DATABASE_URL="$url" env -u REDIS_URL "$PYTHON" manage.py "$@"
}

database_exists() {
  [ "$(sql -d "$maintenance_url" -v name="$1" <<<"SELECT count(*) FROM pg_database WHERE datname = :'name'")" = 1 ]
}

is_ours() {
  [ "$(sql -d "$maintenance_url" -v name="$1" <<<"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :'name'")" = "$MARKER" ]
}

# Drop a database only if this script created it (marker comment); refuse anything else.
drop_ours() {
  if database_exists "$1"; then
    is_ours "$1" || die "database '$1' exists and was not created by this script: drop it yourself or choose another source URL."
    dropdb --maintenance-db="$maintenance_url" --force --if-exists "$1"
  fi
}

# createdb NAME [OPTIONS…], then the marker comment.
create_ours() {
  local name="$1"
  shift
  createdb --maintenance-db="$maintenance_url" "$@" "$name"
  sql -d "$maintenance_url" -v name="$name" -v marker="$MARKER" <<<"COMMENT ON DATABASE :\"name\" IS :'marker'"
}

# createdb options that give a new database the encoding and collation of an existing one
# (a dump does not carry them: a real restore must recreate them, so the drill does too).
same_locale_as() {
  local encoding collate ctype provider icu
  IFS='|' read -r encoding collate ctype provider icu < <(sql -F '|' -d "$maintenance_url" -v name="$1" <<<"
    SELECT pg_encoding_to_char(encoding), datcollate, datctype,
           coalesce(to_jsonb(d) ->> 'datlocprovider', 'c'),
           coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale', '')
    FROM pg_database d WHERE datname = :'name'")
  [ -n "$encoding" ] || die "cannot read the encoding and collation of database '$1'."
  printf '%s\n' --template=template0 --encoding="$encoding" --lc-collate="$collate" --lc-ctype="$ctype"
  case "$provider" in
    i) printf '%s\n' --locale-provider=icu --icu-locale="$icu" ;;
    b) printf '%s\n' --locale-provider=builtin --builtin-locale="$icu" ;;
  esac
}

# --- Clean-up on exit, whatever happens ----------------------------------------------------
workdir="$(mktemp -d)"
created=()
cleanup() {
  local status=$?
  trap - EXIT
  if $keep && [ ${#created[@]} -gt 0 ]; then
    echo "Kept (--keep): ${created[*]}; the next run drops them."
  else
    for db in "${created[@]}"; do
      if is_ours "$db" 2>/dev/null; then
        dropdb --maintenance-db="$maintenance_url" --force --if-exists "$db" ||
          echo "warning: could not drop $db" >&2
      fi
    done
  fi
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sql -d "$maintenance_url" -c 'SELECT 1' >/dev/null ||
  die "cannot connect to the server of $shown_source (maintenance database ${MAINTENANCE_DB:-postgres})."

# --- Source ----------------------------------------------------------------------------------
say "Leftovers of an earlier run"
drop_ours "$restore_db"
if $seed; then
  drop_ours "$source_db"
  say "Seeding $shown_source: createdb, migrate, bootstrap_portal"
  created+=("$source_db")
  create_ours "$source_db"
  seed_started=$SECONDS
  # Their output goes to a log, shown only when they fail.
  for command in "migrate --noinput" "bootstrap_portal"; do
    # shellcheck disable=SC2086 # the command and its option are two words on purpose
    manage "$source_url" $command >"$workdir/seed.log" 2>&1 || {
      cat "$workdir/seed.log" >&2
      die "'manage.py $command' failed on the source database."
    }
  done
  seed_seconds=$((SECONDS - seed_started))
else
  database_exists "$source_db" || die "source database '$source_db' does not exist (use --seed to build one)."
fi

# --- Dump and restore ---------------------------------------------------------------------------
say "pg_dump -Fc $shown_source"
dump="$workdir/portal.dump"
step=$SECONDS
pg_dump -Fc --dbname="$source_url" --file="$dump"
dump_seconds=$((SECONDS - step))
dump_size="$(du -h "$dump" | cut -f1)"

say "createdb $restore_db + pg_restore --no-owner"
created+=("$restore_db")
locale_options="$(same_locale_as "$source_db")"
mapfile -t locale_options <<<"$locale_options"
create_ours "$restore_db" "${locale_options[@]}"
step=$SECONDS
# --exit-on-error: any statement that fails (a missing extension, a role) fails the drill,
# instead of pg_restore's default of carrying on and reporting at the end.
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$restore_url" "$dump"
restore_seconds=$((SECONDS - step))

# --- Tables: row counts and contents ---------------------------------------------------------
say "Comparing tables"
# The portal's tables as the code declares them (models, many-to-many tables included)…
expected="$(manage "$source_url" shell --no-imports -c '
from django.apps import apps
for label in ("core", "collectivites", "directory"):
    for model in apps.get_app_config(label).get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            print(model._meta.db_table)
print("django_migrations")')"
# …and as the source database holds them (catches a table the code no longer declares).
present="$(sql -d "$source_url" <<<"SELECT tablename FROM pg_tables WHERE schemaname = 'public'
  AND (tablename = 'django_migrations' OR tablename ~ '^(core|collectivites|directory)_')")"
tables="$(printf '%s\n%s\n' "$expected" "$present" | sed '/^$/d' | sort -u)"
missing="$(comm -23 <(sort -u <<<"$expected") <(sort -u <<<"$present"))"
[ -z "$missing" ] || die "tables of the code missing in the source database (migrations not applied?): $missing"

stats_query=""
while read -r table; do
  [[ $table =~ ^[a-z0-9_]+$ ]] || die "unexpected table name '$table'"
  [ -n "$stats_query" ] && stats_query+=$'\nUNION ALL '
  # Count, and a digest of every row's text in a fixed order: equal digests, equal contents.
  stats_query+="SELECT '$table', count(*), md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text COLLATE \"C\"), '')) FROM public.\"$table\" r"
done <<<"$tables"
stats_query+=$'\nORDER BY 1'

table_stats() {
  # The copy may lack a table: list what is there first, to name it rather than fail on SQL.
  local have
  have="$(sql -d "$1" <<<"SELECT tablename FROM pg_tables WHERE schemaname = 'public'")"
  local absent
  absent="$(comm -23 <(echo "$tables") <(sort -u <<<"$have"))"
  [ -z "$absent" ] || die "tables missing in $2: $(tr '\n' ' ' <<<"$absent")"
  PGOPTIONS="-c timezone=UTC -c extra_float_digits=1" sql -F '|' -d "$1" <<<"$stats_query"
}
source_stats="$(table_stats "$source_url" "the source")"
restore_stats="$(table_stats "$restore_url" "the restored copy")"
if [ "$source_stats" != "$restore_stats" ]; then
  {
    echo "Tables that differ (table|rows|digest), source vs restored copy:"
    diff <(echo "$source_stats") <(echo "$restore_stats") | sed -n 's/^</  source:   /p; s/^>/  restored: /p' || true
  } >&2
  die "the restored copy differs from the source."
fi
table_count="$(wc -l <<<"$source_stats")"
row_count="$(awk -F'|' '{ n += $2 } END { print n }' <<<"$source_stats")"
empty_tables="$(awk -F'|' '$2 == 0 { printf "%s%s", sep, $1; sep = " " }' <<<"$source_stats")"

# --- Schema: extensions, search configuration, indexes, constraints, sequences ------------------
say "Comparing schema objects"
# Constraints are compared by name, kind and column names, not by their text nor column
# numbers: PostgreSQL re-parses a CHECK (x IN (...)) on restore and prints it with other casts
# (same meaning), and a restored table numbers its columns afresh (no dropped-column gaps).
schema_query="
SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
UNION ALL SELECT 'text search configuration ' || cfgname FROM pg_ts_config
  WHERE cfgnamespace = 'public'::regnamespace
UNION ALL SELECT 'index ' || tablename || ' ' || indexname || ': ' || indexdef FROM pg_indexes
  WHERE schemaname = 'public'
UNION ALL SELECT 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || c.contype::text || ' on '
  || coalesce((SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_attribute a
               WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)), '-')
  FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace
UNION ALL SELECT 'sequence ' || sequencename || ' at ' || coalesce(last_value::text, 'start')
  FROM pg_sequences WHERE schemaname = 'public' AND sequencename ~ '^(core|collectivites|directory)_'
ORDER BY 1"
source_schema="$(sql -d "$source_url" <<<"$schema_query")"
restore_schema="$(sql -d "$restore_url" <<<"$schema_query")"
if [ "$source_schema" != "$restore_schema" ]; then
  {
    echo "Schema objects that differ, source vs restored copy:"
    diff <(echo "$source_schema") <(echo "$restore_schema") | sed -n 's/^</  source:   /p; s/^>/  restored: /p' || true
  } >&2
  die "the restored copy's schema differs from the source."
fi
count_kind() { grep -c "^$1 " <<<"$source_schema" || true; }

# --- The application on the restored copy ------------------------------------------------------
say "manage.py migrate --check and check on the restored copy"
manage "$restore_url" migrate --check --noinput >"$workdir/migrate.log" 2>&1 || {
  cat "$workdir/migrate.log" >&2
  die "'manage.py migrate --check' fails on the restored copy (unapplied or unknown migrations)."
}
manage "$restore_url" check --database default >"$workdir/check.log" 2>&1 || {
  cat "$workdir/check.log" >&2
  die "'manage.py check' fails on the restored copy."
}

say "Same requests on source and restored copy"
# Each request must answer 200; the number of results must be the same on both databases.
# (manage.py shell -c takes no arguments: the paths go through the environment.)
smoke() {
  local code
  code='
import gzip, json, os
from django.test import Client
from django.test.utils import override_settings
with override_settings(ALLOWED_HOSTS=["*"]):
    client = Client()
    for path in os.environ["SMOKE_PATHS"].split():
        response = client.get(path, secure=True)  # as behind nginx: no HTTPS redirect
        body = response.content
        if response.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        size = ""
        if response.status_code == 200 and "json" in response.get("Content-Type", ""):
            data = json.loads(body)
            found = [data[k] for k in ("features", "results", "counts") if k in data]
            size = f" ({len(found[0])} items)" if found else ""
        print(f"{response.status_code} {path}{size}")
'
  SMOKE_PATHS="${SMOKE_PATHS[*]}" manage "$1" shell --no-imports -c "$code" 2>"$workdir/smoke.log" || {
    cat "$workdir/smoke.log" >&2
    die "requests failed on $2."
  }
}
source_smoke="$(smoke "$source_url" "the source")"
restore_smoke="$(smoke "$restore_url" "the restored copy")"
bad="$(grep -v '^200 ' <<<"$restore_smoke" || true)"
[ -z "$bad" ] || die "requests on the restored copy did not answer 200: $bad"
if [ "$source_smoke" != "$restore_smoke" ]; then
  diff <(echo "$source_smoke") <(echo "$restore_smoke") >&2 || true
  die "the same requests give different answers on the source and on the restored copy."
fi

# --- Summary -------------------------------------------------------------------------------------
echo
echo "Backup/restore check passed in $((SECONDS - started)) s"
echo "  source       $shown_source${seed_seconds:+ (seeded in ${seed_seconds} s)}"
echo "  dump         pg_dump -Fc, $dump_size, ${dump_seconds} s"
echo "  restore      $restore_db (createdb + pg_restore --no-owner), ${restore_seconds} s"
printf '  tables       %s compared, %s rows, counts and contents identical\n' "$table_count" "$row_count"
[ -z "$empty_tables" ] || echo "               (empty in both: $empty_tables)"
printf '  schema       %s extensions, %s search configurations, %s indexes, %s constraints, %s sequences identical\n' \
  "$(count_kind extension)" "$(count_kind 'text search')" "$(count_kind index)" \
  "$(count_kind constraint)" "$(count_kind sequence)"
echo "  application  migrate --check and check pass; the same answers on both databases:"
while read -r line; do echo "               $line"; done <<<"$restore_smoke"
