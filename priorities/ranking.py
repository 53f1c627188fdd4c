"""Order inside a tier: the costliest, widest, most urgent and oldest defects first.

Pure: the database ordering in ``issues.selectors`` mirrors ``rank_key`` and a test keeps the two
in step. ``deadline_rank_key`` adds what a date alone cannot say: inside its tier a defect whose
deadline (its own or the next recurring one) is at most ``URGENT_WORKING_DAYS`` working days away
comes before every defect without such a deadline, the fewest working days left first; the rest
keep the cost order. It takes today and the working-day calendar as arguments.

Among urgent defects the earlier deadline comes first. Working days left never decrease as the
date moves on, so this is "fewest working days left first"; it also settles the ties working days
leave (a Friday and the Saturday after have the same count, and the Friday is more urgent), and it
is an order the database can give (``issues.selectors.deadlines.deadline_ranked``) without
counting working days row by row.
"""

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from priorities.deadlines import effective_deadline
from priorities.workdays import WorkCalendar

# Without a deadline a defect sorts after every defect that has one.
_NO_DEADLINE = dt.date.max
# Two working weeks: the time DFØ needs to act before a payroll run, by the team's experience.
URGENT_WORKING_DAYS = 10


@dataclass(frozen=True)
class RankInput:
    tier: int
    extra_hours_per_week: Decimal
    people_affected: int
    institutions_affected: int
    deadline: dt.date | None
    created: dt.datetime
    # Day of the month of a recurring deadline the defect is tied to (the payroll run), if any.
    monthly_deadline_day: int | None = None


def weekly_cost(extra_hours_per_week: Decimal | float | int, people_affected: int) -> Decimal:
    """Extra hours per week across everyone affected; negative estimates count as zero."""
    hours = max(Decimal(str(extra_hours_per_week)), Decimal(0))
    return (hours * max(people_affected, 0)).quantize(Decimal("0.01"))


def rank_key(item: RankInput) -> tuple[int, Decimal, int, dt.date, dt.datetime]:
    """Sort key, ascending: tier, then cost (desc), institutions (desc), deadline, age (oldest)."""
    return (
        item.tier,
        -weekly_cost(item.extra_hours_per_week, item.people_affected),
        -item.institutions_affected,
        item.deadline or _NO_DEADLINE,
        item.created,
    )


def rank(items: list[RankInput]) -> list[RankInput]:
    return sorted(items, key=rank_key)


DeadlineRankKey = tuple[int, int, dt.date, Decimal, int, dt.date, dt.datetime]


def working_days_left(item: RankInput, *, today: dt.date, calendar: WorkCalendar) -> int | None:
    """Working days from today to the effective deadline (negative once it has passed)."""
    deadline = effective_deadline(item.deadline, item.monthly_deadline_day, today)
    return None if deadline is None else calendar.working_days_between(today, deadline)


def last_urgent_day(
    *, today: dt.date, calendar: WorkCalendar, urgent_within: int = URGENT_WORKING_DAYS
) -> dt.date:
    """The last date at most ``urgent_within`` working days after today: the day before the
    next working day would make it one too many (a weekend or holiday after it still counts)."""
    return calendar.add_working_days(today, urgent_within + 1) - dt.timedelta(days=1)


def deadline_rank_key(
    item: RankInput,
    *,
    today: dt.date,
    calendar: WorkCalendar,
    urgent_within: int = URGENT_WORKING_DAYS,
    last_urgent: dt.date | None = None,
) -> DeadlineRankKey:
    """Sort key, ascending: tier, urgent deadline first (fewest working days left), then cost
    (desc), institutions (desc), deadline, age. A passed deadline is the most urgent of all.

    ``last_urgent`` is ``last_urgent_day`` for these arguments, when the caller has it already."""
    deadline = effective_deadline(item.deadline, item.monthly_deadline_day, today)
    last = last_urgent or last_urgent_day(
        today=today, calendar=calendar, urgent_within=urgent_within
    )
    urgent = deadline is not None and deadline <= last
    # After the urgency keys, the plain rank order with the effective deadline in place.
    _tier, cost, reach, date, created = rank_key(replace(item, deadline=deadline))
    urgent_on = deadline if urgent and deadline is not None else _NO_DEADLINE
    return (item.tier, 0 if urgent else 1, urgent_on, cost, reach, date, created)


def rank_with_deadlines(
    items: list[RankInput], *, today: dt.date, calendar: WorkCalendar
) -> list[RankInput]:
    last = last_urgent_day(today=today, calendar=calendar)
    return sorted(
        items,
        key=lambda i: deadline_rank_key(i, today=today, calendar=calendar, last_urgent=last),
    )
