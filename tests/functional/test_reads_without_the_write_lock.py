"""Issue 13: a page reads without SQLite's write lock, and still writes its audit before it answers.

Another connection takes the write lock (BEGIN IMMEDIATE), writes a row, and keeps the lock until the
request's view has made its answer, or for HOLD_AT_MOST seconds if it never does. A request that took
the write lock to read (as every request did) would wait at its first statement and answer only after
the lock was let go: the answer is then not made while the lock is held, and the test fails. The
reader's audit rows must still be written, once the lock is free (the door's write waits for it, and
succeeds although another connection committed after the page began to read) and before the answer
(R21): a row after the other writer's, in the database when the client has its answer. A refusal is
audited the same way. SQLite only: PostgreSQL takes no lock to read.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import Flask, Response
from sqlalchemy import text
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from app import SaferPlan, create_app
from app.api.door import api_limiter
from app.api.inputs import TokenInput
from app.api.models import TokenScope
from app.api.operations import create_token
from app.audit.models import AuditEvent, AuditKind
from app.auth.models import AccountKind
from app.db import Database
from app.plans.models import PlanVersion
from app.timeutil import today
from app.web.limits import family_limiter, practitioner_limiter
from app.whats_new.models import PlanSeen
from app.whats_new.operations import record_look
from tests.factories import people, plans
from tests.factories.people import Case, actor
from tests.support.clients import CsrfClient, make_client
from tests.support.signin import sign_in_as
from tests.support.two_writers import BuiltDatabase, built_database

# Longer than any page takes to render here, shorter than busy_timeout (15 s, app/db.py): a request
# that waits for the lock to read is still waiting when the holder gives up and lets go.
HOLD_AT_MOST = 8.0
OTHER_WRITER = "other-writer"


@dataclass(frozen=True)
class Built:
    jordan: Case
    agreed_version_id: int
    kayla: Case


def _two_cases(session: Session) -> Built:
    """Jordan's agreed plan (Sam his worker); Kayla's case with Alex, who has no link to Jordan."""
    jordan = people.case(session)
    agreed = plans.agreed_plan(session, jordan.child, by=jordan.worker).agreed
    return Built(jordan=jordan, agreed_version_id=agreed.id or 0, kayla=people.other_case(session))


@dataclass
class Answered:
    """Set by the door once the view has made its answer, before the door commits (see `doors`)."""

    event: threading.Event = field(default_factory=threading.Event)

    def install(self, app: Flask) -> None:
        # Registered last, so Flask runs it first of the door's after_request functions: before
        # the API's audit of the call and before the door's commit (app.web.door.end_transaction).
        @app.after_request
        def answered(response: Response) -> Response:
            self.event.set()
            return response


@dataclass(frozen=True)
class Doors:
    database: BuiltDatabase[Built]
    app: SaferPlan
    answered: Answered


@pytest.fixture(scope="module")
def doors(application: SaferPlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Doors]:
    """The app on a database of its own: the lock holder's connection and the app's are separate."""
    with built_database(tmp_path_factory.mktemp("reads"), "reads", _two_cases) as database:
        if database.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's write lock: PostgreSQL takes no lock to read")
        app = create_app(application.settings, Database(database.engine))
        answered = Answered()
        for door in (app.family, app.practitioner, app.api):
            answered.install(door)
        try:
            yield Doors(database=database, app=app, answered=answered)
        finally:
            family_limiter.reset()
            practitioner_limiter.reset()
            api_limiter.reset()


@dataclass
class LockHolder:
    """Another connection holding SQLite's write lock, with a row written, until the answer is made."""

    path: str
    answered: threading.Event
    locked: threading.Event = field(default_factory=threading.Event)
    answered_while_locked: bool = False
    error: BaseException | None = None

    def hold(self) -> None:
        try:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=15)
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute(
                    "INSERT INTO audit_event (at, actor, kind, action, entity, detail)"
                    " VALUES (CURRENT_TIMESTAMP, ?, 'write', 'created', '', '')",
                    (OTHER_WRITER,),
                )
                self.locked.set()
                self.answered_while_locked = self.answered.wait(HOLD_AT_MOST)
                connection.execute("COMMIT")
            finally:
                connection.close()
        except BaseException as exc:  # the test reads it
            self.error = exc
            self.locked.set()


def _audit_rows(doors: Doors) -> list[AuditEvent]:
    with doors.database.session() as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all())


def _while_another_writes(doors: Doors, send: Callable[[], TestResponse]) -> tuple[TestResponse, list[AuditEvent], int]:
    """Send a request (`send()`) while another connection holds the write lock; returns the answer,
    the audit rows written since, and the other writer's row id."""
    before = {row.id for row in _audit_rows(doors)}
    database_path = doors.database.engine.url.database or ""
    doors.answered.event.clear()
    holder = LockHolder(path=database_path, answered=doors.answered.event)
    thread = threading.Thread(target=holder.hold, daemon=True)
    thread.start()
    assert holder.locked.wait(HOLD_AT_MOST), "the other connection never took the lock"
    assert holder.error is None, holder.error
    answer = send()
    thread.join(HOLD_AT_MOST + 5)
    assert holder.error is None, holder.error
    assert holder.answered_while_locked, "the request waited for the write lock before it could answer"
    new = [row for row in _audit_rows(doors) if row.id not in before]
    others = [row.id or 0 for row in new if row.actor == OTHER_WRITER]
    assert len(others) == 1
    return answer, [row for row in new if row.actor != OTHER_WRITER], others[0]


def _signed_in(doors: Doors, door: Flask, kind: AccountKind, account_id: int) -> CsrfClient:
    client = make_client(door)
    with doors.database.session() as session:
        sign_in_as(client, session=session, account_kind=kind, account_id=account_id)
    return client


@pytest.mark.parametrize("reader", ["young person", "allocated worker"])
def test_a_plan_page_is_read_while_another_connection_holds_the_write_lock(doors: Doors, reader: str) -> None:
    jordan = doors.database.built.jordan
    if reader == "young person":
        client = _signed_in(doors, doors.app.family, AccountKind.FAMILY, jordan.young_person_id)
        path, who, permission = f"/c/{jordan.child_id}", actor(jordan.young_person), "plan.read"
    else:
        client = _signed_in(doors, doors.app.practitioner, AccountKind.PRACTITIONER, jordan.worker.id or 0)
        path, who, permission = f"/children/{jordan.child_id}", actor(jordan.worker), "plan.read_full"
    client.get(path)  # a first look: the "what's new" bookmark exists from now on

    answer, audited, other = _while_another_writes(doors, lambda: client.get(path))

    assert answer.status_code == 200
    mine = [row for row in audited if row.actor == who.label]
    assert [(row.kind, row.action, row.child_id) for row in mine] == [(AuditKind.READ, permission, jordan.child_id)]
    assert mine[0].id is not None and mine[0].id > other, "the audit row was not written after the lock was let go"


def test_a_refusal_is_audited_while_another_connection_holds_the_write_lock(doors: Doors) -> None:
    jordan, kayla = doors.database.built.jordan, doors.database.built.kayla
    client = _signed_in(doors, doors.app.practitioner, AccountKind.PRACTITIONER, kayla.worker.id or 0)

    answer, audited, other = _while_another_writes(
        doors,
        lambda: client.get(f"/children/{jordan.child_id}"),
    )

    assert answer.status_code == 404
    denied = [row for row in audited if row.actor == actor(kayla.worker).label]
    assert [(row.kind, row.child_id) for row in denied] == [(AuditKind.DENIED, jordan.child_id)]
    assert (denied[0].id or 0) > other


def test_an_api_read_is_answered_while_another_connection_holds_the_write_lock(doors: Doors) -> None:
    jordan = doors.database.built.jordan
    with doors.database.session() as session:
        token = create_token(
            session=session,
            actor=actor(jordan.worker),
            token=TokenInput.parse(
                {"name": "Reads", "scope": TokenScope.READ.value, "expires_on": str(today() + timedelta(days=30))}
            ),
        )
        session.commit()
    api = doors.app.api.test_client()
    path = f"/children/{jordan.child_id}/plan"

    answer, audited, other = _while_another_writes(
        doors, lambda: api.get(path, headers={"Authorization": f"Bearer {token.raw}"})
    )

    assert answer.status_code == 200
    calls = [row for row in audited if row.api_token_id == token.token.id]
    assert {row.action for row in calls} == {"plan.read_full", "plan.history", "api.call"}
    assert min(row.id or 0 for row in calls) > other
    with doors.database.session() as session:  # the token's last use was written with them
        used = session.execute(text("SELECT last_used_at FROM api_token WHERE id = :id"), {"id": token.token.id})
        assert used.scalar_one() is not None


def test_two_first_looks_at_once_make_one_bookmark(doors: Doors) -> None:
    """Lisa opens Jordan's plan in two tabs at once, for the first time: both pages are shown.

    One look's deferred transaction has begun reading when the other's bookmark is committed: it
    saw no bookmark, and its own insert meets the other's row (app.whats_new.record_look).
    """
    jordan = doors.database.built.jordan
    lisa = actor(jordan.parent)
    database = Database(doors.database.engine)
    with database.session(reads_first=True) as this_tab:
        seen = this_tab.get(PlanVersion, doors.database.built.agreed_version_id)  # its snapshot begins
        assert seen is not None
        assert this_tab.exec(select(PlanSeen).where(PlanSeen.member_id == jordan.parent_id)).all() == []
        with database.session() as other_tab:
            version = other_tab.get(PlanVersion, doors.database.built.agreed_version_id)
            assert version is not None
            record_look(
                session=other_tab, actor=lisa, child_id=jordan.child_id, version=version, review_on=version.review_date
            )
            other_tab.commit()
        bookmark = record_look(
            session=this_tab, actor=lisa, child_id=jordan.child_id, version=seen, review_on=seen.review_date
        )
        this_tab.commit()
    assert bookmark is not None and bookmark.changes_since_version_id is None
    with doors.database.session() as session:
        rows = session.exec(select(PlanSeen).where(PlanSeen.member_id == jordan.parent_id)).all()
        assert [(row.child_id, row.version_id) for row in rows] == [(jordan.child_id, seen.id)]
