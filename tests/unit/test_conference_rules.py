"""Seed 004's rules for context conferences, as pure functions: the 15-working-day deadline, the 30
minutes kept for the plan, the review no later than 3 months on, a moved review within two weeks."""

from __future__ import annotations

from datetime import date, time

import pytest

from app.conferences import rules
from app.conferences.agenda import FIELDS, PRESENTATION, STEP_COUNT, STEPS
from app.workingdays import add_working_days


@pytest.mark.parametrize(
    ("why", "weighed", "due"),
    [
        ("an ordinary fortnight and a bit", date(2026, 11, 30), date(2026, 12, 21)),
        ("across Christmas 2026 (substitute Boxing Day, New Year)", date(2026, 12, 24), date(2027, 1, 19)),
        ("across Easter 2027", date(2027, 3, 24), date(2027, 4, 16)),
    ],
)
def test_a_conference_is_due_within_15_working_days(why: str, weighed: date, due: date) -> None:
    assert add_working_days(weighed, rules.CONFERENCE_WORKING_DAYS) == due, why


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # a leap year
        (date(2026, 10, 15), 3, date(2027, 1, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_the_months_last(start: date, months: int, expected: date) -> None:
    assert rules.add_months(start, months) == expected


def test_minutes_kept_for_the_plan() -> None:
    assert rules.plan_minutes(time(14, 0), time(14, 30)) == rules.PLAN_MINUTES
    assert rules.plan_minutes(time(14, 50), time(15, 19)) == 29


def test_the_review_is_after_the_conference_and_no_later_than_3_months() -> None:
    closed = date(2026, 11, 30)
    assert rules.latest_review(closed) == date(2027, 2, 28)
    assert rules.review_in_range(date(2027, 2, 28), closed)
    assert rules.review_in_range(date(2026, 12, 1), closed)
    assert not rules.review_in_range(date(2027, 3, 1), closed)
    assert not rules.review_in_range(closed, closed)
    # The default is 3 months on, on a working day: Sunday 28 February 2027 -> Friday the 26th.
    assert rules.default_review(closed) == date(2027, 2, 26)
    assert rules.default_review(date(2026, 10, 14)) == date(2027, 1, 14)


def test_a_moved_review_falls_within_two_weeks_after_the_missed_date() -> None:
    missed = date(2027, 2, 15)
    assert rules.move_range(missed) == (date(2027, 2, 16), date(2027, 3, 1))
    assert rules.move_in_range(date(2027, 3, 1), missed)
    assert not rules.move_in_range(date(2027, 3, 2), missed)
    assert not rules.move_in_range(missed, missed)
    assert not rules.move_in_range(date(2027, 2, 1), missed)


def test_due_state_late_first_in_working_days() -> None:
    due = date(2027, 1, 19)
    assert rules.due_state(due, date(2027, 1, 21), closed=False) == ("late", 2)
    assert rules.due_state(due, due, closed=False) == ("today", 0)
    assert rules.due_state(due, date(2027, 1, 18), closed=False) == ("later", 0)
    assert rules.due_state(due, date(2027, 2, 1), closed=True) == ("done", 0)


def test_the_agenda_has_seed_000s_ten_steps_and_the_lead_practitioners_presentation() -> None:
    assert STEP_COUNT == 10
    assert [s.key for s in STEPS] == [
        "introduction", "purpose", "review", "mapping", "safeguarding",
        "information", "dynamics", "contexts", "summary", "planning",
    ]  # fmt: skip
    assert {h.name for h in PRESENTATION} <= FIELDS
    assert {"complex_strategy", "s47", "adults_of_concern", "investigations", "places"} <= FIELDS
    # One heading name is one note: no two steps share one.
    assert len(FIELDS) == sum(len(s.headings) for s in STEPS)
