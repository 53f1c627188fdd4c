"""Reads of fix confirmations; each starts from what the user may see."""

from django.db.models import QuerySet

from issues import permissions
from issues.models import ConfirmationState, Defect, DefectStatus, FixConfirmation, StatusChange
from issues.permissions import AnyUser


def open_confirmations(*, user: AnyUser) -> QuerySet[FixConfirmation]:
    """Fixes waiting for an answer from the user's own university (the start page's list)."""
    institution_id = getattr(user, "institution_id", None)
    if institution_id is None:
        return FixConfirmation.objects.none()
    return (
        permissions.visible_confirmations(user)
        .filter(
            institution_id=institution_id,
            state=ConfirmationState.WAITING,
            defect__status=DefectStatus.FIXED,
        )
        .select_related("defect", "institution")
        .order_by("respond_by", "defect_id")
    )


def latest_round(*, user: AnyUser, defect: Defect) -> list[FixConfirmation]:
    """Every university's row of the defect's latest fix, for anyone who may see the defect."""
    if not permissions.can_view_defect(user, defect):
        return []
    last_fix = (
        StatusChange.objects.filter(defect=defect, to_status=DefectStatus.FIXED)
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if last_fix is None:
        return []
    return list(
        FixConfirmation.objects.filter(fixed_change_id=last_fix)
        .select_related("institution", "answered_by")
        .order_by("institution__code")
    )


def answerable(*, user: AnyUser, rows: list[FixConfirmation]) -> FixConfirmation | None:
    """The row of ``rows`` the user may answer now, if any."""
    for row in rows:
        if (
            row.state == ConfirmationState.WAITING
            and row.defect.status == DefectStatus.FIXED
            and permissions.can_answer_confirmation(user, row)
        ):
            return row
    return None
