"""Import of a 10,000-row XLSX against the 100,000-defect data set (issue 14).

Run: DATABASE_URL=postgres://.../bott_import_bench python -m bench.bench_import
Measures the dry run (read + validate every row + duplicate lookups), the dry-run page (the same
plus rendering), and the confirmed import (one transaction, rolled back afterwards so the data
set stays as it was). Peak memory: Python's own allocations (tracemalloc, a separate pass because
tracing slows the code down) and the process's max RSS. The machine's load average is recorded:
wall-clock times on a shared machine say as much about the neighbours as about the code.
"""

import json
import os
import random
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness import RESULTS, setup_django

ROWS = 10_000
# A legacy list: mostly open defects not yet triaged; some already reported to DFØ (each of
# those goes through two workflow steps), a few with a DFØ reference.
REPORTED_SHARE = 0.05
WITH_REFERENCE_SHARE = 0.10
SEED = 14
NEXT_YEAR = time.localtime().tm_year + 1


def _rows() -> list[list[Any]]:
    from issues.models import Area
    from priorities.rules import FACTS

    rng = random.Random(SEED)
    areas = list(Area.objects.values_list("code", flat=True))
    words = [
        "faktura",
        "ordre",
        "lønn",
        "tilgang",
        "rapport",
        "budsjett",
        "prosjekt",
        "timeliste",
        "attestasjon",
    ]
    headers = [
        "Tittel",
        "Beskrivelse",
        "Område",
        "Institusjon",
        "Status",
        "DFØ-referanse",
        "Frist",
        "Ekstra timer per uke",
        "Berørte personer",
        *(f.question_nb for f in FACTS),
    ]
    rows: list[list[Any]] = [headers]
    for n in range(ROWS):
        title = f"{' '.join(rng.sample(words, 3)).capitalize()} (import {n})"
        rows.append(
            [
                title,
                "Beskrevet i regnearket fra universitetet. " * rng.randint(1, 6),
                rng.choice(areas),
                rng.choice(["UiO", "UiB", "NTNU", "UiT"]),
                "Meldt til DFØ" if rng.random() < REPORTED_SHARE else "Ny",
                f"BENCH-{n}" if rng.random() < WITH_REFERENCE_SHARE else "",
                # Deadlines ahead: the report form (and so the import) refuses past ones.
                f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{NEXT_YEAR}",
                f"{rng.randint(0, 20)},{rng.choice([0, 5])}",
                rng.randint(1, 200),
                *(rng.choice(["Ja", "Nei", "Nei", "Nei"]) for _f in FACTS),
            ]
        )
    return rows


def _write_file(path: Path, *, as_excel: bool = True) -> Path:
    """The legacy list. ``as_excel``: laid out as Excel writes a workbook (shared strings, the
    sheet's size up front), here by XlsxWriter. Otherwise openpyxl's write-only mode: every text
    inline in its cell and no ``<dimension>``, the slowest file for openpyxl's reader (it parses
    the sheet once more to look for the size, and each inline string through its object model)."""
    rows = _rows()
    if as_excel:
        import xlsxwriter

        with xlsxwriter.Workbook(str(path)) as book:
            sheet = book.add_worksheet("Feil")
            for number, values in enumerate(rows):
                sheet.write_row(number, 0, values)
        return path
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Feil")
    for values in rows:
        ws.append(values)
    wb.save(path)
    return path


CPU_SECONDS: dict[str, float] = {}


def _timed(call: Callable[[], Any], cpu_label: str = "") -> tuple[float, Any]:
    """Wall-clock seconds of ``call``; with ``cpu_label``, also this process's CPU seconds (on a
    shared machine the wall clock includes waiting for a core; the CPU time does not)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = call()
    if cpu_label:
        CPU_SECONDS[cpu_label] = round(time.process_time() - cpu, 2)
    return round(time.perf_counter() - started, 2), result


def _peak_mib(call: Callable[[], Any]) -> float:
    tracemalloc.start()
    call()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def main() -> None:
    setup_django()
    from django.contrib.auth.models import Group
    from django.core.files import File
    from django.test import Client
    from django.urls import reverse

    from issues.imports import DEFECT_FIELDS, guess_columns
    from issues.models import Defect, ImportKind, User
    from issues.permissions import GROUP_MANAGEMENT
    from issues.selectors.imports import ImportMapping
    from issues.services.imports import defects_dry_run, upload_store
    from issues.spreadsheets import read_table

    user, _created = User.objects.get_or_create(username="bench-import")
    user.groups.add(Group.objects.get(name=GROUP_MANAGEMENT))
    existing = Defect.objects.count()
    load_before = os.getloadavg()
    path = _write_file(Path(tempfile.mkdtemp()) / "bench-import.xlsx")
    with path.open("rb") as handle:
        upload = upload_store(user=user, kind=ImportKind.DEFECTS, file=File(handle), name=path.name)
    mapping = ImportMapping(guess_columns(read_table(path, path.name).headers, DEFECT_FIELDS))

    read_s, _table = _timed(lambda: read_table(path, path.name), "read_xlsx_cpu_s")
    unsized = _write_file(path.with_name("bench-import-unsized.xlsx"), as_excel=False)
    read_unsized_s, _table = _timed(lambda: read_table(unsized, unsized.name))
    dry_s, plan = _timed(
        lambda: defects_dry_run(actor=user, upload=upload, mapping=mapping), "dry_run_cpu_s"
    )
    dry_peak = _peak_mib(lambda: defects_dry_run(actor=user, upload=upload, mapping=mapping))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    page_url = reverse("issues:import_mapping", args=[upload.pk])
    page_s, response = _timed(lambda: client.get(page_url))
    import_s, created, import_peak = _import_rolled_back(user, upload, mapping, plan)
    rows = {
        "rows": ROWS,
        "existing_defects": existing,
        "dry_run_errors": len(plan.error_rows),
        "to_create": len(plan.to_create),
        "created": created,
        "file_mib": round(path.stat().st_size / 2**20, 2),
        "read_xlsx_s": read_s,
        "read_xlsx_without_dimension_s": read_unsized_s,
        "dry_run_s": dry_s,
        "dry_run_page_s": page_s,
        "dry_run_page_status": response.status_code,
        "dry_run_page_kib": round(len(response.content) / 1024),
        "import_writes_s": import_s,
        "confirm_request_s (dry run + writes)": round(dry_s + import_s, 2),
        **CPU_SECONDS,
        "dry_run_peak_tracemalloc_mib": dry_peak,
        "import_peak_tracemalloc_mib": import_peak,
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    _write(rows)


def _import_rolled_back(
    user: Any, upload: Any, mapping: Any, plan: Any
) -> tuple[float, int, float]:
    """Time the writes of the confirmed import (given the dry run the confirming request has just
    made, as the page and the command do), then measure peak memory; both rolled back."""
    from django.db import transaction

    from issues.models import Defect
    from issues.services.imports import defects_import

    with transaction.atomic():
        seconds, result = _timed(
            lambda: defects_import(actor=user, upload=upload, mapping=mapping, plan=plan),
            "import_writes_cpu_s",
        )
        created = Defect.objects.filter(import_source__batch=result.batch).count()
        transaction.set_rollback(True)
    with transaction.atomic():
        peak = _peak_mib(
            lambda: defects_import(actor=user, upload=upload, mapping=mapping, plan=plan)
        )
        transaction.set_rollback(True)
    return seconds, created, peak


def _write(rows: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "import.json").write_text(json.dumps(rows, indent=2) + "\n")
    lines = [
        "# import (issue 14)",
        "",
        f"{rows['rows']}-row XLSX ({rows['file_mib']} MiB) against {rows['existing_defects']} "
        f"existing defects on PostgreSQL; {rows['cpu_count']} CPUs shared with other work, "
        f"load average {rows['load_average_before']} before and {rows['load_average_after']} "
        "after. The import ran in a transaction rolled back afterwards.",
        "",
        "| what | value |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in rows.items()),
    ]
    (RESULTS / "import.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
