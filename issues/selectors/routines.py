"""Reads of routines; each starts from what the user may see."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from issues import permissions
from issues.models import Defect, Routine
from issues.permissions import AnyUser


def routine_list(*, user: AnyUser, needs_review: bool | None = None) -> QuerySet[Routine]:
    qs = permissions.visible_routines(user).select_related("owner", "institution")
    if needs_review is not None:
        qs = qs.filter(needs_review=needs_review)
    return qs.order_by("-needs_review", "title", "id")


def routine_detail(*, user: AnyUser, pk: Any) -> Routine:
    try:
        return routine_list(user=user).get(pk=pk)
    except (Routine.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def routine_defects(*, user: AnyUser, routine: Routine) -> QuerySet[Defect]:
    return (
        permissions.visible_defects(user)
        .filter(routines=routine)
        .select_related("area")
        .order_by("id")
    )


def routine_versions(*, routine: Routine) -> QuerySet[Any]:
    return routine.history.select_related("history_user").order_by("-history_id")


def routines_for_defects(*, user: AnyUser, defect_ids: Iterable[int]) -> dict[int, list[Routine]]:
    """The visible routines of each defect, in one query (for lists of defects)."""
    through = Routine.defects.through
    ids = list(defect_ids)
    links = through.objects.filter(
        defect_id__in=ids, routine__in=permissions.visible_routines(user)
    ).select_related("routine")
    out: dict[int, list[Routine]] = defaultdict(list)
    for link in links.order_by("routine__title", "routine_id"):
        out[link.defect_id].append(link.routine)
    return out


def attach_routines(user: AnyUser, defects: list[Defect]) -> None:
    """Set ``visible_routines`` on each defect of a page (one query for the page)."""
    found = routines_for_defects(user=user, defect_ids=[d.pk for d in defects])
    for defect in defects:
        defect.visible_routines = found.get(defect.pk, [])  # type: ignore[attr-defined]
