"""The SQL behind the slow pages: every query a page runs, timed, and the plans of the slowest.

Run: DATABASE_URL=postgres://.../<bench db> python -m bench.explain_pages [label]
Writes bench/results/explain_<label>.md: per page the queries with their time, then
``EXPLAIN (ANALYZE, BUFFERS)`` of each query over ``SLOW_MS``. Issue 17: before/after for indexes.
"""

import sys
import time
from collections.abc import Callable
from typing import Any

from bench.harness import RESULTS, management_user, setup_django

SLOW_MS = 5.0
WARMUP = 2


def _pages() -> list[tuple[str, str, dict[str, str]]]:
    from django.urls import reverse

    from issues.models import Area

    area_id = str(Area.objects.order_by("pk").values_list("pk", flat=True)[0])
    queue = reverse("issues:triage_queue")
    return [
        ("triage queue", queue, {}),
        (
            "triage queue, tier + status + area",
            queue,
            {"tier": "1", "status": "reported_to_dfo", "area": area_id},
        ),
        ("triage queue, ?q=faktura", queue, {"q": "faktura"}),
        ("known defects, ?q=faktura", reverse("issues:home"), {"q": "faktura"}),
        ("dashboard", reverse("issues:dashboard"), {}),
        ("meeting view", reverse("issues:triage_meeting"), {}),
    ]


class Recorder:
    def __init__(self) -> None:
        self.queries: list[tuple[float, str, Any]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))


def _explain(sql: str, params: Any) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client

    label = sys.argv[1] if len(sys.argv) > 1 else "pages"
    user = management_user(username="bench-forvaltning", password="bench-password-1")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    lines = [f"# SQL of the slow pages ({label})", ""]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM issues_defect")
        lines.append(f"defects: {cursor.fetchone()[0]}")
    for name, url, params in _pages():
        for _ in range(WARMUP):
            client.get(url, params)
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            started = time.perf_counter()
            status = client.get(url, params).status_code
            total = (time.perf_counter() - started) * 1000
        sql_ms = sum(q[0] for q in recorder.queries)
        lines += ["", f"## {name} — {url} {params}", ""]
        lines.append(
            f"status {status}, {total:.0f} ms in-process, {len(recorder.queries)} queries, "
            f"{sql_ms:.1f} ms SQL"
        )
        lines += ["", "| ms | query |", "|---|---|"]
        for ms, sql, _params in sorted(recorder.queries, reverse=True)[:8]:
            lines.append(f"| {ms:.1f} | `{sql[:160].replace('|', '/')}` |")
        for ms, sql, qparams in sorted(recorder.queries, reverse=True):
            if ms < SLOW_MS:
                break
            lines += ["", f"### {ms:.1f} ms", "", "```", sql, "", _explain(sql, qparams), "```"]
    (RESULTS / f"explain_{label}.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS / f'explain_{label}.md'}")


if __name__ == "__main__":
    main()
