#!/usr/bin/env bash
# The API v1 against its own OpenAPI schema: schemathesis generates requests from
# /api/v1/schema/ (valid and invalid values of every parameter) and fails on any server
# error (5xx) or any answer that contradicts the schema (status code, content type, body).
# A throw-away SQLite database seeded with `bootstrap_portal` (the real territories and
# PTCEs), served by `manage.py runserver` with DEBUG off and the rate limit lifted.
#
#   bash scripts/ci/schemathesis_check.sh            # about 25 examples per operation
#   SCHEMATHESIS_EXAMPLES=100 bash scripts/ci/schemathesis_check.sh
#
# Run from anywhere after `make install`.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT="${SCHEMATHESIS_PORT:-8061}"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-25}"
work="$(mktemp -d /tmp/ptce-schemathesis.XXXXXX)"
export DJANGO_SETTINGS_MODULE=ptce_portal.settings.base
export DATABASE_URL="sqlite:///$work/db.sqlite3"
export DEBUG=0
export ALLOWED_HOSTS=127.0.0.1
export API_RATE_LIMIT=1000000
export REDIS_URL=""

server=""
cleanup() {
  if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "--- a seeded database ($work)"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py bootstrap_portal > /dev/null

echo "--- the server on 127.0.0.1:$PORT"
setsid .venv/bin/python manage.py runserver --noreload "127.0.0.1:$PORT" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/v1/schema/" || { cat "$work/server.log"; exit 1; }

echo "--- schemathesis ($EXAMPLES examples per operation)"
status=0
root="$(pwd)"
# From the temporary folder: schemathesis keeps its cache (.schemathesis/) in the current one.
(cd "$work" && "$root/.venv/bin/schemathesis" run "http://127.0.0.1:$PORT/api/v1/schema/" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" \
  --workers 2 \
  --request-timeout 30 \
  --generation-database none \
  --no-color) || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (tail)"
  tail -n 60 "$work/server.log"
fi
exit "$status"
