"""Writes for exports: every export is logged (and audited) before it is streamed or built.

An export of more rows than ``SYNC_MAX_ROWS`` allows for its format is built by
a Celery job into a file (``export_job_run``): it is complete, with as many rows as the query
counted in the same snapshot, or marked failed. A streamed response cut off half way would be a
200 with part of the rows.
"""

import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone, translation

from issues import exports, exports_sql, permissions
from issues.models import Defect, ExportFormat, ExportLog, ExportState, User
from issues.personal_data import mask
from issues.selectors.defects import defect_list
from issues.services.audit import EXPORT, audit_record

logger = logging.getLogger(__name__)

# Exports of more rows than this are built by a job; smaller ones stream at once. At 100,000
# defects the CSV takes ~4 s and 10,000 XLSX rows ~1.5 s: both limits keep a request well inside
# the server's timeout. ``settings.EXPORT_SYNC_MAX_ROWS`` overrides them (settings.py is at its
# size limit, so they live here).
SYNC_MAX_ROWS = {"csv": 150_000, "xlsx": 20_000}
PROGRESS_EVERY = 5000
PROGRESS_TTL = 24 * 3600


def _progress_key(export_id: int) -> str:
    return f"export-progress-{export_id}"


def export_progress(export_id: int) -> int | None:
    """Rows written so far by a running export job (kept in the cache, not in its snapshot)."""
    value = cache.get(_progress_key(export_id))
    return int(value) if value is not None else None


def export_runs_as_job(fmt: str, total: int) -> bool:
    limit = getattr(settings, "EXPORT_SYNC_MAX_ROWS", SYNC_MAX_ROWS).get(fmt)
    return limit is not None and total > limit


# --- exports -------------------------------------------------------------------------------------
def export_log(
    *, user: User, fmt: str, filters: Mapping[str, list[str]], queryset: QuerySet[Defect]
) -> ExportLog:
    """Record an export before it is streamed or queued; ``row_count`` is what it will contain.

    An export too large to stream is created QUEUED; ``export_job_queue`` starts its job.
    """
    if not permissions.can_export(user):
        raise PermissionDenied
    total = queryset.count()
    # A search box can hold anything a user typed, personal data included.
    safe_filters = {key: [mask(str(v)) for v in values] for key, values in filters.items()}
    state = ExportState.QUEUED if export_runs_as_job(fmt, total) else ExportState.STREAMED
    with transaction.atomic():
        log = ExportLog.objects.create(
            user=user, format=fmt, filters=safe_filters, row_count=total, state=state
        )
        audit_record(
            actor=user,
            action=EXPORT,
            target=f"export-{log.pk}",
            details={"format": fmt, "filters": safe_filters, "rows": total},
        )
    return log


def export_job_queue(*, log: ExportLog, params: Mapping[str, list[str]], language: str) -> None:
    """Queue the job that builds ``log``'s file from the filter ``params`` as the user gave them.

    The unmasked filter travels in the task message only; the log keeps the masked one.
    """
    from issues.tasks import export_build  # noqa: PLC0415 - tasks import the services

    args = (log.pk, {k: list(v) for k, v in params.items()}, language)
    transaction.on_commit(lambda: export_build.delay(*args))


def _counted(
    rows: Iterable[list[exports.Cell]], report: Callable[[int], None]
) -> Iterator[list[exports.Cell]]:
    count = 0
    for count, row in enumerate(rows, start=1):
        if count % PROGRESS_EVERY == 0:
            report(count)
        yield row
    report(count)


def _write(log: ExportLog, queryset: QuerySet[Defect], out: IO[bytes]) -> int:
    """Write the export to ``out``; returns the rows written."""
    written = 0

    def report(rows: int) -> None:
        nonlocal written
        written = rows
        cache.set(_progress_key(log.pk), rows, PROGRESS_TTL)

    if log.format == ExportFormat.XLSX:
        exports.write_xlsx(_counted(exports.export_rows(queryset), report), out, "Saker")
    elif exports_sql.copy_available():
        for chunk in exports_sql.csv_copy_chunks(queryset, progress=report):
            out.write(chunk)
    else:
        for line in exports.csv_chunks(_counted(exports.export_rows(queryset), report)):
            out.write(line.encode())
    return written


def _finish(log: ExportLog, **fields: object) -> None:
    ExportLog.objects.filter(pk=log.pk).update(finished_at=timezone.now(), **fields)
    cache.delete(_progress_key(log.pk))


def _build(log: ExportLog, query: QueryDict, out: IO[bytes]) -> tuple[int, int]:
    """Count and write in one snapshot; returns (rows counted, rows written)."""
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        queryset = defect_list(user=log.user, filters=query)
        expected = queryset.count()
        return expected, _write(log, queryset, out)


def export_job_run(*, export_id: int, params: Mapping[str, list[str]], language: str) -> str:
    """Build a queued export's file; returns its final state.

    The count and the rows come from one REPEATABLE READ snapshot: a different number of rows
    written than counted means something went wrong, and the export is marked failed, as it is
    on any error. A job whose worker died is run again when its message is redelivered.
    """
    log = ExportLog.objects.select_related("user").get(pk=export_id)
    if log.state not in (ExportState.QUEUED, ExportState.RUNNING):
        return str(log.state)
    ExportLog.objects.filter(pk=log.pk).update(state=ExportState.RUNNING)
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    try:
        with translation.override(language), tempfile.SpooledTemporaryFile(2**22) as out:
            expected, written = _build(log, query, out)
            if written != expected:
                logger.error("export %s: %s rows written, %s counted", log.pk, written, expected)
                _finish(log, state=ExportState.FAILED, rows_written=written, error="row count")
                return ExportState.FAILED
            out.seek(0)
            log.file.save(f"{uuid.uuid4().hex}.{log.format}", File(out), save=False)
    except Exception:
        logger.exception("export %s failed", log.pk)
        _finish(log, state=ExportState.FAILED, error="exception")
        raise
    _finish(
        log, state=ExportState.DONE, rows_written=written, row_count=expected, file=log.file.name
    )
    return ExportState.DONE
