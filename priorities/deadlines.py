"""Deadlines: a defect's own date, or a recurring one kept as data (the monthly payroll run on
a given day of the month). Pure: today is an argument."""

import calendar as _calendar
import datetime as dt

MAX_DAY = 31
DECEMBER = 12


def next_monthly(day_of_month: int, today: dt.date) -> dt.date:
    """The next run on ``day_of_month`` on or after ``today``; short months use their last day."""
    if not 1 <= day_of_month <= MAX_DAY:
        raise ValueError("day_of_month must be 1..31")
    year, month = today.year, today.month
    for _ in range(2):
        last = _calendar.monthrange(year, month)[1]
        candidate = dt.date(year, month, min(day_of_month, last))
        if candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == DECEMBER else (year, month + 1)
    raise AssertionError("unreachable: next month always has a run on or after today")


def effective_deadline(
    deadline: dt.date | None, monthly_day: int | None, today: dt.date
) -> dt.date | None:
    """The earlier of the defect's own deadline and the next recurring one, if any."""
    dates = [d for d in (deadline, next_monthly(monthly_day, today) if monthly_day else None) if d]
    return min(dates) if dates else None
