"""Reads of defects that are more than a .get(); each starts from what the user may see."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from issues import permissions, workflow
from issues.filters import DefectFilter
from issues.models import Comment, Defect, StatusChange, User
from issues.permissions import AnyUser

# The queue's order in SQL; priorities.ranking.rank_key is the same order in Python.
RANK_ORDER = ("tier", "-weekly_cost", "-institutions_affected", "deadline", "created_at", "id")


LIST_RELATED = ("area", "category", "system", "institution", "target_release")


def defect_list(
    *,
    user: AnyUser,
    filters: Mapping[str, Any] | None = None,
    queryset: QuerySet[Defect] | None = None,
) -> QuerySet[Defect]:
    """Visible defects matching ``filters`` (DefectFilter field names), ranked.

    Raises ``django.core.exceptions.ValidationError`` (via ``DefectFilter.errors``) on bad filters.
    """
    base = permissions.visible_defects(user, queryset)
    fs = DefectFilter(data=filters or {}, queryset=base)
    if not fs.is_valid():
        raise ValidationError(fs.errors)
    return fs.qs.select_related(*LIST_RELATED).order_by(*RANK_ORDER)


# Lists say how many defects match, counting at most this many: at 100,000 defects an
# unfiltered COUNT(*) costs more than the page, and "over 1 000" (20 pages) tells the reader as
# much. Counting a broad text search ("faktura", a quarter of the defects) to 10,000 took 63 ms,
# to 1,000 8 ms; the exact totals are on the dashboard and the escalation page.
COUNT_CAP = 1_000


@dataclass(frozen=True)
class HitCount:
    value: int
    more: bool  # there are more than ``value`` (the cap)


def match_count(queryset: QuerySet[Defect], cap: int | None = None) -> HitCount:
    """How many rows ``queryset`` has, counted up to ``cap`` (one bounded query)."""
    cap = COUNT_CAP if cap is None else cap
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return HitCount(min(n, cap), n > cap)


# What a known-defects card shows (templates/issues/reporting/_defect_card.html). Not the
# institution: each joined table adds to PostgreSQL's join search, and with the ORDER BY the six
# tables of LIST_RELATED took 5-9 ms to plan against 2.5 ms for these five (100,000 defects),
# more than the query's execution.
KNOWN_RELATED = ("area", "category", "system", "target_release")


def known_defects(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> QuerySet[Defect]:
    """Defects the management team has looked at: shown to reporters with their workarounds."""
    base = Defect.objects.filter(status__in=workflow.KNOWN_STATUSES)
    listed = defect_list(user=user, filters=filters, queryset=base)
    return listed.select_related(None).select_related(*KNOWN_RELATED)


# Joined to the defect in one query. The people (reporter, owner, who overrode) come in a
# second one: PostgreSQL took 8.8 ms to plan the eleven-table join and 1.7 ms with these six
# (100,000 defects); a primary-key query for up to three users costs a fraction of that.
DETAIL_RELATED = ("area", "category", "system", "institution", "unit", "target_release")


def defect_detail(*, user: AnyUser, pk: Any) -> Defect:
    qs = Defect.objects.select_related(*DETAIL_RELATED)
    defect = permissions.get_visible_defect_or_404(user, pk, qs)
    ids = {defect.reporter_id, defect.owner_id, defect.override_by_id} - {None}
    people = User.objects.in_bulk(ids)
    for field in ("reporter", "owner", "override_by"):
        person = people.get(getattr(defect, f"{field}_id"))
        if person is not None:
            setattr(defect, field, person)
    return defect


def defect_comments(*, user: AnyUser, defect: Defect) -> QuerySet[Comment]:
    return permissions.visible_comments(user, defect).select_related("author")


def defect_timeline(*, defect: Defect) -> QuerySet[StatusChange]:
    # Not the defect: the related manager hands every row the instance it was called on.
    return defect.status_changes.select_related("actor", "merged_from")


def my_defects(*, user: User) -> QuerySet[Defect]:
    return (
        permissions.visible_defects(user)
        .filter(reporter=user)
        .select_related(*LIST_RELATED)
        .order_by("-created_at")
    )


def followed_defects(*, user: User) -> QuerySet[Defect]:
    return (
        permissions.visible_defects(user)
        .filter(follows__user=user)
        .select_related(*LIST_RELATED)
        .order_by("-updated_at")
    )


def defect_count(
    *,
    user: AnyUser,
    filters: Mapping[str, Any] | None = None,
    queryset: QuerySet[Defect] | None = None,
) -> int:
    """How many visible defects match: the one count a list page makes, shown above the rows."""
    return defect_list(user=user, filters=filters, queryset=queryset).order_by().count()
