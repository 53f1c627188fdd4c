"""Writes for the management team's triage: bulk actions and saved filters.

Every function checks permissions itself, carries the versions the caller saw (no lost updates)
and writes inside a transaction; a bulk action gives each row its own savepoint, so a refused row
is never half-written and never stops the others."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from issues import permissions
from issues.errors import ConcurrentEdit
from issues.models import (
    Defect,
    DefectStatus,
    SavedFilter,
    User,
)
from issues.personal_data import mask
from issues.services.defects import defect_transition, defect_update


def _require_triager(actor: User) -> None:
    if not permissions.can_triage(actor):
        raise PermissionDenied


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("Du har ikke tilgang til å endre denne saken.")
    return str(exc)


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
        return defect_transition(
            defect=defect, actor=actor, to_status=to_status, expected_version=version
        )
    data = {"target_release": value} if action == BULK_RELEASE else {"owner": value}
    return defect_update(defect=defect, actor=actor, expected_version=version, data=data)


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
