"""R24: two editors bring Jordan's review forward at the same moment, from the same review: one does.

Sam records an incident that brings the review forward and holds his transaction open; Priya, the
chair, records one from the review as she saw it before Sam's. Her write must not overwrite his
date: the check and the write are one UPDATE of the plan's revision (app.incidents.operations), so
on PostgreSQL her UPDATE waits for Sam's lock and then matches no row, and on SQLite (transactions
begin IMMEDIATE) she waits at the start and then finds the review moved. Either way she is told.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app import SaferPlan
from app.actors import Actor
from app.auth.models import AccountKind
from app.errors import Conflict
from app.incidents.inputs import IncidentInput
from app.incidents.models import Incident
from app.incidents.operations import record_incident
from app.incidents.queries import review_state
from app.people.models import Practitioner
from app.timeutil import today
from app.workingdays import add_working_days
from tests.support.two_writers import DemoDatabase, demo_database, in_thread, wait_until_someone_waits_for_a_lock

THREAD_TIMEOUT = 30


@pytest.fixture
def database(application: SaferPlan, tmp_path: Path) -> Iterator[DemoDatabase]:
    """A database of its own (writers here commit); `application` sets up field encryption."""
    with demo_database(tmp_path, "review_race") as found:
        yield found


def _actor(session: Session, email: str) -> Actor:
    found = session.exec(select(Practitioner.id).where(Practitioner.email == email)).one()
    return Actor(kind=AccountKind.PRACTITIONER, account_id=found or 0)


def _incident(seen: tuple[int, int], new_date: date, words: str) -> IncidentInput:
    return IncidentInput.parse(
        {
            "kind": "missing_episode",
            "occurred_at": f"{(today() - timedelta(days=1)).isoformat()}T22:00",
            "what_happened": words,
            "review": "bring_forward",
            "new_review_date": new_date.isoformat(),
            "review_revision": seen[0],
            "review_version": seen[1],
        }
    )


def test_bringing_the_review_forward_from_a_review_moved_meanwhile_is_refused(database: DemoDatabase) -> None:
    child_id = database.demo.jordan_id
    with database.session() as setup:
        sam = _actor(setup, database.demo.social_worker_email)
        priya = _actor(setup, database.demo.chair_email)
        state = review_state(setup, child_id, today())
        assert state is not None and state.proposed is not None
        seen = (state.revision, state.version_id)
    sams_date, priyas_date = add_working_days(today(), 1), add_working_days(today(), 2)
    assert sams_date < priyas_date < (state.review_on or date.max)

    def priya_brings_it_forward() -> Incident:
        with database.session() as second:
            row = record_incident(
                session=second, actor=priya, child_id=child_id, incident=_incident(seen, priyas_date, "PRIYAS")
            )
            second.commit()
            return row

    with database.session() as first:
        record_incident(session=first, actor=sam, child_id=child_id, incident=_incident(seen, sams_date, "SAMS"))
        thread, outcome = in_thread(priya_brings_it_forward)
        wait_until_someone_waits_for_a_lock(database.engine, outcome)  # type: ignore[arg-type]
        first.commit()
    thread.join(THREAD_TIMEOUT)

    assert isinstance(outcome.error, Conflict), outcome.error
    with database.session() as after:
        rows = after.exec(select(Incident)).all()
        assert [(r.what_happened, r.review_moved_to) for r in rows] == [("SAMS", sams_date)]
        moved = review_state(after, child_id, today())
        assert moved is not None and moved.review_on == sams_date and moved.revision == seen[0] + 1
