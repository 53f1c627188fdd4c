"""One page of the triage queue in its deadline order, without sorting every matching row.

The order (``issues.selectors.deadlines.deadline_ranked``) puts a defect due within ten working
days before the rest of its tier, by that date. "Due" depends on today, so no index holds that
order, and PostgreSQL sorted every match of the first rank group to find fifty rows: at
1,000,000 defects the filtered queue took 146 ms and a broad text search 315 ms (issue 17).

Every defect falls into exactly one of three parts, and each part *is* in an index's order:

- ``due``: its own deadline, no recurring one, and due: in the order of
  ``defect_queue_due_idx`` / ``defect_status_due_idx`` (by deadline inside the tier);
- ``rest``: no recurring deadline and not due: in the order of ``defect_triage_queue_idx`` /
  ``defect_status_rank_idx``, the rank order with the deadline as a late tie-break;
- ``recurring``: tied to a recurring deadline (a few, such as the payroll run): sorted in full.

Each part gives its first ``offset + limit`` rows in the queue's order; merged in Python by the
same key, they give the page. ``tests/issues/selectors/test_queue_order.py`` checks the pages
against the single sorted query, which SQLite keeps using.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from issues.models import Defect
from issues.selectors.deadlines import DeadlineContext, deadline_ranked
from issues.workflow import UNTRIAGED_STATUSES
from priorities.deadlines import next_monthly
from priorities.ranking import last_urgent_day

FIELDS = (
    "pk",
    "status",
    "tier",
    "weekly_cost",
    "institutions_affected",
    "deadline",
    "recurring_deadline_id",
    "created_at",
)
LATE = dt.date.max


def page_ids(
    qs: QuerySet[Defect],
    ctx: DeadlineContext,
    *,
    untriaged_first: bool,
    offset: int,
    limit: int,
    deadline_until: dt.date | None = None,
) -> list[int]:
    """The ids of rows ``offset``…``offset + limit`` of ``qs`` (filtered, not yet ordered) in
    the queue's deadline order, untriaged defects first when ``untriaged_first``.

    ``deadline_until``: the caller's filter admits no row without a recurring deadline whose own
    deadline is missing or later than this. When that is within the urgent days, the "rest" part
    is empty, and PostgreSQL, which cannot tell, would look through every row to find none."""
    first = ("_untriaged",) if untriaged_first else ()
    if connection.vendor != "postgresql":
        ordered = deadline_ranked(qs, ctx, first=first)
        return list(ordered.values_list("pk", flat=True)[offset : offset + limit])
    last = last_urgent_day(today=ctx.today, calendar=ctx.calendar)
    wanted = offset + limit
    own = qs.filter(recurring_deadline__isnull=True)
    due = own.filter(deadline__lte=last).order_by(
        *first, "tier", "deadline", "-weekly_cost", "-institutions_affected", "created_at", "id"
    )
    rest = own.filter(Q(deadline__isnull=True) | Q(deadline__gt=last)).order_by(
        *first, "tier", "-weekly_cost", "-institutions_affected", "deadline", "created_at", "id"
    )
    recurring = deadline_ranked(qs.filter(recurring_deadline__isnull=False), ctx, first=first)
    parts = [due, recurring]
    if deadline_until is None or deadline_until > last:
        parts.append(rest)
    rows = [row for part in parts for row in part.values_list(*FIELDS)[:wanted]]
    recurring_dates = {pk: next_monthly(day, ctx.today) for pk, day in ctx.monthly_days.items()}

    def key(row: tuple[Any, ...]) -> tuple[Any, ...]:
        pk, status, tier, cost, institutions, deadline, recurring_id, created = row
        effective = _earliest((deadline, recurring_dates.get(recurring_id)))
        urgent = effective if effective is not None and effective <= last else None
        head = (status not in UNTRIAGED_STATUSES,) if untriaged_first else ()
        return (
            *head,
            tier,
            urgent or LATE,
            -Decimal(cost),
            -institutions,
            effective or LATE,
            created,
            pk,
        )

    rows.sort(key=key)
    return [row[0] for row in rows[offset:wanted]]


def ranked_defects(
    qs: QuerySet[Defect],
    ctx: DeadlineContext,
    limit: int,
    *,
    deadline_until: dt.date | None = None,
) -> list[Defect]:
    """The first ``limit`` of ``qs`` in the deadline order (no "untriaged first"), as ``qs``'s
    rows: the meeting agenda's and the digest's bounded lists. ``deadline_until``: as for
    ``page_ids``."""
    return ranked_lists(qs, ctx, limit, [(qs, deadline_until)])[0]


def ranked_lists(
    rows_from: QuerySet[Defect],
    ctx: DeadlineContext,
    limit: int,
    lists: Sequence[tuple[QuerySet[Defect], dt.date | None]],
) -> list[list[Defect]]:
    """``ranked_defects`` for each (queryset, deadline_until) of ``lists``, every one a narrowing
    of ``rows_from``, whose rows are read in one query for all the lists."""
    ids = [
        page_ids(
            qs.order_by(),
            ctx,
            untriaged_first=False,
            offset=0,
            limit=limit,
            deadline_until=until,
        )
        for qs, until in lists
    ]
    rows = rows_from.in_bulk({pk for part in ids for pk in part})
    return [[rows[pk] for pk in part] for part in ids]


def _earliest(dates: Iterable[dt.date | None]) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None
