"""Deadlines as the pages show them: each defect's effective deadline (its own or the next
recurring one), working days left, and whether it falls before the next DFØ meeting.

The rules are the pure functions in ``priorities``; this module only feeds them today, the
Norwegian calendar, the recurring deadlines and the next meeting.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, DateField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from issues.models import Defect, Meeting, RecurringDeadline
from priorities.deadlines import effective_deadline, next_monthly
from priorities.ranking import RankInput, last_urgent_day
from priorities.workdays import WorkCalendar, norwegian_calendar


@dataclass(frozen=True)
class DeadlineContext:
    today: dt.date
    next_meeting: dt.date | None
    monthly_days: dict[int, int]
    calendar: WorkCalendar


def upcoming_meeting(now: dt.datetime) -> Meeting | None:
    """The next meeting with DFØ at or after ``now``, if one is planned."""
    return Meeting.objects.filter(starts_at__gte=now).order_by("starts_at").first()


def deadline_context(now: dt.datetime | None = None) -> DeadlineContext:
    now = now or timezone.now()
    return deadline_context_for(now, upcoming_meeting(now))


def deadline_context_for(now: dt.datetime, meeting: Meeting | None) -> DeadlineContext:
    """``deadline_context`` for a caller that has looked up the upcoming meeting already."""
    return DeadlineContext(
        today=timezone.localdate(now),
        next_meeting=timezone.localdate(meeting.starts_at) if meeting else None,
        monthly_days=dict(
            RecurringDeadline.objects.filter(active=True).values_list("pk", "day_of_month")
        ),
        calendar=norwegian_calendar(),
    )


def _monthly_day(defect: Defect, ctx: DeadlineContext) -> int | None:
    rid = defect.recurring_deadline_id
    return ctx.monthly_days.get(rid) if rid else None


def defect_deadline(defect: Defect, ctx: DeadlineContext) -> dt.date | None:
    return effective_deadline(defect.deadline, _monthly_day(defect, ctx), ctx.today)


def before_next_meeting(defect: Defect, ctx: DeadlineContext) -> bool:
    """The deadline falls before (or on the day of) the next DFØ meeting: raise it now."""
    deadline = defect_deadline(defect, ctx)
    return bool(deadline and ctx.next_meeting and deadline <= ctx.next_meeting)


def rank_input(defect: Defect, ctx: DeadlineContext) -> RankInput:
    return RankInput(
        tier=defect.tier,
        extra_hours_per_week=defect.extra_hours_per_week,
        people_affected=defect.people_affected,
        institutions_affected=defect.institutions_affected,
        deadline=defect.deadline,
        created=defect.created_at,
        monthly_deadline_day=_monthly_day(defect, ctx),
    )


def mark_deadlines(defects: Iterable[Defect], ctx: DeadlineContext) -> None:
    """Set ``effective_deadline`` and ``deadline_soon`` on each defect, for templates."""
    for defect in defects:
        defect.effective_deadline = defect_deadline(defect, ctx)  # type: ignore[attr-defined]
        defect.deadline_soon = before_next_meeting(defect, ctx)  # type: ignore[attr-defined]


def before_meeting_q(ctx: DeadlineContext) -> Q:
    """Defects whose effective deadline falls on or before the next meeting (nothing if none)."""
    if ctx.next_meeting is None:
        return Q(pk__in=[])
    recurring = [
        pk
        for pk, day in ctx.monthly_days.items()
        if next_monthly(day, ctx.today) <= ctx.next_meeting
    ]
    return Q(deadline__lte=ctx.next_meeting) | Q(recurring_deadline__in=recurring)


def _next_recurring(ctx: DeadlineContext) -> Case | Value:
    """Each defect's next recurring deadline, as a constant per recurring deadline."""
    whens = [
        When(recurring_deadline_id=pk, then=Value(next_monthly(day, ctx.today)))
        for pk, day in ctx.monthly_days.items()
    ]
    if not whens:
        return Value(None, output_field=DateField())
    return Case(*whens, default=Value(None), output_field=DateField())


def deadline_ranked(
    qs: QuerySet[Defect], ctx: DeadlineContext, *, first: tuple[str, ...] = ()
) -> QuerySet[Defect]:
    """``qs`` in the order of ``priorities.ranking.deadline_rank_key``, after the ``first`` keys.

    The urgent cut-off is a date worked out here from the calendar, so the database compares
    dates and never counts working days."""
    recurring = _next_recurring(ctx)
    # SQLite's MIN() of a NULL is NULL where PostgreSQL's LEAST skips it: coalesce both sides.
    effective = Least(Coalesce("deadline", recurring), Coalesce(recurring, "deadline"))
    last = last_urgent_day(today=ctx.today, calendar=ctx.calendar)
    # Urgent rows carry their deadline here, the rest NULL: sorted last, they keep cost order.
    urgent_on = Case(When(_effective__lte=last, then=F("_effective")), default=Value(None))
    return qs.alias(_effective=effective, _urgent_on=urgent_on).order_by(
        *first,
        "tier",
        F("_urgent_on").asc(nulls_last=True),
        "-weekly_cost",
        "-institutions_affected",
        F("_effective").asc(nulls_last=True),
        "created_at",
        "id",
    )
