"""A university's answer to a fix: confirm ("fungerer hos oss") or dispute with a note, and the
daily check that verifies fixes nobody disputed within the working-day window.

Rules: the defect becomes verified when every university of the round has confirmed, or when the
window (``settings.FIX_CONFIRMATION_WORKING_DAYS`` working days after the fix day, Norwegian
public holidays excluded) has passed without a dispute. One dispute reopens the defect for triage
at once, with the dispute as the transition's note; the round's unanswered rows then lapse.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from issues import permissions
from issues.models import ConfirmationState, Defect, DefectStatus, FixConfirmation, User
from issues.personal_data import mask
from issues.services.defects import defect_transition_by_rule

NOTE_MAX_LENGTH = 4000


def _locked(confirmation: FixConfirmation, actor: User) -> FixConfirmation:
    """Lock the defect (one answer at a time per round), then re-read the confirmation."""
    if not permissions.can_answer_confirmation(actor, confirmation):
        raise PermissionDenied
    Defect.objects.select_for_update().get(pk=confirmation.defect_id)
    fresh = FixConfirmation.objects.select_related("defect", "institution").get(pk=confirmation.pk)
    if fresh.state != ConfirmationState.WAITING or fresh.defect.status != DefectStatus.FIXED:
        raise ValidationError(_("Denne bekreftelsen er ikke åpen lenger."))
    return fresh


def _answer(confirmation: FixConfirmation, actor: User, state: str, note: str) -> None:
    confirmation.state = state
    confirmation.answered_by = actor
    confirmation.answered_at = timezone.now()
    confirmation.note = note
    confirmation.save(update_fields=["state", "answered_by", "answered_at", "note"])


def confirmation_confirm(*, confirmation: FixConfirmation, actor: User) -> FixConfirmation:
    """Confirm for the actor's university; the last confirmation of a round verifies the defect."""
    with transaction.atomic():
        fresh = _locked(confirmation, actor)
        _answer(fresh, actor, ConfirmationState.CONFIRMED, "")
        unanswered = FixConfirmation.objects.filter(fixed_change_id=fresh.fixed_change_id).filter(
            ~Q(state=ConfirmationState.CONFIRMED)
        )
        if not unanswered.exists():
            defect_transition_by_rule(
                defect=fresh.defect,
                actor=actor,
                to_status=DefectStatus.VERIFIED,
                note="Bekreftet av alle berørte institusjoner.",
            )
    return fresh


def confirmation_dispute(
    *, confirmation: FixConfirmation, actor: User, note: str
) -> FixConfirmation:
    """Dispute for the actor's university: the defect is reopened for triage with the note."""
    note = mask(note.strip())
    if not note:
        raise ValidationError({"note": _("Skriv hva som fortsatt ikke fungerer.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _("Merknaden er for lang.")})
    with transaction.atomic():
        fresh = _locked(confirmation, actor)
        _answer(fresh, actor, ConfirmationState.DISPUTED, note)
        defect_transition_by_rule(
            defect=fresh.defect,
            actor=actor,
            to_status=DefectStatus.REOPENED,
            note=f"Retting bestridt av {fresh.institution.code}: {note}",
        )
    return fresh


def confirmations_expire(*, today: dt.date | None = None) -> list[int]:
    """Verify every fixed defect whose answer window ended before ``today`` without a dispute.

    Returns the ids of the defects verified. The person who marked the defect fixed is the actor;
    the note states the rule. Safe to run any number of times a day.
    """
    today = today or timezone.localdate()
    due = (
        FixConfirmation.objects.filter(
            state=ConfirmationState.WAITING,
            respond_by__lt=today,
            defect__status=DefectStatus.FIXED,
        )
        .values_list("fixed_change_id", flat=True)
        .distinct()
    )
    verified = []
    for change_id in sorted(set(due)):
        with transaction.atomic():
            first = (
                FixConfirmation.objects.select_related("fixed_change__actor", "defect")
                .filter(fixed_change_id=change_id)
                .first()
            )
            if first is None:
                continue
            locked = Defect.objects.select_for_update().get(pk=first.defect_id)
            round_rows = FixConfirmation.objects.filter(fixed_change_id=change_id)
            if (
                locked.status != DefectStatus.FIXED
                or round_rows.filter(state=ConfirmationState.DISPUTED).exists()
            ):
                continue
            days = settings.FIX_CONFIRMATION_WORKING_DAYS
            defect_transition_by_rule(
                defect=locked,
                actor=first.fixed_change.actor,
                to_status=DefectStatus.VERIFIED,
                note=(
                    f"Verifisert automatisk: ingen innsigelse innen {days} arbeidsdager "
                    f"(svarfrist {first.respond_by:%d.%m.%Y})."
                ),
            )
            verified.append(locked.pk)
    return verified
