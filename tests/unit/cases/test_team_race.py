"""Two people each take a different allocated worker off a case at the same moment: one stays.

Jordan's case is being handed over (Sam and Alex are both allocated workers). Sam removes Alex
and holds his transaction open; Priya, the chair, at the same time removes Sam. Each alone would
be allowed (two allocated workers, one leaves), so the check must see the other's change: the
case team changes one request at a time (app.cases.operations locks the child's row), and Priya
is refused with the reason. Without the lock, on PostgreSQL both would count two and both succeed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.actors import Actor
from app.auth.models import AccountKind
from app.cases import operations
from app.errors import ValidationFailed
from app.people.inputs import AssignmentInput
from app.people.models import CaseAssignment, CaseRole, Practitioner
from tests.support.two_writers import DemoDatabase, demo_database, in_thread, wait_until_someone_waits_for_a_lock

THREAD_TIMEOUT = 30


@pytest.fixture
def database(application: SaferPlan, tmp_path: Path) -> Iterator[DemoDatabase]:
    """A database of its own (writers here commit); `application` sets up field encryption."""
    with demo_database(tmp_path, "team_race") as found:
        yield found


def _actor(session: Session, email: str) -> Actor:
    found = session.exec(select(Practitioner.id).where(Practitioner.email == email)).one()
    return Actor(kind=AccountKind.PRACTITIONER, account_id=found or 0)


def _assignment(session: Session, child_id: int, actor: Actor) -> int:
    found = session.exec(
        select(CaseAssignment.id).where(
            CaseAssignment.child_id == child_id,
            CaseAssignment.practitioner_id == actor.account_id,
            col(CaseAssignment.ended_on).is_(None),
        )
    ).one()
    return found or 0


def test_the_last_allocated_worker_check_sees_a_removal_committed_while_it_waited(database: DemoDatabase) -> None:
    child_id = database.demo.jordan_id
    with database.session() as setup:
        sam = _actor(setup, database.demo.social_worker_email)
        priya = _actor(setup, database.demo.chair_email)
        alex = _actor(setup, database.demo.other_worker_email)
        operations.add_to_team(
            session=setup,
            actor=sam,
            child_id=child_id,
            member=AssignmentInput(practitioner_id=alex.account_id, case_role=CaseRole.ALLOCATED_WORKER),
        )
        sams, alexs = _assignment(setup, child_id, sam), _assignment(setup, child_id, alex)
        setup.commit()

    def priya_removes_sam() -> None:
        with database.session() as second:
            operations.remove_from_team(session=second, actor=priya, child_id=child_id, assignment_id=sams)
            second.commit()

    with database.session() as first:
        operations.remove_from_team(session=first, actor=sam, child_id=child_id, assignment_id=alexs)
        thread, outcome = in_thread(priya_removes_sam)
        wait_until_someone_waits_for_a_lock(database.engine, outcome)  # type: ignore[arg-type]
        first.commit()
    thread.join(THREAD_TIMEOUT)

    # Priya may change the team (she is the chair); she is refused only because Alex's removal,
    # committed while she waited, made Sam the last allocated worker.
    assert isinstance(outcome.error, ValidationFailed), outcome.error
    assert "only allocated worker" in str(outcome.error.errors["__all__"])
    with database.session() as session:
        assert _assignment(session, child_id, sam) == sams
