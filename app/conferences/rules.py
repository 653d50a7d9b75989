"""The conference's rules from seed 004, as pure functions (no database, no clock of their own).

- at least 30 minutes are kept for the plan (fewer only with the chair's reasons);
- the review is set at the close, no later than 3 months after it (3 months, on a working day,
  unless the chair chooses earlier);
- a moved review falls within two weeks of the missed date.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from app.workingdays import is_working_day, working_days_late

# The chair convenes within 15 working days of the weighting (seed 004).
CONFERENCE_WORKING_DAYS = 15
PLAN_MINUTES = 30
REVIEW_MONTHS = 3
MOVE_DAYS = 14


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has fewer (30 November + 3 = 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_minutes(started: time, ended: time) -> int:
    """Whole minutes between the start and the end of the plan's discussion (same day)."""
    on = date(2000, 1, 1)
    return int((datetime.combine(on, ended) - datetime.combine(on, started)).total_seconds() // 60)


def latest_review(closed_on: date) -> date:
    """The review is no later than 3 months after the conference."""
    return add_months(closed_on, REVIEW_MONTHS)


def default_review(closed_on: date) -> date:
    """3 months on, or the last working day before if that falls on a weekend or a bank holiday."""
    review = latest_review(closed_on)
    while not is_working_day(review):
        review -= timedelta(days=1)
    return review


def review_in_range(review_on: date, closed_on: date) -> bool:
    """After the conference, and no later than 3 months after it."""
    return closed_on < review_on <= latest_review(closed_on)


def move_in_range(new_on: date, missed_on: date) -> bool:
    """A moved review takes place within two weeks of the missed date (after it)."""
    return missed_on < new_on <= missed_on + timedelta(days=MOVE_DAYS)


def move_range(missed_on: date) -> tuple[date, date]:
    """The first and last days a review missed on `missed_on` may move to."""
    return missed_on + timedelta(days=1), missed_on + timedelta(days=MOVE_DAYS)


def due_state(due_on: date, on: date, *, closed: bool) -> tuple[str, int]:
    """("done" | "late" | "today" | "later", working days late)."""
    if closed:
        return "done", 0
    if due_on < on:
        return "late", working_days_late(due_on, on)
    return ("today" if due_on == on else "later"), 0
