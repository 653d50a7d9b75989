"""The review date the plan keeps (`Plan.review_on`, which the work tray and the reminders sort and
filter by) is always the one the pages work out from the latest agreed version and its incidents
(app.incidents.queries.review_on): through a first agreement, an incident bringing the review
forward, one keeping it, a second agreement (a new version starts from its own date), and a plan
with nothing agreed yet. A bring-forward that raced an agreement is a conflict, never a date of the
version before (R24). Issue 13: kept on the plan so a 5,000-case tray sorts a column."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from app.errors import Conflict
from app.incidents.operations import _bring_forward
from app.incidents.queries import review_on, review_state
from app.people.models import Child
from app.plans.models import Plan
from app.plans.versions import latest_agreed
from tests.factories import people, plans
from tests.factories.people import Case
from tests.support.incidents import freeze, incident

# The app's clock stops on Friday 18 December 2026: the incidents below happen the night before.
FRIDAY = date(2026, 12, 18)


def _kept_and_worked_out(db: Session, child: Child) -> tuple[date | None, date | None]:
    """(the date the plan keeps, the date the pages work out), both read afresh from the database."""
    db.expire_all()
    plan = db.exec(select(Plan).where(Plan.child_id == child.id)).one()
    agreed = latest_agreed(session=db, plan_id=plan.id or 0)
    return plan.review_on, review_on(db, agreed) if agreed is not None else None


@pytest.fixture
def jordan(db: Session, case: Case, monkeypatch: pytest.MonkeyPatch) -> Case:
    freeze(monkeypatch, FRIDAY)
    return case


def test_the_kept_review_date_follows_every_write_that_moves_it(db: Session, jordan: Case) -> None:
    child, worker = jordan.child, jordan.worker
    started = plans.plan(db, child, by=worker)
    db.commit()
    assert _kept_and_worked_out(db, child) == (None, None)  # nothing agreed: no review yet

    plans.agree(db, started, by=worker, agreed_on=date(2026, 11, 27), review_date=date(2027, 1, 15))
    db.commit()
    assert _kept_and_worked_out(db, child) == (date(2027, 1, 15), date(2027, 1, 15))

    # Keeping the review moves nothing; bringing it forward moves both.
    incident(db, child, by=worker, when="2026-12-17T09:00", review="keep")
    db.commit()
    assert _kept_and_worked_out(db, child) == (date(2027, 1, 15), date(2027, 1, 15))
    incident(db, child, by=worker, when="2026-12-17T23:30", review="bring_forward", new_review_date=date(2026, 12, 23))
    db.commit()
    assert _kept_and_worked_out(db, child) == (date(2026, 12, 23), date(2026, 12, 23))
    incident(db, child, by=worker, when="2026-12-18T08:00", review="bring_forward", new_review_date=date(2026, 12, 21))
    db.commit()
    assert _kept_and_worked_out(db, child) == (date(2026, 12, 21), date(2026, 12, 21))

    # The review meeting agrees a new version: its own date, not the one an incident gave the last.
    plans.agree(db, started, by=worker, agreed_on=date(2026, 12, 21), review_date=date(2027, 2, 12))
    db.commit()
    assert _kept_and_worked_out(db, child) == (date(2027, 2, 12), date(2027, 2, 12))


def test_a_bring_forward_that_raced_an_agreement_is_a_conflict(db: Session, jordan: Case) -> None:
    child, worker = jordan.child, jordan.worker
    agreed = plans.agreed_plan(db, child, by=worker, agreed_on=date(2026, 11, 27), review_date=date(2027, 1, 15))
    db.commit()
    # A worker's incident read the review of version 1 ...
    seen = review_state(db, child.id or 0, FRIDAY)
    assert seen is not None and seen.version_id == agreed.agreed.id
    # ... a meeting agreed version 2 meanwhile ...
    plans.agree(db, agreed.plan, by=worker, agreed_on=date(2026, 12, 18), review_date=date(2027, 2, 12))
    db.commit()
    # ... so the incident's write of version 1's review finds the plan moved on, and writes nothing.
    with pytest.raises(Conflict):
        _bring_forward(db, people.actor(worker), seen, date(2026, 12, 22))
    db.rollback()
    assert _kept_and_worked_out(db, child) == (date(2027, 2, 12), date(2027, 2, 12))
