"""Order inside a tier: the costliest, widest, most urgent and oldest defects first.

Pure: the database ordering in ``issues.selectors`` mirrors ``rank_key`` and a test keeps the two
in step. ``deadline_rank_key`` adds what a date alone cannot say: inside its tier a defect whose
deadline (its own or the next recurring one) is at most ``URGENT_WORKING_DAYS`` working days away
comes before every defect without such a deadline, the fewest working days left first; the rest
keep the cost order. It takes today and the working-day calendar as arguments.
"""

import datetime as dt
from dataclasses import dataclass
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


DeadlineRankKey = tuple[int, int, int, Decimal, int, dt.date, dt.datetime]


def working_days_left(item: RankInput, *, today: dt.date, calendar: WorkCalendar) -> int | None:
    """Working days from today to the effective deadline (negative once it has passed)."""
    deadline = effective_deadline(item.deadline, item.monthly_deadline_day, today)
    return None if deadline is None else calendar.working_days_between(today, deadline)


def deadline_rank_key(
    item: RankInput,
    *,
    today: dt.date,
    calendar: WorkCalendar,
    urgent_within: int = URGENT_WORKING_DAYS,
) -> DeadlineRankKey:
    """Sort key, ascending: tier, urgent deadline first (fewest working days left), then cost
    (desc), institutions (desc), deadline, age. A passed deadline is the most urgent of all."""
    left = working_days_left(item, today=today, calendar=calendar)
    urgent = left is not None and left <= urgent_within
    deadline = effective_deadline(item.deadline, item.monthly_deadline_day, today)
    return (
        item.tier,
        0 if urgent else 1,
        left if urgent and left is not None else 0,
        -weekly_cost(item.extra_hours_per_week, item.people_affected),
        -item.institutions_affected,
        deadline or _NO_DEADLINE,
        item.created,
    )


def rank_with_deadlines(
    items: list[RankInput], *, today: dt.date, calendar: WorkCalendar
) -> list[RankInput]:
    return sorted(items, key=lambda i: deadline_rank_key(i, today=today, calendar=calendar))
