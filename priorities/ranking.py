"""Order inside a tier: the costliest, widest, most urgent and oldest defects first.

Pure: the database ordering in ``issues.selectors`` mirrors ``rank_key`` and a test keeps the two
in step.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

# Without a deadline a defect sorts after every defect that has one.
_NO_DEADLINE = dt.date.max


@dataclass(frozen=True)
class RankInput:
    tier: int
    extra_hours_per_week: Decimal
    people_affected: int
    institutions_affected: int
    deadline: dt.date | None
    created: dt.datetime


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
