"""Writes for the management team's triage: merging duplicates, bulk actions, saved filters.

Every function checks permissions itself, carries the versions the caller saw (no lost updates)
and writes inside a transaction; a bulk action gives each row its own savepoint, so a refused row
is never half-written and never stops the others.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, services
from .errors import ConcurrentEdit
from .models import (
    AffectsUs,
    Attachment,
    Comment,
    Defect,
    DefectStatus,
    Follow,
    SavedFilter,
    StatusChange,
    User,
)
from .personal_data import mask


def _require_triager(actor: User) -> None:
    if not permissions.can_triage(actor):
        raise PermissionDenied


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("Du har ikke tilgang til å endre denne saken.")
    return str(exc)


# --- merge -----------------------------------------------------------------------------------


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
    if not permissions.can_merge(actor):
        raise PermissionDenied
    for d in (duplicate, canonical):
        if not permissions.can_view_defect(actor, d):
            raise PermissionDenied
    if duplicate.pk == canonical.pk:
        raise ValidationError({"canonical": _("En sak kan ikke slås sammen med seg selv.")})
    with transaction.atomic():
        # Lock both rows in id order so two merges of the same pair cannot deadlock.
        locked = {
            d.pk: d
            for d in Defect.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, canonical.pk])
            .order_by("pk")
        }
        dup, canon = locked[duplicate.pk], locked[canonical.pk]
        for current, expected in ((dup, duplicate_version), (canon, canonical_version)):
            if current.version != expected:
                raise ConcurrentEdit(
                    expected_version=expected,
                    current_version=current.version,
                    changed=services.changed_since(current, expected),
                )
        if dup.confidential and not canon.confidential:
            # Its comments and attachments would become readable by everyone.
            raise ValidationError(
                {
                    "canonical": _(
                        "%(dup)s er fortrolig og kan bare slås sammen med en fortrolig sak."
                    )
                    % {"dup": dup.key}
                }
            )
        if canon.status == DefectStatus.DUPLICATE:
            raise ValidationError(
                {
                    "canonical": _("%(key)s er selv et duplikat av en annen sak.")
                    % {"key": canon.key}
                }
            )
        now = timezone.now()
        merge_note = _("Slått sammen med %(canonical)s.") % {"canonical": canon.key}
        if note.strip():
            merge_note = f"{merge_note} {mask(note.strip())}"
        # The transition checks the workflow table and writes the StatusChange for the duplicate.
        dup = services.defect_transition(
            defect=dup,
            actor=actor,
            to_status=DefectStatus.DUPLICATE,
            expected_version=duplicate_version,
            note=merge_note,
            duplicate_of=canon,
        )

        # People: the duplicate's reporter counts as "affects us too" for their institution.
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
        # Content moves; moved_from keeps where it came from, the text is not touched.
        Comment.objects.filter(defect=dup).update(defect=canon, moved_from=dup)
        Attachment.objects.filter(defect=dup).update(defect=canon, moved_from=dup)

        services.count_affected(canon)
        canon.version += 1
        canon.updated_at = now
        canon._history_user = actor  # type: ignore[attr-defined]
        canon._change_reason = _("Duplikat %(dup)s slått sammen hit") % {"dup": dup.key}  # type: ignore[attr-defined]
        canon.save()
        StatusChange.objects.create(
            defect=canon,
            from_status=canon.status,
            to_status=canon.status,
            actor=actor,
            at=now,
            note=_("%(dup)s slått sammen inn i denne saken.") % {"dup": dup.key},
        )
    return canon


# --- bulk actions ----------------------------------------------------------------------------

BULK_TRANSITION = "transition"
BULK_RELEASE = "release"
BULK_OWNER = "owner"
BULK_REPORTED = "reported_to_dfo"
BULK_ACTIONS = (BULK_TRANSITION, BULK_RELEASE, BULK_OWNER, BULK_REPORTED)


@dataclass
class BulkResult:
    done: list[Defect] = field(default_factory=list)
    # (defect id, key to show, reason)
    refused: list[tuple[int, str, str]] = field(default_factory=list)


def _bulk_row(*, defect: Defect, actor: User, action: str, version: int, value: Any) -> Defect:
    if action in (BULK_TRANSITION, BULK_REPORTED):
        to_status = DefectStatus.REPORTED if action == BULK_REPORTED else str(value)
        return services.defect_transition(
            defect=defect, actor=actor, to_status=to_status, expected_version=version
        )
    data = {"target_release": value} if action == BULK_RELEASE else {"owner": value}
    return services.defect_update(defect=defect, actor=actor, expected_version=version, data=data)


def defect_bulk_apply(
    *, actor: User, action: str, versions: Mapping[int, int], value: Any = None
) -> BulkResult:
    """Apply one action to many defects; ``versions`` maps defect id to the version the actor saw.

    Rows the actor cannot see, that changed since, or that the workflow table does not let move
    are refused with the reason; the others are written, each in its own savepoint.
    """
    _require_triager(actor)
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Ukjent handling.")})
    if action == BULK_TRANSITION and value not in DefectStatus.values:
        raise ValidationError({"to_status": _("Velg ny status.")})
    result = BulkResult()
    defects = {d.pk: d for d in permissions.visible_defects(actor).filter(pk__in=list(versions))}
    for pk in sorted(versions):
        defect = defects.get(pk)
        if defect is None:
            result.refused.append((pk, f"#{pk}", _("Finnes ikke.")))
            continue
        try:
            with transaction.atomic():
                result.done.append(
                    _bulk_row(
                        defect=defect, actor=actor, action=action, version=versions[pk], value=value
                    )
                )
        except ConcurrentEdit as exc:
            result.refused.append((pk, defect.key, str(exc)))
        except (ValidationError, PermissionDenied) as exc:
            result.refused.append((pk, defect.key, _message(exc)))
    return result


# --- saved filters ---------------------------------------------------------------------------


def saved_filter_save(*, owner: User, name: str, query: str, shared: bool = False) -> SavedFilter:
    """Create or replace the owner's filter called ``name``."""
    _require_triager(owner)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Gi filteret et navn.")})
    saved = SavedFilter.objects.filter(owner=owner, name=name).first() or SavedFilter(
        owner=owner, name=name, created_at=timezone.now()
    )
    # A saved search can hold anything typed into the search box.
    params = QueryDict(query.lstrip("?"), mutable=True)
    for key in list(params):
        params.setlist(key, [mask(value) for value in params.getlist(key)])
    saved.query = params.urlencode()
    saved.shared = shared
    saved.full_clean(exclude=["owner"])
    saved.save()
    return saved


def saved_filter_delete(*, owner: User, pk: int) -> None:
    """Only the owner deletes a filter; someone else's id is treated as missing."""
    _require_triager(owner)
    deleted, _unused = SavedFilter.objects.filter(owner=owner, pk=pk).delete()
    if not deleted:
        raise ValidationError(_("Fant ikke filteret."))
