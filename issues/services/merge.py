"""Merging a duplicate into the defect that is kept, across universities."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from issues import permissions
from issues.errors import ConcurrentEdit
from issues.models import (
    AffectsUs,
    Attachment,
    Comment,
    Defect,
    DefectStatus,
    Follow,
    HistoryKind,
    StatusChange,
    User,
)
from issues.personal_data import mask
from issues.services.audit import MERGE, audit_record
from issues.services.defects import changed_since, defect_transition
from issues.services.participation import count_affected


def defect_merge(
    *,
    duplicate: Defect,
    canonical: Defect,
    actor: User,
    duplicate_version: int,
    canonical_version: int,
    note: str = "",
) -> Defect:
    """Close ``duplicate`` as a duplicate of ``canonical`` and bring its people and content along.

    Reporter, followers and "affects us too" records are linked to the canonical defect (the
    duplicate keeps its own, nothing is deleted); comments and attachments are moved with
    ``moved_from`` set. Raises PermissionDenied, ConcurrentEdit (either version is stale),
    TransitionNotAllowed or ValidationError; nothing is written on any error. Returns the
    canonical defect.
    """
    _check_may_merge(actor=actor, duplicate=duplicate, canonical=canonical)
    with transaction.atomic():
        dup, canon = _lock_both(duplicate=duplicate, canonical=canonical)
        _check_versions((dup, duplicate_version), (canon, canonical_version))
        _check_target(dup=dup, canon=canon)
        now = timezone.now()
        # The transition checks the workflow table and writes the StatusChange for the duplicate.
        dup = defect_transition(
            defect=dup,
            actor=actor,
            to_status=DefectStatus.DUPLICATE,
            expected_version=duplicate_version,
            note=_merge_note(canon=canon, note=note),
            duplicate_of=canon,
        )
        _move_people(dup=dup, canon=canon, now=now)
        _move_content(dup=dup, canon=canon)
        _record_history(dup=dup, canon=canon, actor=actor, now=now)
    return canon


def _check_may_merge(*, actor: User, duplicate: Defect, canonical: Defect) -> None:
    if not permissions.can_merge(actor):
        raise PermissionDenied
    for d in (duplicate, canonical):
        if not permissions.can_view_defect(actor, d):
            raise PermissionDenied
    if duplicate.pk == canonical.pk:
        raise ValidationError({"canonical": _("En sak kan ikke slås sammen med seg selv.")})


def _lock_both(*, duplicate: Defect, canonical: Defect) -> tuple[Defect, Defect]:
    """The current rows of both defects, locked for update; call inside the transaction."""
    # Lock both rows in id order so two merges of the same pair cannot deadlock.
    locked = {
        d.pk: d
        for d in Defect.objects.select_for_update()
        .filter(pk__in=[duplicate.pk, canonical.pk])
        .order_by("pk")
    }
    return locked[duplicate.pk], locked[canonical.pk]


def _check_versions(*pairs: tuple[Defect, int]) -> None:
    """Raise ConcurrentEdit for the first defect whose version is not the one the user saw."""
    for current, expected in pairs:
        if current.version != expected:
            raise ConcurrentEdit(
                expected_version=expected,
                current_version=current.version,
                changed=changed_since(current, expected),
            )


def _check_target(*, dup: Defect, canon: Defect) -> None:
    """Refuse a confidential → public merge and a merge into a defect that is itself a duplicate."""
    if dup.confidential and not canon.confidential:
        # Its comments and attachments would become readable by everyone.
        raise ValidationError(
            {
                "canonical": _("%(dup)s er fortrolig og kan bare slås sammen med en fortrolig sak.")
                % {"dup": dup.key}
            }
        )
    if canon.status == DefectStatus.DUPLICATE:
        raise ValidationError(
            {"canonical": _("%(key)s er selv et duplikat av en annen sak.") % {"key": canon.key}}
        )


def _merge_note(*, canon: Defect, note: str) -> str:
    merge_note = _("Slått sammen med %(canonical)s.") % {"canonical": canon.key}
    if note.strip():
        merge_note = f"{merge_note} {mask(note.strip())}"
    return merge_note


def _move_people(*, dup: Defect, canon: Defect, now: dt.datetime) -> None:
    """Link the duplicate's reporter, "affects us too" records and followers to ``canon``."""
    # The duplicate's reporter counts as "affects us too" for their institution.
    if dup.reporter_id != canon.reporter_id:
        AffectsUs.objects.get_or_create(
            defect=canon,
            user_id=dup.reporter_id,
            defaults={"institution_id": dup.institution_id, "created_at": now},
        )
    for record in dup.affects.exclude(user_id=canon.reporter_id):
        AffectsUs.objects.get_or_create(
            defect=canon,
            user_id=record.user_id,
            defaults={"institution_id": record.institution_id, "created_at": now},
        )
    follower_ids = set(dup.follows.values_list("user_id", flat=True)) | {dup.reporter_id}
    existing = set(canon.follows.values_list("user_id", flat=True))
    Follow.objects.bulk_create(
        [Follow(defect=canon, user_id=uid, created_at=now) for uid in follower_ids - existing]
    )


def _move_content(*, dup: Defect, canon: Defect) -> None:
    # moved_from keeps where it came from; the text is not touched.
    Comment.objects.filter(defect=dup).update(defect=canon, moved_from=dup)
    Attachment.objects.filter(defect=dup).update(defect=canon, moved_from=dup)


def _record_history(*, dup: Defect, canon: Defect, actor: User, now: dt.datetime) -> None:
    """Recount, bump the version and record the merge in ``canon``'s history."""
    count_affected(canon)
    canon.version += 1
    canon.updated_at = now
    canon._history_user = actor  # type: ignore[attr-defined]
    canon._change_reason = _("Duplikat %(dup)s slått sammen hit") % {"dup": dup.key}  # type: ignore[attr-defined]
    canon.save()
    # A merge record, not a transition: the kept defect's status did not change.
    StatusChange.objects.create(
        defect=canon,
        kind=HistoryKind.MERGED_IN,
        merged_from=dup,
        from_status=canon.status,
        to_status=canon.status,
        actor=actor,
        at=now,
        note=_("%(dup)s slått sammen inn i denne saken.") % {"dup": dup.key},
    )
    audit_record(
        actor=actor, action=MERGE, target=canon, details={"merged": dup.key, "into": canon.key}
    )
