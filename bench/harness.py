"""In-process timing of Django views/endpoints against the 100,000-defect data set.

Timings and query counts go to bench/results/; they are never pass/fail. Run through
``make bench`` or ``python -m bench.<module>`` with DATABASE_URL pointing at the bench database
(see bench/README.md).
"""

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from issues.models import User

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bott_tracker.settings")
    import django

    django.setup()


def management_user(*, username: str, password: str) -> "User":
    """An active member of the management team, created as ``username`` if there is none."""
    from django.contrib.auth.models import Group

    from issues.models import User
    from issues.permissions import GROUP_MANAGEMENT

    user = User.objects.filter(groups__name=GROUP_MANAGEMENT, is_active=True).first()
    if user is None:
        user = User.objects.create_user(username=username, password=password)
        user.groups.add(Group.objects.get(name=GROUP_MANAGEMENT))
    return user


@dataclass
class Measurement:
    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries_per_request: float
    status: int


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def measure(
    name: str, call: Callable[[], Any], *, requests: int = 50, warmup: int = 3
) -> Measurement:
    """Time ``call`` (which returns a response) ``requests`` times; count SQL queries per call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        call()
    timings: list[float] = []
    queries: list[int] = []
    status = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = call()
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
        status = getattr(response, "status_code", 0)
    return Measurement(
        name=name,
        requests=requests,
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(_percentile(timings, 95), 1),
        max_ms=round(max(timings), 1),
        queries_per_request=round(statistics.mean(queries), 1),
        status=status,
    )


def write_results(suite: str, rows: list[Measurement], extra: dict[str, Any] | None = None) -> Path:
    """Write JSON and a Markdown table to bench/results/<suite>.{json,md}; print the table."""
    from django.db import connection

    RESULTS.mkdir(exist_ok=True)
    meta = {
        "suite": suite,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "database": connection.vendor,
        **(extra or {}),
    }
    (RESULTS / f"{suite}.json").write_text(
        json.dumps({"meta": meta, "rows": [asdict(r) for r in rows]}, indent=2) + "\n"
    )
    lines = [
        f"# {suite}",
        "",
        " ".join(f"{k}={v}" for k, v in meta.items()),
        "",
        "| what | n | p50 ms | p95 ms | max ms | queries/request | status |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {r.name} | {r.requests} | {r.p50_ms} | {r.p95_ms} | {r.max_ms} | "
            f"{r.queries_per_request} | {r.status} |"
            for r in rows
        ),
    ]
    path = RESULTS / f"{suite}.md"
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return path
