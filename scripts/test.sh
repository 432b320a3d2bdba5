#!/usr/bin/env bash
# Install everything and run the whole test suite (the second README command; CI runs it too).
#   1. lint (ruff check, ruff format --check) and types (mypy --strict on assessments/, mypy on app/)
#   2. the suite on SQLite, real-browser tests included (CERTREADY_REQUIRE_BROWSER=1)
#   3. the database-backed tests again on a throwaway PostgreSQL cluster
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k scoring`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== mypy --strict (the pure domain, assessments/)"
.venv/bin/mypy --strict assessments

echo "== mypy (the web layer, app/)"
.venv/bin/mypy app

export CERTREADY_REQUIRE_BROWSER=${CERTREADY_REQUIRE_BROWSER:-1}
# Every instance folder, secret key and report cache the tests make lives here and goes away after.
work=$(mktemp -d)
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
cleanup() {
  if [ -n "${pg_bin:-}" ] && [ -f "$work/pg/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== tests on SQLite"
.venv/bin/pytest -p no:cacheprovider -n auto "$@"

echo "== tests on PostgreSQL"
port=55432
mkdir -p "$work/pg" "$work/pg-socket"
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$work/pg" "$work/pg-socket"
  as_postgres=(runuser -u postgres --)
fi
"${as_postgres[@]}" "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres -E UTF8 >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg-socket/log" -w \
  -o "-p $port -k $work/pg-socket -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
"${as_postgres[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres certready_test
export CERTREADY_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/certready_test"
.venv/bin/pytest -p no:cacheprovider -n auto -m "not browser" tests/app "$@"
