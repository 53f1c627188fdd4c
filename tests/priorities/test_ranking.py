import datetime as dt
from decimal import Decimal

from priorities.ranking import RankInput, rank, weekly_cost

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def item(**kw: object) -> RankInput:
    base: dict[str, object] = {
        "tier": 2,
        "extra_hours_per_week": Decimal(1),
        "people_affected": 1,
        "institutions_affected": 1,
        "deadline": None,
        "created": T0,
    }
    base.update(kw)
    return RankInput(**base)  # type: ignore[arg-type]


def test_weekly_cost_is_hours_times_people() -> None:
    assert weekly_cost(Decimal("2.5"), 4) == Decimal("10.00")
    assert weekly_cost(3, 0) == Decimal("0.00")
    assert weekly_cost(-1, 5) == Decimal("0.00")


def test_tier_wins_over_cost() -> None:
    cheap_tier1 = item(tier=1, people_affected=1)
    costly_tier3 = item(tier=3, people_affected=500)
    assert rank([costly_tier3, cheap_tier1]) == [cheap_tier1, costly_tier3]


def test_inside_a_tier_higher_cost_first() -> None:
    a = item(extra_hours_per_week=Decimal(1), people_affected=10)
    b = item(extra_hours_per_week=Decimal(5), people_affected=10)
    assert rank([a, b]) == [b, a]


def test_equal_cost_more_institutions_first() -> None:
    a = item(institutions_affected=1)
    b = item(institutions_affected=4)
    assert rank([a, b]) == [b, a]


def test_equal_cost_and_reach_nearest_deadline_first_and_none_last() -> None:
    none = item(deadline=None)
    later = item(deadline=dt.date(2026, 6, 1))
    sooner = item(deadline=dt.date(2026, 2, 1))
    assert rank([none, later, sooner]) == [sooner, later, none]


def test_all_else_equal_oldest_first() -> None:
    old = item(created=T0)
    new = item(created=T0 + dt.timedelta(days=3))
    assert rank([new, old]) == [old, new]
