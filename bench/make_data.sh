#!/usr/bin/env bash
# Build the benchmark database: 100,000 defects with ~5 comments each (about a minute).
# Usage: bench/make_data.sh [dbname]   (default bott_bench, on the local PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-bott_bench}"
base="${BENCH_PG:-postgres://postgres:postgres@127.0.0.1:5432}"
psql "$base/postgres" -q -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\""
export DATABASE_URL="$base/$db"
.venv/bin/python manage.py migrate --noinput -v0
time .venv/bin/python manage.py seed_demo --defects "${DEFECTS:-100000}"
psql "$DATABASE_URL" -q -c "VACUUM ANALYZE"
