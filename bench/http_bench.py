"""Pages over HTTP as users get them: gunicorn as in production, on a seeded data set (issue 17).

Run through ``bench/http_bench [dbname]`` (seeds the database if it has no defects). Starts
gunicorn (gthread, DEBUG off, WhiteNoise, Redis cache) on loopback, logs a management user in
(a session cookie), then per page: ``WARMUP`` requests, ``REQUESTS`` sequential ones timed
(p50/p95, bytes), the SQL queries one request runs (counted in-process), and the throughput at
10 connections with ``wrk`` when it is installed. Writes bench/results/http.{md,json} with the
machine's load average before and after: on a shared machine the times are upper bounds.
"""

import http.client
import json
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.harness import RESULTS, management_user, setup_django

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("PORT", "8766"))
WORKERS = os.environ.get("WORKERS", "2")
THREADS = os.environ.get("THREADS", "2")
REQUESTS = int(os.environ.get("REQUESTS", "40"))
WARMUP = 3
WRK_SECONDS = os.environ.get("WRK_SECONDS", "10")
EXPORT_RUNS = 3
HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
# HTTP_BENCH_AFTER_WRITE=1: every timed request is the first reader after a write. Before each,
# the data version moves as any committed write to a cached table moves it (migration 0011):
# the cached page parts are rebuilt, the choice lists kept under the reference version (0017)
# are not. wrk is skipped in this mode, since it cannot write between its requests.
AFTER_WRITE = os.environ.get("HTTP_BENCH_AFTER_WRITE") == "1"


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _pages() -> list[tuple[str, str]]:
    """(name, path with query) for every page the issue's table names."""
    from django.db.models import Count
    from django.urls import reverse

    from issues.models import Area, Defect

    busy = (
        Defect.objects.filter(pk__in=Defect.objects.order_by("pk").values("pk")[:3000])
        .annotate(n=Count("comments"))
        .filter(n__gte=20, n__lte=40)
        .order_by("-n")
        .first()
    ) or Defect.objects.order_by("pk").first()
    assert busy is not None
    area = Area.objects.order_by("pk").values_list("pk", flat=True)[0]
    queue = reverse("issues:triage_queue")
    areas = "&".join(
        f"area={pk}"
        for pk in Area.objects.filter(code__in=["PROSJEKT", "BUDSJETT"]).values_list(
            "pk", flat=True
        )
    )
    return [
        ("triage queue, 50 rows", f"{queue}?size=50"),
        (
            "triage queue, tier + status + area",
            f"{queue}?tier=1&status=reported_to_dfo&area={area}",
        ),
        ("triage queue, ?q=faktura", f"{queue}?q=faktura"),
        ("defect page", reverse("issues:defect_detail", args=[busy.pk])),
        ("triage page of a defect", reverse("issues:triage_defect", args=[busy.pk])),
        ("API list", "/api/v1/defects/"),
        ("known defects", reverse("issues:home")),
        ("known defects, ?q=faktura", f"{reverse('issues:home')}?q=faktura"),
        # A reporter sees the non-confidential defects and their own: other SQL, other caching.
        ("known defects (reporter)", f"{REPORTER}{reverse('issues:home')}"),
        ("known defects, ?q=faktura (reporter)", f"{REPORTER}{reverse('issues:home')}?q=faktura"),
        ("dashboard (reporter)", f"{REPORTER}{reverse('issues:dashboard')}"),
        ("meeting view", reverse("issues:triage_meeting")),
        ("dashboard", reverse("issues:dashboard")),
        ("CSV, every defect", reverse("issues:export", args=["csv"])),
        ("XLSX, area PROSJEKT + BUDSJETT", f"{reverse('issues:export', args=['xlsx'])}?{areas}"),
    ]


# Marks a page in _pages() as one to measure as a reporter.
REPORTER = "reporter:"


def _get(path: str, cookie: str) -> tuple[float, int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
    started = time.perf_counter()
    conn.request("GET", path, headers={**HEADERS, "Cookie": cookie})
    response = conn.getresponse()
    size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return elapsed, response.status, size


def _write_happened() -> None:
    if not AFTER_WRITE:
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('issues_data_version')")


def _queries(path: str, user: Any) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    client.get(path)
    _write_happened()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:  # type: ignore[attr-defined]
                pass
    return len(captured)


def _wrk(path: str, cookie: str) -> float | None:
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c10",
            f"-d{WRK_SECONDS}s",
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "X-Forwarded-Proto: https",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("Requests/sec:"))
    return float(line.split()[1])


def _measure(name: str, path: str, cookie: str, user: Any) -> dict[str, Any]:
    export = "/eksport/" in path
    runs = EXPORT_RUNS if export else REQUESTS
    for _ in range(1 if export else WARMUP):
        _write_happened()
        _get(path, cookie)
    times, sizes, statuses = [], [], set()
    for _ in range(runs):
        _write_happened()
        ms, status, size = _get(path, cookie)
        times.append(ms)
        sizes.append(size)
        statuses.add(status)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return {
        "page": name,
        "path": path,
        "n": runs,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "bytes": int(statistics.median(sizes)),
        "status": sorted(statuses),
        "queries": _queries(path, user),
        "rps_10_connections": None if export or AFTER_WRITE else _wrk(path, cookie),
    }


def _start_gunicorn(env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = (RESULTS / "http-gunicorn.log").open("wb")
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bott_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--worker-class",
            "gthread",
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
            "--timeout",
            "60",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            _get("/login/", "")
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def _reporter() -> Any:
    """A reporter with confidential defects of their own (the seed's rekvirent1.uio if there)."""
    from django.db.models import Count, Q

    from issues import permissions
    from issues.models import User

    return (
        User.objects.filter(is_active=True)
        .exclude(groups__name__in=[permissions.GROUP_MANAGEMENT, permissions.GROUP_LIAISON])
        .annotate(own=Count("reported_defects", filter=Q(reported_defects__confidential=True)))
        .order_by("-own", "username")
        .first()
    )


def main() -> None:
    setup_django()
    from django.test import Client

    from issues.models import Defect

    user = management_user(username="bench-forvaltning", password="bench-password-1")
    reporter = _reporter()
    cookies = {}
    for who in (user, reporter):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(who)
        cookies[who.pk] = f"sessionid={client.cookies['sessionid'].value}"
    defects = Defect.objects.count()
    pages = _pages()
    proc = _start_gunicorn(dict(os.environ))
    load_before = _load()
    try:
        rows = []
        for name, marked in pages:
            who = reporter if marked.startswith(REPORTER) else user
            path = marked.removeprefix(REPORTER)
            rows.append(_measure(name, path, cookies[who.pk], who))
    finally:
        proc.terminate()
        proc.wait(30)
    load_after = _load()
    _write(rows, defects=defects, load_before=load_before, load_after=load_after)


def _mode() -> str:
    if os.environ.get("PAGE_CACHE", "").lower() in ("false", "0", "no"):
        return "no page cache (PAGE_CACHE=false: every part rendered, as when Redis is down)"
    if AFTER_WRITE:
        return "after a write (the data version moved before every timed request)"
    return "cached (the page parts in the cache, as for every reader but the first)"


def _write(rows: list[dict[str, Any]], *, defects: int, load_before: str, load_after: str) -> None:
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "defects": defects,
        "gunicorn": f"gthread, {WORKERS} workers x {THREADS} threads, DEBUG off",
        "requests_per_page": REQUESTS,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "cpus": os.cpu_count(),
        "mode": _mode(),
    }
    label = os.environ.get("HTTP_BENCH_LABEL", f"{defects}")
    (RESULTS / f"http-{label}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    lines = [
        f"## {defects:,} defects — {meta['when']}",
        "",
        f"Mode: {meta['mode']}.",
        "",
        f"gunicorn {meta['gunicorn']}; {REQUESTS} sequential requests per page after {WARMUP} "
        f"warm-up ({EXPORT_RUNS} for exports); req/s with wrk, 10 connections, {WRK_SECONDS} s. "
        f"Load average (1/5/15 min) before {load_before}, after {load_after} on {meta['cpus']} "
        "CPUs shared with other work: the times are upper bounds.",
        "",
        "| page | p50 ms | p95 ms | bytes | queries | req/s @10 | status |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        rps = "" if r["rps_10_connections"] is None else f"{r['rps_10_connections']:.1f}"
        lines.append(
            f"| {r['page']} | {r['p50_ms']} | {r['p95_ms']} | {r['bytes']:,} | {r['queries']} "
            f"| {rps} | {','.join(map(str, r['status']))} |"
        )
    out = RESULTS / f"http-{label}.md"
    out.write_text("\n".join(lines) + "\n")
    print(out.read_text())


if __name__ == "__main__":
    main()
