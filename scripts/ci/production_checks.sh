#!/usr/bin/env bash
# The production recipe, checked: check --deploy, collectstatic, a fresh PostgreSQL database
# migrated and loaded, `make serve` (gunicorn, 2 workers) on it with Redis, then every page
# type, the security headers and a 15-second load of 50 connections (scripts/ci/serve_check.py).
# Run from the project root after `make install`; needs PostgreSQL (role ptce with CREATEDB),
# Redis on 127.0.0.1:6379 and wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT="${SERVE_CHECK_PORT:-8040}"
DB=ptce_serve_check
export DJANGO_SETTINGS_MODULE=ptce_portal.settings.production
export SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DATABASE_URL="postgres://ptce@127.0.0.1:5432/$DB"
export REDIS_URL=redis://127.0.0.1:6379/7
export ALLOWED_HOSTS=127.0.0.1,localhost
export RELEASE="ci-$(git rev-parse --short HEAD 2>/dev/null || echo local)"

.venv/bin/python -c "import redis; redis.Redis.from_url('$REDIS_URL').flushdb()"
dropdb -h 127.0.0.1 -U ptce --if-exists "$DB"
createdb -h 127.0.0.1 -U ptce "$DB"

server=""
cleanup() {
  # make and gunicorn run in their own process group: stop all of it.
  if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  dropdb -h 127.0.0.1 -U ptce --if-exists --force "$DB" || true
  .venv/bin/python -c "import redis; redis.Redis.from_url('$REDIS_URL').flushdb()" || true
}
trap cleanup EXIT

echo "--- check --deploy (warnings are errors)"
.venv/bin/python -W error manage.py check --deploy --fail-level WARNING
echo "--- collectstatic"
rm -rf staticfiles
.venv/bin/python manage.py collectstatic --noinput -v 0
echo "--- migrate and load the first content"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py bootstrap_portal > /dev/null
echo "--- make serve"
setsid make --no-print-directory serve HOST=127.0.0.1 PORT="$PORT" WEB_CONCURRENCY=2 \
  > serve-check.log 2>&1 &
server=$!
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1; then break; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/readyz" || { cat serve-check.log; exit 1; }
echo
echo "--- pages, headers, load"
if ! .venv/bin/python scripts/ci/serve_check.py "http://127.0.0.1:$PORT" --seconds 15; then
  tail -n 50 serve-check.log
  exit 1
fi
