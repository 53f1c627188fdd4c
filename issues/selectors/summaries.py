"""What goes into one person's daily or weekly summary: per kind they chose for that frequency,
what happened in the period that they may see."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from issues import permissions
from issues.models import (
    NotificationKind,
    Routine,
    StatusChange,
    User,
)

# A summary is read, not searched: more lines than this per kind end with "and N more".
LINES_PER_KIND = 30


@dataclass(frozen=True)
class SummarySection:
    kind: str
    lines: list[str]
    more: int = 0


def _status_lines(changes: list[StatusChange]) -> list[str]:
    return [
        f"{c.defect.key} {c.defect.title}: {c.get_from_status_display()} → "
        f"{c.get_to_status_display()} ({c.at:%d.%m %H:%M})"
        for c in changes
    ]


def _changes(user: User, start: dt.datetime, end: dt.datetime, mine: bool) -> list[str]:
    visible = permissions.visible_defects(user)
    qs = (
        StatusChange.objects.filter(at__gte=start, at__lt=end, defect__in=visible)
        .exclude(actor=user)
        .exclude(from_status="")
        .exclude(from_status=F("to_status"))
        .select_related("defect")
        .order_by("at", "id")
    )
    if mine:
        qs = qs.filter(defect__reporter=user)
    else:
        qs = qs.filter(defect__follows__user=user).exclude(defect__reporter=user)
    return _status_lines(list(qs[: LINES_PER_KIND + 1]))


def _confirmations(user: User, start: dt.datetime, end: dt.datetime) -> list[str]:
    if user.institution_id is None:
        return []
    rows = (
        permissions.visible_confirmations(user)
        .filter(institution_id=user.institution_id, created_at__gte=start, created_at__lt=end)
        .select_related("defect")
        .order_by("respond_by", "id")
    )
    return [
        f"{r.defect.key} {r.defect.title}: {r.get_state_display()}, svarfrist {r.respond_by:%d.%m.%Y}"
        for r in rows[: LINES_PER_KIND + 1]
    ]


def _routines(user: User, start: dt.datetime, end: dt.datetime) -> list[str]:
    rows = Routine.objects.filter(owner=user, flagged_at__gte=start, flagged_at__lt=end)
    return [
        f"{r.title}: {r.review_reason}" for r in rows.order_by("flagged_at")[: LINES_PER_KIND + 1]
    ]


def summary_sections(
    *, user: User, kinds: list[str], start: dt.datetime, end: dt.datetime
) -> list[SummarySection]:
    """Non-empty sections for ``kinds``, in the order of NotificationKind."""
    readers = {
        NotificationKind.MY_DEFECTS: lambda: _changes(user, start, end, mine=True),
        NotificationKind.FOLLOWED: lambda: _changes(user, start, end, mine=False),
        NotificationKind.CONFIRMATIONS: lambda: _confirmations(user, start, end),
        NotificationKind.ROUTINES: lambda: _routines(user, start, end),
    }
    sections = []
    for kind in NotificationKind.values:
        if kind not in kinds:
            continue
        lines = readers[NotificationKind(kind)]()
        if lines:
            more = max(len(lines) - LINES_PER_KIND, 0)
            sections.append(SummarySection(kind, lines[:LINES_PER_KIND], more))
    return sections
