"""Deadlines in the ranking, as tables: today and the calendar are arguments."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from priorities.deadlines import effective_deadline, next_monthly
from priorities.ranking import (
    RankInput,
    deadline_rank_key,
    last_urgent_day,
    rank_with_deadlines,
    working_days_left,
)
from priorities.workdays import WorkCalendar, norwegian_calendar

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 1)  # a Tuesday
NORWAY = norwegian_calendar()


def item(name: str, **kw: object) -> tuple[str, RankInput]:
    base: dict[str, object] = {
        "tier": 2,
        "extra_hours_per_week": Decimal(1),
        "people_affected": 1,
        "institutions_affected": 1,
        "deadline": None,
        "created": T0,
    }
    base.update(kw)
    return name, RankInput(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "today", "expected"),
    [
        (20, dt.date(2026, 12, 1), dt.date(2026, 12, 20)),
        (20, dt.date(2026, 12, 20), dt.date(2026, 12, 20)),  # the run day itself still counts
        (20, dt.date(2026, 12, 21), dt.date(2027, 1, 20)),
        (31, dt.date(2027, 2, 1), dt.date(2027, 2, 28)),  # short month: its last day
        (31, dt.date(2027, 2, 28), dt.date(2027, 2, 28)),
        (30, dt.date(2027, 3, 1), dt.date(2027, 3, 30)),
    ],
)
def test_next_monthly(day: int, today: dt.date, expected: dt.date) -> None:
    assert next_monthly(day, today) == expected


def test_effective_deadline_is_the_earlier() -> None:
    assert effective_deadline(dt.date(2026, 12, 10), 20, TODAY) == dt.date(2026, 12, 10)
    assert effective_deadline(dt.date(2027, 1, 10), 20, TODAY) == dt.date(2026, 12, 20)
    assert effective_deadline(None, None, TODAY) is None


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Tier still wins over any deadline.
        (
            [item("t2-tomorrow", deadline=dt.date(2026, 12, 2)), item("t1-none", tier=1)],
            ["t1-none", "t2-tomorrow"],
        ),
        # Inside a tier an urgent deadline beats a higher cost ...
        (
            [
                item("costly", people_affected=50),
                item("payroll", monthly_deadline_day=20),  # 20 Dec: 13 working days away
                item("friday", deadline=dt.date(2026, 12, 4)),
            ],
            ["friday", "costly", "payroll"],
        ),
        # ... and among urgent ones the fewest working days left first; a passed one first of all.
        (
            [
                item("in-8", deadline=dt.date(2026, 12, 11)),
                item("passed", deadline=dt.date(2026, 11, 27)),
                item("in-3", deadline=dt.date(2026, 12, 4)),
            ],
            ["passed", "in-3", "in-8"],
        ),
        # A distant deadline does not count: cost decides, then the date.
        (
            [
                item("far-cheap", deadline=dt.date(2027, 3, 1)),
                item("none-costly", people_affected=3),
                item("far-cheaper-later", deadline=dt.date(2027, 4, 1)),
            ],
            ["none-costly", "far-cheap", "far-cheaper-later"],
        ),
    ],
)
def test_rank_with_deadlines(rows: list[tuple[str, RankInput]], expected: list[str]) -> None:
    names = {id(r): n for n, r in rows}
    ranked = rank_with_deadlines([r for _n, r in rows], today=TODAY, calendar=NORWAY)
    assert [names[id(r)] for r in ranked] == expected


def test_working_days_left_counts_the_calendar_given() -> None:
    _n, before_christmas = item("x", deadline=dt.date(2026, 12, 28))
    # 1 Dec (Tue) to 28 Dec (Mon): 19 weekdays, minus Christmas Day (Fri 25th) in Norway.
    assert working_days_left(before_christmas, today=TODAY, calendar=WorkCalendar()) == 19
    assert working_days_left(before_christmas, today=TODAY, calendar=NORWAY) == 18
    _n, payroll = item("p", monthly_deadline_day=20)
    # 20 December 2026 is a Sunday: 13 working days after 1 December.
    assert working_days_left(payroll, today=TODAY, calendar=NORWAY) == 13


def test_the_calendar_decides_whether_a_deadline_is_urgent() -> None:
    # 11 weekdays ahead, but a holiday in between makes it 10 working days: urgent only then.
    _n, row = item("x", deadline=dt.date(2026, 12, 16))
    holiday = WorkCalendar(holidays=frozenset({dt.date(2026, 12, 8)}))
    assert deadline_rank_key(row, today=TODAY, calendar=WorkCalendar(), urgent_within=10)[1] == 1
    assert deadline_rank_key(row, today=TODAY, calendar=holiday, urgent_within=10)[1] == 0


@given(
    today=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)),
    ahead=st.integers(min_value=-40, max_value=40),
    within=st.integers(min_value=0, max_value=15),
)
def test_last_urgent_day_is_the_working_day_count(today: dt.date, ahead: int, within: int) -> None:
    # The date cut-off the database uses says "urgent" exactly when the working days left do.
    deadline = today + dt.timedelta(days=ahead)
    left = NORWAY.working_days_between(today, deadline)
    last = last_urgent_day(today=today, calendar=NORWAY, urgent_within=within)
    assert (deadline <= last) == (left <= within)


def test_same_working_days_left_the_earlier_date_first() -> None:
    # Friday 4 and Saturday 5 December both lie 3 working days ahead; the Saturday one costs more.
    rows = [
        item("saturday-costly", deadline=dt.date(2026, 12, 5), people_affected=9),
        item("friday", deadline=dt.date(2026, 12, 4)),
    ]
    names = {id(r): n for n, r in rows}
    ranked = rank_with_deadlines([r for _n, r in rows], today=TODAY, calendar=NORWAY)
    assert [names[id(r)] for r in ranked] == ["friday", "saturday-costly"]
