"""Reads of import batches: the recent ones, one batch and its defects, and the column mapping a
university used last (the next import from it starts from that mapping)."""

from dataclasses import dataclass, field

from issues import permissions
from issues.imports import normalise
from issues.models import ImportBatch, ImportedDefect, User


@dataclass(frozen=True)
class SavedMapping:
    batch: ImportBatch
    columns: dict[str, str]  # normalised header text -> field name
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def last_mapping(*, user: User, kind: str) -> SavedMapping | None:
    """The mapping of the newest import of ``kind`` made by anyone at the user's university (a
    user without one: their own newest), with columns keyed by header text, not position."""
    batches = ImportBatch.objects.filter(kind=kind, mapping__has_key="headers")
    if user.institution_id is not None:
        batches = batches.filter(created_by__institution_id=user.institution_id)
    else:
        batches = batches.filter(created_by=user)
    batch = batches.order_by("-created_at", "-pk").first()
    if batch is None:
        return None
    headers = list(batch.mapping.get("headers") or [])
    columns: dict[str, str] = {}
    for index, name in dict(batch.mapping.get("columns") or {}).items():
        position = int(index)
        if 0 <= position < len(headers) and headers[position]:
            columns.setdefault(normalise(str(headers[position])), str(name))
    values = {str(f): dict(v) for f, v in dict(batch.mapping.get("values") or {}).items()}
    return SavedMapping(batch, columns, values)


def recent_batches(*, kind: str, limit: int = 20) -> list[ImportBatch]:
    return list(ImportBatch.objects.filter(kind=kind).select_related("created_by")[:limit])


def visible_batch(*, user: User, pk: int) -> ImportBatch | None:
    """Batches are shown to whoever may import their kind (the batch page lists keys and titles
    of defects, filtered again by what the user may see)."""
    batch = ImportBatch.objects.filter(pk=pk).select_related("created_by").first()
    if batch is None or not permissions.may_import(user, batch.kind):
        return None
    return batch


def batch_defects(*, user: User, batch: ImportBatch, limit: int = 500) -> list[ImportedDefect]:
    return list(
        ImportedDefect.objects.filter(
            batch=batch, defect__in=permissions.visible_defects(user)
        ).select_related("defect")[:limit]
    )
