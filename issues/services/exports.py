"""Writes for exports: every export is logged (and audited) before it is streamed."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from issues import permissions
from issues.models import Defect, ExportLog, User
from issues.personal_data import mask
from issues.services.audit import EXPORT, audit_record


# --- exports -------------------------------------------------------------------------------------
def export_log(
    *, user: User, fmt: str, filters: Mapping[str, list[str]], queryset: QuerySet[Defect]
) -> int:
    """Record an export before it is streamed; returns the number of rows it will contain."""
    if not permissions.can_export(user):
        raise PermissionDenied
    total = queryset.count()
    # A search box can hold anything a user typed, personal data included.
    safe_filters = {key: [mask(str(v)) for v in values] for key, values in filters.items()}
    with transaction.atomic():
        log = ExportLog.objects.create(user=user, format=fmt, filters=safe_filters, row_count=total)
        audit_record(
            actor=user,
            action=EXPORT,
            target=f"export-{log.pk}",
            details={"format": fmt, "filters": safe_filters, "rows": total},
        )
    return total
