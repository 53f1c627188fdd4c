"""The agenda for the next meeting with DFØ, read from the defects, their transitions and history."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import Lag
from django.utils import timezone

from issues import permissions, workflow
from issues.models import Defect, Meeting, Release, StatusChange
from issues.models.defects import KEY_PREFIX
from issues.permissions import AnyUser

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
    limit: int = SECTION_LIMIT


def next_meeting(now: dt.datetime | None = None) -> tuple[Meeting | None, dt.datetime]:
    """The next meeting (or None) and when the previous one was (the start of the period)."""
    now = now or timezone.now()
    meeting = Meeting.objects.filter(starts_at__gte=now).order_by("starts_at").first()
    before = meeting.starts_at if meeting else now
    previous = Meeting.objects.filter(starts_at__lt=before).order_by("-starts_at").first()
    since = previous.starts_at if previous else before - DEFAULT_PERIOD
    return meeting, min(since, now)


def _tier_changes(visible: QuerySet[Defect], since: dt.datetime) -> list[dict[str, Any]]:
    history = Defect.history.model
    touched = history.objects.filter(history_date__gte=since).values("id")
    rows = (
        history.objects.filter(id__in=touched)
        .annotate(
            previous_tier=Window(
                Lag("tier"), partition_by=[F("id")], order_by=F("history_id").asc()
            )
        )
        .values("id", "tier", "previous_tier", "history_date", "tier_override", "override_reason")
    )
    visible_ids = set(visible.filter(pk__in=touched).values_list("pk", flat=True))
    changes = [
        r
        for r in rows
        if r["history_date"] >= since
        and r["previous_tier"] is not None
        and r["previous_tier"] != r["tier"]
        and r["id"] in visible_ids
    ]
    for r in changes:
        r["key"] = f"{KEY_PREFIX}{r['id']}"
    changes.sort(key=lambda r: r["history_date"], reverse=True)
    return changes[:SECTION_LIMIT]


def meeting_agenda(*, user: AnyUser, now: dt.datetime | None = None) -> Agenda | None:
    """None for someone who may not prepare DFØ meetings (they see nothing)."""
    if not permissions.sees_everything(user):
        return None
    now = now or timezone.now()
    meeting, since = next_meeting(now)
    visible = permissions.visible_defects(user).select_related("area", "institution")
    open_defects = visible.filter(status__in=workflow.OPEN_STATUSES)
    # Releases whose date passed: not delivered, or delivered with defects still not fixed.
    passed = list(Release.objects.filter(expected_date__lt=now.date()).order_by("expected_date"))
    unfixed = dict(
        visible.filter(target_release__in=passed)
        .exclude(status__in=workflow.FIXED_STATUSES)
        .order_by()
        .values_list("target_release")
        # COUNT(*), not COUNT(id): defect_release_unfixed_idx then answers without the table.
        .annotate(n=Count("*"))
        .values_list("target_release", "n")
    )
    missed = []
    for release in passed:
        release.unfixed = unfixed.get(release.pk, 0)  # type: ignore[attr-defined]
        if release.delivered_date is None or release.unfixed:  # type: ignore[attr-defined]
            missed.append(release)
    return Agenda(
        meeting=meeting,
        since=since,
        tier1=list(open_defects.filter(tier=1).order_by("created_at", "id")[:SECTION_LIMIT]),
        newly_reported=list(
            visible.filter(reported_to_dfo_at__gte=since).order_by("-reported_to_dfo_at")[
                :SECTION_LIMIT
            ]
        ),
        status_changes=list(
            StatusChange.objects.filter(at__gte=since, defect__in=visible.values("pk"))
            .exclude(from_status=F("to_status"))
            .exclude(from_status="")
            .select_related("defect", "actor")
            .order_by("-at")[:SECTION_LIMIT]
        ),
        tier_changes=_tier_changes(permissions.visible_defects(user), since),
        missed_releases=missed[:SECTION_LIMIT],
        waiting_longest=list(open_defects.order_by("created_at", "id")[: SECTION_LIMIT // 2]),
    )
