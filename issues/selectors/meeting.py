"""The agenda for the next meeting with DFØ, read from the defects, their transitions and history."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from issues import permissions, workflow
from issues.filters import DefectFilter
from issues.models import Defect, Meeting, Release, StatusChange
from issues.models.defects import KEY_PREFIX
from issues.permissions import AnyUser
from issues.selectors.dashboard_counts import open_total
from issues.selectors.deadlines import (
    before_meeting_q,
    deadline_context_for,
    mark_deadlines,
    upcoming_meeting,
)
from issues.selectors.queue_order import ranked_lists
from issues.selectors.releases import overdue_releases

AGENDA_FIELDS = (
    "title",
    "status",
    "tier",
    "dfo_reference",
    "created_at",
    "reported_to_dfo_at",
    "area__code",
    "deadline",
    "recurring_deadline_id",
    "extra_hours_per_week",
    "people_affected",
    "institutions_affected",
)

STATUS_CHANGE_FIELDS = (
    "kind",
    "from_status",
    "to_status",
    "at",
    "note",
    "defect__title",
    "merged_from__title",
)

# A meeting agenda is read aloud; more rows than this per section are cut with a note.
SECTION_LIMIT = 50


# Without an earlier meeting on record, "since the previous meeting" means this long ago.
DEFAULT_PERIOD = dt.timedelta(days=14)


@dataclass
class Agenda:
    meeting: Meeting | None
    since: dt.datetime
    tier1: list[Defect]
    newly_reported: list[Defect]
    status_changes: list[StatusChange]
    tier_changes: list[dict[str, Any]]
    missed_releases: list[Release]
    waiting_longest: list[Defect]
    deadline_soon: list[Defect]
    open_count: int = 0
    limit: int = SECTION_LIMIT


def next_meeting(now: dt.datetime | None = None) -> tuple[Meeting | None, dt.datetime]:
    """The next meeting (or None) and when the previous one was (the start of the period)."""
    now = now or timezone.now()
    meeting = upcoming_meeting(now)
    before = meeting.starts_at if meeting else now
    previous = Meeting.objects.filter(starts_at__lt=before).order_by("-starts_at").first()
    since = previous.starts_at if previous else before - DEFAULT_PERIOD
    return meeting, min(since, now)


def _tier_changes(
    visible: QuerySet[Defect], since: dt.datetime, *, everything: bool
) -> list[dict[str, Any]]:
    """The newest tier changes since ``since``: history rows whose tier differs from the row
    before them. Only updates can change a tier, and each looks up its own previous row (by the
    history's ``id`` index) instead of a window over every touched defect's whole history."""
    history = Defect.history.model
    previous = (
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("tier")[:1]
    )
    rows = (
        history.objects.filter(history_date__gte=since, history_type="~")
        .annotate(previous_tier=Subquery(previous))
        .filter(previous_tier__isnull=False)
        .exclude(previous_tier=F("tier"))
    )
    if not everything:
        rows = rows.filter(id__in=visible.order_by().values("pk"))
    changes = list(
        rows.order_by("-history_date", "-history_id").values(
            "id", "tier", "previous_tier", "history_date", "tier_override", "override_reason"
        )[:SECTION_LIMIT]
    )
    for r in changes:
        r["key"] = f"{KEY_PREFIX}{r['id']}"
    return changes


def _status_changes(visible: QuerySet[Defect], since: dt.datetime) -> list[StatusChange]:
    """Transitions and merge records since ``since``; a defect's creation is in "newly
    reported"."""
    return list(
        StatusChange.objects.filter(at__gte=since, defect__in=visible.values("pk"))
        .exclude(from_status="")
        .select_related("defect", "merged_from")
        # What the agenda's table shows (row_tags.status_change_rows): not a defect's forty
        # columns for each of the hundred defects.
        .only(*STATUS_CHANGE_FIELDS)
        .order_by("-at")[:SECTION_LIMIT]
    )


def _open_count(open_defects: QuerySet[Defect], *, everything: bool) -> int:
    """With no filter and no visibility rule (the query has no WHERE) every open defect counts:
    the dashboard's aggregate has the number without counting them."""
    total = open_total() if everything else None
    return open_defects.order_by().count() if total is None else total


def meeting_agenda(
    *, user: AnyUser, now: dt.datetime | None = None, filters: Mapping[str, Any] | None = None
) -> Agenda | None:
    """None for someone who may not prepare DFØ meetings (they see nothing).

    ``filters`` (DefectFilter field names) narrow every section, say to one area for a meeting
    about it. Raises ValidationError on bad filters.
    """
    if not permissions.sees_everything(user):
        return None
    now = now or timezone.now()
    meeting, since = next_meeting(now)
    chosen = DefectFilter(data=filters or {}, queryset=permissions.visible_defects(user))
    if not chosen.is_valid():
        raise ValidationError(chosen.errors)
    # Only what the agenda's tables show and the deadline ranking reads: 225 rows of every
    # column were a third of the view's time.
    visible = chosen.qs.select_related("area").only(*AGENDA_FIELDS)
    # No filter and no visibility rule: the query has no WHERE, every defect counts.
    everything = not chosen.qs.query.where
    open_defects = visible.filter(status__in=workflow.OPEN_STATUSES)
    # The release pages' rule: the date passed and a promised defect still waits for its fix.
    missed = []
    for row in overdue_releases(user=user, today=timezone.localdate(now)):
        row.release.unfixed = row.unfixed  # type: ignore[attr-defined]
        missed.append(row.release)
    deadlines = deadline_context_for(now, meeting)
    tier1, soon = ranked_lists(
        open_defects,
        deadlines,
        SECTION_LIMIT,
        [
            (open_defects.filter(tier=1), None),
            (open_defects.filter(before_meeting_q(deadlines)), deadlines.next_meeting),
        ],
    )
    mark_deadlines([*tier1, *soon], deadlines)
    return Agenda(
        meeting=meeting,
        since=since,
        tier1=tier1,
        deadline_soon=soon,
        newly_reported=list(
            visible.filter(reported_to_dfo_at__gte=since).order_by("-reported_to_dfo_at")[
                :SECTION_LIMIT
            ]
        ),
        status_changes=_status_changes(visible, since),
        tier_changes=_tier_changes(chosen.qs, since, everything=everything),
        missed_releases=missed[:SECTION_LIMIT],
        waiting_longest=list(open_defects.order_by("created_at", "id")[: SECTION_LIMIT // 2]),
        open_count=_open_count(open_defects, everything=everything),
    )
