"""Reads for the management team's triage queue; each starts from what the user sees.

The queue is paginated before it is enriched: the page's rows are fetched (one query, joined to
their reference data) and only then are the institutions affected looked up for those rows (one
more query). Paging fetches one row more than the page to know whether there is a next page;
the number of matches is counted once, capped (``match_count``)."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from issues import permissions
from issues.models import AffectsUs, Defect, DefectStatus, SavedFilter, User
from issues.models.triage import untriaged_first
from issues.permissions import AnyUser
from issues.selectors.deadlines import DeadlineContext, deadline_context, deadline_ranked
from issues.selectors.defects import HitCount, defect_list, match_count
from issues.selectors.queue_order import page_ids

PAGE_SIZES = (25, 50, 100)


DEFAULT_PAGE_SIZE = 50


# Column name in the URL -> ORDER BY field. Anything else in ?sort= is ignored.
SORTABLE = {
    "key": "id",
    "title": "title",
    "area": "area__code",
    "institutions": "institutions_affected",
    "tier": "tier",
    "status": "status",
    "age": "created_at",
    "cost": "weekly_cost",
    "affects": "affects_count",
    "dfo": "dfo_reference",
    "release": "target_release__name",
}


def parse_sort(sort: str | None) -> tuple[str, bool] | None:
    """``"-cost"`` -> ("cost", True); unknown columns -> None (the default rank order)."""
    if not sort:
        return None
    name = sort.removeprefix("-")
    if name not in SORTABLE:
        return None
    return name, sort.startswith("-")


@dataclass
class QueuePage:
    rows: list[Defect]
    number: int
    size: int
    has_next: bool
    hits: HitCount | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def _one_status(filters: Mapping[str, Any] | None) -> bool:
    if not filters:
        return False
    values = filters.getlist("status") if hasattr(filters, "getlist") else filters.get("status")
    if isinstance(values, str):
        values = [values]
    return len({v for v in values or [] if v}) == 1


def triage_queryset(
    *,
    user: AnyUser,
    filters: Mapping[str, Any] | None = None,
    sort: str | None = None,
    deadlines: DeadlineContext | None = None,
) -> QuerySet[Defect]:
    """The queue, ordered: untriaged first, then by tier and, inside it, urgent deadlines before
    the rank order (``priorities.ranking.deadline_rank_key``), or by the chosen column.

    Returns nothing at all for someone who may not triage. Raises ValidationError on bad filters.
    """
    qs, untriaged = _queue_filtered(user=user, filters=filters, sort=sort)
    if untriaged is None:
        return qs
    first = ("_untriaged",) if untriaged else ()
    return deadline_ranked(qs, deadlines or deadline_context(), first=first)


def _queue_filtered(
    *, user: AnyUser, filters: Mapping[str, Any] | None, sort: str | None
) -> tuple[QuerySet[Defect], bool | None]:
    """The filtered queue and how to order it: ``None`` when it is already ordered by a column,
    else whether untriaged defects come first (not for one status: it is the same for all).

    Nothing at all for someone who may not triage."""
    if not permissions.can_triage(user):
        return Defect.objects.none(), None
    qs = defect_list(user=user, filters=filters)
    parsed = parse_sort(sort)
    if parsed is None and _one_status(filters):
        return qs, False
    if parsed is None:
        return qs.alias(_untriaged=untriaged_first()), True
    name, descending = parsed
    field = SORTABLE[name]
    return qs.order_by(f"-{field}" if descending else field, "-id" if descending else "id"), None


def triage_page(
    *,
    user: AnyUser,
    filters: Mapping[str, Any] | None = None,
    sort: str | None = None,
    page: int = 1,
    size: int = DEFAULT_PAGE_SIZE,
    deadlines: DeadlineContext | None = None,
) -> QueuePage:
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    page = max(1, page)
    offset = (page - 1) * size
    qs, untriaged = _queue_filtered(user=user, filters=filters, sort=sort)
    if untriaged is None:
        ids = list(qs.values_list("pk", flat=True)[offset : offset + size + 1])
    else:
        ctx = deadlines or deadline_context()
        ids = page_ids(qs, ctx, untriaged_first=untriaged, offset=offset, limit=size + 1)
    rows = _page_rows(ids)
    has_next = len(rows) > size
    rows = rows[:size]
    enrich_institutions(rows)
    hits = match_count(qs)
    return QueuePage(rows=rows, number=page, size=size, has_next=has_next, hits=hits)


def _page_rows(ids: list[int]) -> list[Defect]:
    """The page's rows in the order of ``ids``, joined to their reference data.

    Ordering bare ids from the covering queue indexes and joining only the chosen rows is cheaper
    than ordering joined rows (100,000 defects, SQL of the first page: 33 ms -> 2.4 ms for the
    ids + 3 ms for the rows)."""
    # Only what a queue row shows (issues.views.queue._row_view) and its deadline needs: the
    # defect's forty columns and five joins were a third of a cold queue's SQL and model time.
    found = (
        Defect.objects.select_related("area", "institution", "target_release")
        .only(*QUEUE_ROW_FIELDS)
        .in_bulk(ids)
    )
    return [found[pk] for pk in ids if pk in found]


QUEUE_ROW_FIELDS = (
    "version",
    "title",
    "status",
    "tier",
    "tier_override",
    "rule_tier",
    "override_reason",
    "rule_reasons",
    "created_at",
    "weekly_cost",
    "affects_count",
    "dfo_reference",
    "deadline",
    "recurring_deadline_id",
    "area__code",
    "institution__code",
    "target_release__name",
)


def enrich_institutions(rows: list[Defect]) -> None:
    """Set ``row.affected_codes``: the reporting institution and every "affects us too" one."""
    codes: dict[int, set[str]] = defaultdict(set)
    if rows:
        for defect_id, code in (
            AffectsUs.objects.filter(defect_id__in=[r.pk for r in rows])
            .values_list("defect_id", "institution__code")
            .distinct()
        ):
            codes[defect_id].add(code)
    for row in rows:
        codes[row.pk].add(row.institution.code)
        row.affected_codes = sorted(codes[row.pk])  # type: ignore[attr-defined]


def saved_filters(*, user: AnyUser) -> QuerySet[SavedFilter]:
    """The user's own filters and those the team shares; nothing for non-triagers."""
    if not permissions.can_triage(user) or not isinstance(user, User):
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner")


def owner_candidates(*, user: AnyUser, text: str, limit: int = 10) -> QuerySet[User]:
    """Process owners are management-team members; searched, never listed in full."""
    if not permissions.can_triage(user) or not text.strip():
        return User.objects.none()
    text = text.strip()
    return (
        User.objects.filter(is_active=True, groups__name=permissions.GROUP_MANAGEMENT)
        .filter(
            Q(username__istartswith=text)
            | Q(first_name__istartswith=text)
            | Q(last_name__istartswith=text)
        )
        .select_related("institution")
        .order_by("username")[:limit]
    )


def merge_candidates(
    *, user: AnyUser, text: str, exclude: Defect, limit: int = 10
) -> QuerySet[Defect]:
    """Defects to merge into, found by key or text search; never a list of every defect."""
    if not permissions.can_merge(user) or not text.strip():
        return Defect.objects.none()
    qs = defect_list(user=user, filters={"q": text}).exclude(pk=exclude.pk)
    return qs.exclude(status=DefectStatus.DUPLICATE)[:limit]


def defect_duplicates(*, user: AnyUser, defect: Defect) -> QuerySet[Defect]:
    """The visible defects merged into ``defect`` as its duplicates."""
    return permissions.visible_defects(user).filter(duplicate_of=defect)
