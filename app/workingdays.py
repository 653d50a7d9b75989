"""Working days in England: every framework deadline ("within N w/days") is counted here.

A working day is a weekday that is not one of England's bank holidays, from the `holidays`
package (it knows the substitute days, such as Monday 28 December 2026 for a Boxing Day on a
Saturday, and one-off days). "Within N working days" counts from the next working day: an enquiry
received on a Thursday is due, within one working day, on the Friday (DOMAIN.md, "Working days").
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    """England's bank holidays in one year (looked up once per year and kept)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    """A weekday that is not a bank holiday in England."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    current = day + timedelta(days=1)
    while not is_working_day(current):
        current += timedelta(days=1)
    return current


def add_working_days(start: date, days: int) -> date:
    """The day a deadline of `days` working days from `start` falls on (0: `start` itself).

    The count begins on the next working day, whatever day `start` is (a Saturday's enquiry,
    within one working day, is due on the Monday).
    """
    if days < 0:
        raise ValueError("a deadline is counted forwards")
    current = start
    for _ in range(days):
        current = next_working_day(current)
    return current


def working_days_late(due: date, on: date) -> int:
    """How many working days after `due` the day `on` is (0 when it is not late)."""
    late = 0
    current = due
    while current < on:
        current += timedelta(days=1)
        if is_working_day(current):
            late += 1
    return late
