"""Writes for routines: create, edit (a new version), review unchanged, link to defects, and the
"må gjennomgås" flag a fix raises.

Every edit is a version in the history (django-simple-history) with who and when; an edit or a
"still right" review clears the flag, so a routine is never silently stale after a fix.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from issues import permissions
from issues.errors import ConcurrentEdit
from issues.models import Defect, Institution, Routine, User
from issues.personal_data import mask
from issues.text import clean_text


def _clean_text(title: str, body: str) -> tuple[str, str]:
    # Cleaned here as the save hook would, so that control characters alone count as empty.
    title, body = mask(clean_text(title).strip()), mask(clean_text(body).strip())
    errors = {}
    if not title:
        errors["title"] = [_("Skriv en tittel.")]
    if not body:
        errors["body"] = [_("Skriv rutinen.")]
    if errors:
        raise ValidationError(errors)
    return title, body


def _visible_defects(actor: User, defects: Iterable[Defect]) -> list[Defect]:
    chosen = list(defects)
    for defect in chosen:
        if not permissions.can_view_defect(actor, defect):
            raise PermissionDenied
    return chosen


def routine_create(
    *,
    actor: User,
    title: str,
    body: str,
    owner: User,
    institution: Institution | None = None,
    defects: Iterable[Defect] = (),
) -> Routine:
    if not permissions.can_manage_routines(actor):
        raise PermissionDenied
    title, body = _clean_text(title, body)
    linked = _visible_defects(actor, defects)
    now = timezone.now()
    routine = Routine(
        title=title,
        body=body,
        owner=owner,
        institution=institution,
        created_at=now,
        updated_at=now,
        reviewed_at=now,
        reviewed_by=actor,
    )
    routine.full_clean()
    with transaction.atomic():
        routine._history_user = actor  # type: ignore[attr-defined]
        routine.save()
        routine.defects.set(linked)
    return routine


def _locked(routine: Routine, actor: User, expected_version: int | None) -> Routine:
    if not permissions.can_edit_routine(actor, routine):
        raise PermissionDenied
    locked = Routine.objects.select_for_update().get(pk=routine.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit(
            expected_version=expected_version, current_version=locked.version, changed=[]
        )
    return locked


def _mark_reviewed(routine: Routine, actor: User) -> None:
    now = timezone.now()
    routine.needs_review = False
    routine.review_reason = ""
    routine.reviewed_at = now
    routine.reviewed_by = actor
    routine.updated_at = now
    routine.version += 1
    routine._history_user = actor  # type: ignore[attr-defined]
    routine.full_clean()
    routine.save()


def routine_update(
    *,
    routine: Routine,
    actor: User,
    title: str,
    body: str,
    owner: User,
    institution: Institution | None,
    defects: Iterable[Defect],
    expected_version: int | None,
) -> Routine:
    """Save a new version; it counts as a review, so the flag clears."""
    title, body = _clean_text(title, body)
    linked = _visible_defects(actor, defects)
    with transaction.atomic():
        locked = _locked(routine, actor, expected_version)
        locked.title, locked.body = title, body
        locked.owner, locked.institution = owner, institution
        _mark_reviewed(locked, actor)
        # Links to defects the actor cannot see are kept: nobody unlinks what they cannot see.
        hidden = [d for d in locked.defects.all() if not permissions.can_view_defect(actor, d)]
        locked.defects.set([*linked, *hidden])
    return locked


def routine_review(*, routine: Routine, actor: User, expected_version: int | None) -> Routine:
    """The routine is still right after the fix: confirm it unchanged and clear the flag."""
    with transaction.atomic():
        locked = _locked(routine, actor, expected_version)
        _mark_reviewed(locked, actor)
    return locked


def routine_link_set(
    *, routine: Routine, actor: User, defect: Defect, linked: bool, expected_version: int | None
) -> Routine:
    """Link ``defect`` to the routine, or unlink it; linking or unlinking twice changes nothing.

    Not a review: the flag stays, since nobody has confirmed the text. The version still moves,
    so an edit opened before the change is refused instead of quietly putting the old links back.
    """
    _visible_defects(actor, [defect])
    with transaction.atomic():
        locked = _locked(routine, actor, expected_version)
        if locked.defects.filter(pk=defect.pk).exists() == linked:
            return locked
        if linked:
            locked.defects.add(defect)
        else:
            locked.defects.remove(defect)
        locked.updated_at = timezone.now()
        locked.version += 1
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["updated_at", "version"])
    return locked


def routines_flag_for_fix(*, defect: Defect, to_status: str) -> list[int]:
    """Flag every routine linked to ``defect`` (called inside the transition's transaction);
    the owners are told once the transition commits. Returns the ids newly flagged."""
    reason = f"{defect.key} er {'verifisert' if to_status == 'verified' else 'rettet'}"
    routines = list(Routine.objects.filter(defects=defect).select_for_update())
    now = timezone.now()
    flagged = []
    for routine in routines:
        if not routine.needs_review:
            flagged.append(routine.pk)
        routine.needs_review = True
        routine.review_reason = reason[:300]
        routine.flagged_at = now
        routine.save(update_fields=["needs_review", "review_reason", "flagged_at"])
    if flagged:
        transaction.on_commit(lambda: _queue_owner_mail(flagged), robust=True)
    return flagged


def _queue_owner_mail(routine_ids: list[int]) -> None:
    from issues.tasks import notify_routine_review  # noqa: PLC0415 - tasks imports the services

    for routine_id in routine_ids:
        notify_routine_review.delay(routine_id)
