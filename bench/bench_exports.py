"""Exports against the 100,000-defect data set: CSV streaming of every row, XLSX of ~10,000 rows.

Run: DATABASE_URL=postgres://.../bott_bench_<copy> python -m bench.bench_exports
Writes bench/results/bench_exports.{json,md}. Peak memory is Python's own allocations during one
export (tracemalloc, measured in a separate pass because tracing slows the code down), plus the
process's max RSS. Wall-clock times depend on what else runs on the machine; the CPU seconds of
this process are reported too.
"""

import io
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bench.harness import management_user, measure, setup_django, write_results

XLSX_ROWS = 10_000


def _peak_mib(call: Callable[[], Any]) -> tuple[float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    call()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1), round(seconds, 2)


def _median_cpu_seconds(call: Callable[[], Any], runs: int = 3) -> float:
    seconds = []
    for _ in range(runs):
        started = time.process_time()
        call()
        seconds.append(time.process_time() - started)
    return round(sorted(seconds)[runs // 2], 2)


def _area_ids(*codes: str) -> list[str]:
    from issues.models import Area

    return [str(a) for a in Area.objects.filter(code__in=codes).values_list("pk", flat=True)]


def main() -> None:
    setup_django()
    from django.test import Client

    from issues import exports
    from issues.selectors.defects import defect_list

    user = management_user(username="bench-forvaltning", password="bench-password-1")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    area_ids = _area_ids("PROSJEKT", "BUDSJETT")

    csv_rows = 0

    def csv_all() -> Any:
        nonlocal csv_rows
        response = client.get("/eskalering/eksport/csv/")
        lines = 0
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            lines += chunk.count(b"\r\n")
        csv_rows = lines - 1
        return response

    def xlsx_filtered() -> Any:
        return client.get("/eskalering/eksport/xlsx/", {"area": area_ids})

    def xlsx_direct_10k() -> Any:
        queryset = defect_list(user=user)[:XLSX_ROWS]
        buffer = io.BytesIO()
        exports.write_xlsx(exports.export_rows(queryset), buffer, "Saker")
        return buffer

    rows = [
        measure("CSV, all 100,000 defects (streamed view)", csv_all, requests=3, warmup=1),
        measure("XLSX, area PROSJEKT+BUDSJETT (view)", xlsx_filtered, requests=3, warmup=1),
        measure(f"XLSX writer, exactly {XLSX_ROWS} rows", xlsx_direct_10k, requests=3, warmup=1),
    ]
    # The machine is shared: CPU time of this process is the fairer "how long on an idle core".
    cpu = {
        name: _median_cpu_seconds(call)
        for name, call in (("csv_100k", csv_all), ("xlsx_10k", xlsx_direct_10k))
    }
    xlsx_view_rows = len(defect_list(user=user, filters={"area": area_ids}))
    csv_peak, csv_traced_s = _peak_mib(csv_all)
    xlsx_peak, xlsx_traced_s = _peak_mib(xlsx_direct_10k)
    write_results(
        "bench_exports",
        rows,
        extra={
            "csv_rows": csv_rows,
            "csv_peak_python_mib": csv_peak,
            "xlsx_view_rows": xlsx_view_rows,
            "xlsx_10k_peak_python_mib": xlsx_peak,
            "traced_pass_seconds": f"csv={csv_traced_s} xlsx={xlsx_traced_s}",
            "cpu_seconds_median": f"csv_100k={cpu['csv_100k']} xlsx_10k={cpu['xlsx_10k']}",
            "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        },
    )


if __name__ == "__main__":
    main()
