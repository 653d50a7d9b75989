"""Working days in England (issue 12): deadlines across weekends, Christmas, New Year and Easter,
and substitute bank holidays. The functions take the start day, so no clock is involved."""

from __future__ import annotations

from datetime import date

import pytest

from app.timeutil import add_working_days as timeutil_add_working_days
from app.workingdays import add_working_days, is_working_day, next_working_day, working_days_late

# (what, start, working days, due)
DEADLINES = [
    # Thursday 24 December 2026: Friday 25 is Christmas Day, Saturday 26 Boxing Day, whose
    # substitute is Monday 28 December; the first working day after the 24th is Tuesday 29.
    ("Hub enquiry on Christmas Eve 2026", date(2026, 12, 24), 1, date(2026, 12, 29)),
    # 29, 30, 31 Dec; Friday 1 January 2027 is New Year's Day; 4-8 Jan; 11, 12 Jan.
    ("mapping meeting from Christmas Eve 2026", date(2026, 12, 24), 10, date(2027, 1, 12)),
    ("context conference from Christmas Eve 2026", date(2026, 12, 24), 15, date(2027, 1, 19)),
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    ("Hub enquiry before Easter 2027", date(2027, 3, 25), 1, date(2027, 3, 30)),
    ("Hub enquiry on Good Friday 2027", date(2027, 3, 26), 1, date(2027, 3, 30)),
    ("mapping meeting across Easter 2027", date(2027, 3, 24), 10, date(2027, 4, 9)),
    # Weekends: a Friday's and a Saturday's enquiry are both due on the Monday.
    ("Hub enquiry on a Friday", date(2026, 12, 4), 1, date(2026, 12, 7)),
    ("Hub enquiry on a Saturday", date(2026, 12, 5), 1, date(2026, 12, 7)),
    ("Hub enquiry on a Sunday", date(2026, 12, 6), 1, date(2026, 12, 7)),
    ("Hub enquiry on a Monday", date(2026, 12, 7), 1, date(2026, 12, 8)),
    ("ten working days with two weekends", date(2026, 11, 30), 10, date(2026, 12, 14)),
    ("nothing to count", date(2026, 12, 24), 0, date(2026, 12, 24)),
]


@pytest.mark.parametrize(("what", "start", "days", "due"), DEADLINES, ids=[row[0] for row in DEADLINES])
def test_within_n_working_days_counts_from_the_next_working_day(what: str, start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due, what
    # timeutil's older helper gives the same answer (it now asks app.workingdays).
    assert timeutil_add_working_days(start, days) == due


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 28), False),  # substitute Boxing Day
        (date(2026, 12, 29), True),
        (date(2027, 1, 1), False),  # New Year's Day
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 5, 3), False),  # Early May bank holiday
        (date(2026, 12, 5), False),  # a Saturday
        (date(2026, 12, 3), True),
    ],
)
def test_working_days_are_weekdays_that_are_not_bank_holidays_in_england(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_next_working_day_and_lateness_skip_the_christmas_break() -> None:
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    # Due on the 24th, still open on the 30th: late by two working days (29th and 30th).
    assert working_days_late(date(2026, 12, 24), date(2026, 12, 30)) == 2
    assert working_days_late(date(2026, 12, 24), date(2026, 12, 24)) == 0
    assert working_days_late(date(2026, 12, 24), date(2026, 12, 20)) == 0


def test_a_deadline_is_counted_forwards_only() -> None:
    with pytest.raises(ValueError, match="forwards"):
        add_working_days(date(2026, 12, 24), -1)
