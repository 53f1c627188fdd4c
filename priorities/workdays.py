"""Working days: weekdays that are not public holidays. Pure: the holidays are an argument.

The fix-confirmation window and the deadline weighting in the ranking count working days, and both
take a ``WorkCalendar`` so tests can pass any set of holidays. ``norwegian_calendar`` is the one
the app uses: Norway's public holidays from the ``holidays`` package (Easter, Ascension, Whit
Monday, 1 and 17 May, Christmas ...). Christmas Eve and New Year's Eve are not public holidays and
count as working days, as the law has it.
"""

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

SATURDAY = 5


@dataclass(frozen=True)
class WorkCalendar:
    """Weekends and the given holidays are not working days."""

    holidays: Collection[dt.date] | Callable[[dt.date], bool] = field(default=frozenset())

    def is_holiday(self, day: dt.date) -> bool:
        if callable(self.holidays):
            return bool(self.holidays(day))
        return day in self.holidays

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < SATURDAY and not self.is_holiday(day)

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        while count:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is before."""
        if end < start:
            return -self.working_days_between(end, start)
        days = (end - start).days
        return sum(self.is_working_day(start + dt.timedelta(days=i)) for i in range(1, days + 1))


@lru_cache(maxsize=1)
def _norway() -> holidays.HolidayBase:
    return holidays.Norway()


def _is_norwegian_holiday(day: dt.date) -> bool:
    # The holidays object fills in each year on first use.
    return day in _norway()


def norwegian_calendar() -> WorkCalendar:
    return WorkCalendar(holidays=_is_norwegian_holiday)
