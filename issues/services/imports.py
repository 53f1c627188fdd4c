"""Importing defect lists: keeping the uploaded file, and the confirmed import itself.

All or nothing: the whole import (batch row, defects, their history, status changes, follows,
source-row links, workflow steps, audit event) is one transaction; any error rolls all of it back.
Idempotent: a batch is unique per file hash, checked before and enforced by the database's unique
constraint inside the transaction, so importing the same file twice (even at the same moment)
creates nothing the second time.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from issues import permissions
from issues.errors import TransitionNotAllowed
from issues.hygiene import clean_instance
from issues.models import (
    Defect,
    DefectStatus,
    Follow,
    ImportBatch,
    ImportedDefect,
    ImportUpload,
    StatusChange,
    User,
)
from issues.personal_data import mask
from issues.selectors.imports import (
    DryRun,
    ImportMapping,
    PlannedRow,
    build_defect,
    dry_run,
    status_path,
)
from issues.services.audit import audit_record
from issues.services.defects import STATUS_FIELDS, apply_status, derive_fields
from issues.services.fixes import FOLLOW_UP_STATUSES, after_status_change
from issues.spreadsheets import SpreadsheetError, read_table

IMPORT_DEFECTS = "import.defects"
BULK_SIZE = 500
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    batch: ImportBatch
    created: bool  # False: this file had been imported before, nothing was written


def upload_store(*, user: User, kind: str, file: File, name: str) -> ImportUpload:
    """Keep an uploaded file under its SHA-256 until the user confirms (or abandons) the import."""
    if not permissions.may_import(user, kind):
        raise PermissionDenied
    size = file.size or 0
    if size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("Filen er større enn %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // 1024**2}
        )
    digest = hashlib.sha256()
    for chunk in file.chunks(HASH_CHUNK):
        digest.update(chunk)
    sha = digest.hexdigest()
    again = ImportUpload.objects.filter(kind=kind, sha256=sha, uploaded_by=user).first()
    if again is not None and default_storage.exists(again.stored_name):
        return again
    stored = f"imports/{sha}"
    if not default_storage.exists(stored):
        file.seek(0)
        stored = default_storage.save(stored, file)
    return ImportUpload.objects.create(
        kind=kind,
        sha256=sha,
        original_name=mask(Path(name).name)[:200],
        size=size,
        stored_name=stored,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )


def upload_path(upload: ImportUpload) -> Path:
    return Path(default_storage.path(upload.stored_name))


def previous_batch(upload: ImportUpload) -> ImportBatch | None:
    return ImportBatch.objects.filter(kind=upload.kind, sha256=upload.sha256).first()


def defects_dry_run(*, actor: User, upload: ImportUpload, mapping: ImportMapping) -> DryRun:
    """Read the stored file and plan every row. Raises SpreadsheetError for unreadable files."""
    if not permissions.is_management(actor):
        raise PermissionDenied
    table = read_table(upload_path(upload), upload.original_name)
    return dry_run(actor=actor, table=table, mapping=mapping)


def defects_import(
    *,
    actor: User,
    upload: ImportUpload,
    mapping: ImportMapping,
    plan: DryRun | None = None,
) -> ImportResult:
    """Import every valid row, or nothing: any row with an error refuses the whole file.

    ``plan`` is a dry run of this upload with this mapping made in the same request (the page and
    the command have just shown it); without it the file is planned here. A plan from an earlier
    request must not be passed: the database may have changed since the user saw it.
    """
    if not permissions.is_management(actor):
        raise PermissionDenied
    existing = previous_batch(upload)
    if existing is not None:
        return ImportResult(existing, created=False)
    if plan is None or plan.mapping != mapping:
        plan = defects_dry_run(actor=actor, upload=upload, mapping=mapping)
    if plan.error_rows:
        raise ValidationError(
            _("%(n)s rader har feil. Ingenting er importert.") % {"n": len(plan.error_rows)}
        )
    mapping_json = {**mapping.as_json(), "headers": plan.headers}

    def write(batch: ImportBatch) -> dict[str, object]:
        return {"created": _create_rows(actor, batch, plan.to_create), "skipped": len(plan.skipped)}

    return import_in_batch(
        actor=actor,
        upload=upload,
        row_count=len(plan.rows),
        mapping=mapping_json,
        action=IMPORT_DEFECTS,
        write=write,
    )


def import_in_batch(
    *,
    actor: User,
    upload: ImportUpload,
    row_count: int,
    mapping: dict[str, Any],
    action: str,
    write: Callable[[ImportBatch], dict[str, object]],
) -> ImportResult:
    """One transaction: the batch row for ``upload``, whatever ``write`` writes, and one audit event
    (file, hash, rows and the details ``write`` returns). Any exception rolls all of it back.

    If the same file was imported meanwhile, the batch's unique constraint fails: theirs stands,
    ours wrote nothing, and their batch is returned.
    """
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=upload.kind,
                sha256=upload.sha256,
                file_name=upload.original_name,
                row_count=row_count,
                created_by=actor,
                created_at=timezone.now(),
                mapping=mapping,
            )
            details = write(batch)
            audit_record(
                actor=actor,
                action=action,
                target=f"import:{batch.pk}",
                details={
                    "file": batch.file_name,
                    "sha256": batch.sha256,
                    "rows": batch.row_count,
                    **details,
                },
            )
    except IntegrityError:
        raced = previous_batch(upload)
        if raced is None:
            raise
        return ImportResult(raced, created=False)
    return ImportResult(batch, created=True)


def _create_rows(actor: User, batch: ImportBatch, rows: list[PlannedRow]) -> int:
    defects = defects_create_bulk(reporter=actor, items=[r.create for r in rows], extra=rows)
    ImportedDefect.objects.bulk_create(
        [
            ImportedDefect(batch=batch, defect=d, source_row=r.number)
            for d, r in zip(defects, rows, strict=True)
        ],
        batch_size=BULK_SIZE,
    )
    note = _("Importert fra %(file)s") % {"file": batch.file_name}
    defects_advance_bulk(
        actor=actor,
        steps=[
            (defect, status_path(row.status) or [], f"{note}, rad {row.number}")
            for defect, row in zip(defects, rows, strict=True)
        ],
    )
    return len(defects)


def defects_advance_bulk(*, actor: User, steps: list[tuple[Defect, list[str], str]]) -> None:
    """Many ``defect_transition`` calls, each (defect, its steps in order, note), in a few queries
    per step level: the same row values, a history row and a StatusChange per step (a test
    compares them). The history rows are written step by step; the defect rows once, at the end.

    Preconditions: the defects were just created in this transaction (nobody else holds or
    changed them) and their fields passed ``defect_create``'s validation (the database still
    enforces every constraint); each step is checked against the workflow here, as
    ``defect_transition`` checks it. No status mail rows are written (``services.outbox``): for a
    defect just reported by ``actor`` the only recipients (reporter, followers) are ``actor``, who
    is never told of their own change.
    """
    if not permissions.can_triage(actor):
        raise PermissionDenied
    paths = [(defect, path, mask(note)) for defect, path, note in steps]
    level = 0
    while moving := [(d, path[level], text) for d, path, text in paths if len(path) > level]:
        now = timezone.now()
        changes = []
        for defect, step, text in moving:
            allowed = permissions.allowed_transitions(actor, defect)
            if step not in allowed:
                raise TransitionNotAllowed(
                    from_status=defect.status, to_status=step, allowed=allowed
                )
            changes.append(
                StatusChange(
                    defect=defect,
                    from_status=defect.status,
                    to_status=step,
                    actor=actor,
                    at=now,
                    note=text,
                )
            )
            apply_status(defect, step, now)
        Defect.history.bulk_history_create(
            [d for d, _step, _text in moving],
            batch_size=BULK_SIZE,
            update=True,
            default_user=actor,
            default_change_reason=None,
            default_date=now,
        )
        StatusChange.objects.bulk_create(changes, batch_size=BULK_SIZE)
        # An imported "fixed" opens its confirmation round, as defect_transition's does.
        for change in changes:
            if change.to_status in FOLLOW_UP_STATUSES or change.from_status in FOLLOW_UP_STATUSES:
                after_status_change(change)
        level += 1
    # The rows themselves once, at their last step. Rows that took the same steps got the same
    # values (one time per step level), so an UPDATE per distinct path, not a CASE per row.
    finals: dict[tuple[object, ...], list[int]] = {}
    for defect, path, _text in paths:
        if path:
            values = tuple(getattr(defect, name) for name in STATUS_FIELDS)
            finals.setdefault(values, []).append(defect.pk)
    for values, pks in finals.items():
        Defect.objects.filter(pk__in=pks).update(**dict(zip(STATUS_FIELDS, values, strict=True)))


def defects_create_bulk(
    *, reporter: User, items: list[dict[str, object]], extra: list[PlannedRow] | None = None
) -> list[Defect]:
    """Many ``defect_create`` calls in a few queries: the same defect rows, history rows,
    StatusChange and Follow as ``defect_create`` makes for each item (tests compare them).

    Precondition: every item passed the dry run's validation (the checks of ``defect_create``);
    ``extra`` may add each row's DFØ reference, set in the first history row.
    """
    if not permissions.can_report(reporter):
        raise PermissionDenied
    now = timezone.now()
    defects = []
    for index, item in enumerate(items):
        defect = build_defect(reporter=reporter, now=now, **item)  # type: ignore[arg-type]
        if extra is not None:
            defect.dfo_reference = extra[index].dfo_reference
        derive_fields(defect)
        # bulk_create sends no pre_save: the hygiene every save applies, applied here.
        clean_instance(defect)
        defects.append(defect)
    created = bulk_create_with_history(
        defects, Defect, batch_size=BULK_SIZE, default_user=reporter, default_date=now
    )
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                defect=d, from_status="", to_status=DefectStatus.NEW, actor=reporter, at=now
            )
            for d in created
        ],
        batch_size=BULK_SIZE,
    )
    Follow.objects.bulk_create(
        [Follow(defect=d, user=reporter, created_at=now) for d in created], batch_size=BULK_SIZE
    )
    return list(created)


__all__ = ["SpreadsheetError", "defects_create_bulk", "defects_import", "upload_store"]
