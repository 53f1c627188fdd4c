import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from priorities.workdays import WorkCalendar, norwegian_calendar

NORWAY = norwegian_calendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2027, 3, 24), True),  # Wednesday before Easter
        (dt.date(2027, 3, 25), False),  # Maundy Thursday
        (dt.date(2027, 3, 26), False),  # Good Friday
        (dt.date(2027, 3, 29), False),  # Easter Monday
        (dt.date(2027, 3, 30), True),
        (dt.date(2027, 5, 17), False),  # Constitution Day
        (dt.date(2027, 5, 6), False),  # Ascension Day
        (dt.date(2026, 12, 24), True),  # Christmas Eve is not a public holiday
        (dt.date(2026, 12, 25), False),
        (dt.date(2026, 12, 5), False),  # a Saturday
    ],
)
def test_norwegian_working_days(day: dt.date, working: bool) -> None:
    assert NORWAY.is_working_day(day) is working


def test_adding_working_days_skips_easter() -> None:
    assert NORWAY.add_working_days(dt.date(2027, 3, 24), 1) == dt.date(2027, 3, 30)
    assert NORWAY.add_working_days(dt.date(2027, 3, 24), 3) == dt.date(2027, 4, 1)
    assert WorkCalendar().add_working_days(dt.date(2027, 3, 24), 3) == dt.date(2027, 3, 29)


@given(
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    count=st.integers(min_value=0, max_value=60),
)
def test_add_and_count_agree(start: dt.date, count: int) -> None:
    end = NORWAY.add_working_days(start, count)
    assert NORWAY.working_days_between(start, end) == count
    assert end == start or NORWAY.is_working_day(end)
    assert NORWAY.working_days_between(end, start) == -count
