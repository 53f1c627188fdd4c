"""What follows a workflow transition inside the same transaction: a "fixed" opens a
confirmation round for every affected university; leaving "fixed" closes what is unanswered;
"fixed" and "verified" flag the linked routines for review.

Imported by ``services.defects`` (which calls ``after_status_change``), so it must not import it.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from issues.models import (
    AffectsUs,
    ConfirmationState,
    Defect,
    DefectStatus,
    FixConfirmation,
    StatusChange,
)
from issues.services.routines import routines_flag_for_fix
from priorities.workdays import WorkCalendar, norwegian_calendar


def affected_institution_ids(defect: Defect) -> list[int]:
    """The reporter's university and every university that said "gjelder oss også"."""
    others = AffectsUs.objects.filter(defect=defect).values_list("institution_id", flat=True)
    return sorted({defect.institution_id, *others})


def respond_by(fixed_on: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day of the answer window: the N-th working day after the fix day."""
    calendar = calendar or norwegian_calendar()
    return calendar.add_working_days(fixed_on, settings.FIX_CONFIRMATION_WORKING_DAYS)


# Transitions to or from these have consequences here.
FOLLOW_UP_STATUSES = frozenset({DefectStatus.FIXED, DefectStatus.VERIFIED})


def after_status_change(change: StatusChange) -> None:
    if change.to_status in (DefectStatus.FIXED, DefectStatus.VERIFIED):
        routines_flag_for_fix(defect=change.defect, to_status=change.to_status)
    if change.to_status == DefectStatus.FIXED:
        _open_round(change)
    elif change.from_status == DefectStatus.FIXED:
        FixConfirmation.objects.filter(
            defect_id=change.defect_id, state=ConfirmationState.WAITING
        ).update(state=ConfirmationState.LAPSED)


def _open_round(change: StatusChange) -> None:
    due = respond_by(timezone.localdate(change.at))
    FixConfirmation.objects.bulk_create(
        FixConfirmation(
            defect_id=change.defect_id,
            fixed_change=change,
            institution_id=institution_id,
            respond_by=due,
            created_at=change.at,
        )
        for institution_id in affected_institution_ids(change.defect)
    )
    change_id = change.pk
    transaction.on_commit(lambda: _queue_round_mail(change_id), robust=True)


def _queue_round_mail(change_id: int) -> None:
    from issues.tasks import notify_confirmation_round  # noqa: PLC0415 - tasks imports services

    notify_confirmation_round.delay(change_id)
