"""Taking DFØ's answer sheet back in: one transaction for every defect it changes, or none.

Each defect is changed through ``defect_update`` (with the version from the export, so an edit
made meanwhile raises ConcurrentEdit and rolls everything back) and ``defect_transition``; both
write the history. The batch row (unique per file) makes a second apply of the same file a no-op,
and one audit event lists what was applied and what was flagged.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from issues import permissions
from issues.errors import ConcurrentEdit, TransitionNotAllowed
from issues.models import ImportBatch, ImportUpload, Release, User
from issues.selectors.dfo_answers import AnswerRow, AnswersPlan, answers_plan
from issues.services.defects import defect_transition, defect_update
from issues.services.imports import (
    ImportResult,
    import_in_batch,
    previous_batch,
    upload_path,
)
from issues.services.releases import release_create
from issues.spreadsheets import read_table

IMPORT_DFO_ANSWERS = "import.dfo_answers"


def _require(actor: User) -> None:
    if not (permissions.is_management(actor) or permissions.is_liaison(actor)):
        raise PermissionDenied


def dfo_answers_plan(*, actor: User, upload: ImportUpload) -> AnswersPlan:
    _require(actor)
    return answers_plan(actor=actor, table=read_table(upload_path(upload), upload.original_name))


def dfo_answers_apply(*, actor: User, upload: ImportUpload) -> ImportResult:
    """Apply every unflagged row; flagged rows (changed since the export, unknown status word,
    transition not allowed, unknown key) are left as they are and listed in the audit event."""
    _require(actor)
    existing = previous_batch(upload)
    if existing is not None:
        return ImportResult(existing, created=False)
    plan = dfo_answers_plan(actor=actor, upload=upload)
    note = _("Fra DFØs svar (%(file)s)") % {"file": upload.original_name}
    mapping = {
        "applied": [r.key for r in plan.to_apply],
        "flagged": [r.key for r in plan.flagged],
    }

    def write(_batch: ImportBatch) -> dict[str, object]:
        for row in plan.to_apply:
            _apply_row(actor, row, note)
        return {
            "applied": {r.key: [c.field for c in r.changes] for r in plan.to_apply},
            "flagged": mapping["flagged"],
        }

    try:
        return import_in_batch(
            actor=actor,
            upload=upload,
            row_count=len(plan.rows),
            mapping=mapping,
            action=IMPORT_DFO_ANSWERS,
            write=write,
        )
    except (ConcurrentEdit, TransitionNotAllowed) as exc:
        raise ValidationError(
            _("En sak ble endret mens svarene ble lagt inn. Ingenting er endret; prøv igjen.")
        ) from exc


def _apply_row(actor: User, row: AnswerRow, note: str) -> None:
    defect = row.defect
    assert defect is not None
    assert row.version is not None
    # The plan only lets a row through when the defect is still at the exported version.
    data: dict[str, object] = {}
    if row.dfo_reference is not None:
        data["dfo_reference"] = row.dfo_reference
    if row.release_name is not None:
        release = Release.objects.filter(name=row.release_name).first()
        data["target_release"] = release or release_create(name=row.release_name)
    if data:
        defect = defect_update(defect=defect, actor=actor, expected_version=row.version, data=data)
    for step in row.steps:
        defect = defect_transition(
            defect=defect,
            actor=actor,
            to_status=step,
            expected_version=defect.version,
            note=note,
        )
