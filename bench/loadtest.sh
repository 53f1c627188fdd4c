#!/usr/bin/env bash
# Load test on loopback: gunicorn (production settings) + PostgreSQL + Redis, locust headless.
# Usage: bench/loadtest.sh [dbname]   (default bott_bench_copy; a 100,000-defect copy, migrated)
# Env: USERS (50), SPAWN_RATE (10), RUN_TIME (60s), WORKERS (4), THREADS (2), PORT (8765),
#      REDIS_URL (redis://127.0.0.1:6379/0), THINK_MIN/THINK_MAX (0/0 s between a user's requests),
#      NAME (loadtest). Results: bench/results/$NAME.{md,json} + CSVs.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-bott_bench_copy}"
port="${PORT:-8765}"
results=bench/results
name="${NAME:-loadtest}"
mkdir -p "$results"
export DATABASE_URL="${BENCH_PG:-postgres://postgres:postgres@127.0.0.1:5432}/$db"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false LOG_LEVEL=WARNING
export SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')"
export CONN_MAX_AGE=60 TRUSTED_PROXY_COUNT=0
# Every simulated user logs in from 127.0.0.1; the address limit is for the internet.
export LOGIN_THROTTLE_ADDRESS_LIMIT=100000

.venv/bin/python manage.py collectstatic --noinput -v0  # WhiteNoise's manifest, as in production
.venv/bin/python -m bench.loadtest plan "$results/loadtest-plan.json"
.venv/bin/gunicorn bott_tracker.wsgi --bind "127.0.0.1:$port" \
    --workers "${WORKERS:-4}" --threads "${THREADS:-2}" --worker-class gthread \
    --access-logfile /dev/null --error-logfile "$results/loadtest-gunicorn.log" &
gunicorn_pid=$!
trap 'kill "$gunicorn_pid" 2>/dev/null; wait "$gunicorn_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 60); do
    curl -fsS -o /dev/null -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$port/login/" && break
    sleep 1
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
LOADTEST_TIMINGS="$results/$name-timings.tmp" \
LOADTEST_PLAN="$results/loadtest-plan.json" .venv/bin/locust -f bench/loadtest.py --headless \
    --host "http://127.0.0.1:$port" -u "${USERS:-50}" -r "${SPAWN_RATE:-10}" \
    --run-time "${RUN_TIME:-60s}" --stop-timeout 10 --csv "$results/$name" \
    --only-summary --exit-code-on-error 0 2>&1 | tail -40

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
.venv/bin/python - "$results" "$db" "${USERS:-50}" "${WORKERS:-4}" "${THREADS:-2}" \
    "$load_before" "$load_after" "${RUN_TIME:-60s}" "$name" "${THINK_MIN:-0}-${THINK_MAX:-0} s" <<'PY'
import csv, json, os, sys, time
from pathlib import Path
results, db, users, workers, threads, before, after, run_time, name, think = Path(sys.argv[1]), *sys.argv[2:]
rows = list(csv.DictReader((results / f"{name}_stats.csv").open()))
for r in rows:  # whole numbers read better; locust writes floats with 15 digits
    for k in ("Requests/s", "Max Response Time"):
        r[k] = f"{float(r[k]):.1f}"
keys = ["Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%", "99%", "Max Response Time"]
table = [{k: r[k] for k in keys} for r in rows]
meta = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "database": db,
        "users": users, "think_time": think, "run_time": run_time, "cpus": os.cpu_count(),
        "gunicorn": f"{workers} workers x {threads} threads (gthread)",
        "loadavg_before": before, "loadavg_after": after}
timings = json.loads((results / f"{name}-timings.tmp").read_text())
ms = sorted(t[1] for t in timings)
pct = lambda p: round(ms[min(len(ms) - 1, int(p / 100 * len(ms)))]) if ms else 0
span = (max(t[0] for t in timings) - min(t[0] for t in timings)) if timings else 0
steady = {"requests": len(ms), "errors": sum(1 for t in timings if t[2]),
          "req_per_s": round(len(ms) / span, 1) if span else 0,
          "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99)}
(results / f"{name}.json").write_text(
    json.dumps({"meta": meta, "pages_and_api": steady, "rows": table}, indent=1) + "\n")
lines = ["# Load test", "", " ".join(f"{k}={v}" for k, v in meta.items()), "",
         "Pages and API without the logins: " + ", ".join(f"{k}={v}" for k, v in steady.items()), "",
         "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
lines += ["| " + " | ".join(r[k] for k in keys) + " |" for r in table]
(results / f"{name}.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY
