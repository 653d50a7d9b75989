"""What one view of a plan page costs the database: at most 12 SQL statements and exactly one audit
row, the same at 10 and at 200 plan items (no query per item), on the family and practitioner doors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func
from sqlmodel import Session, select

from app import SaferPlan
from app.audit.models import AuditEvent
from tests.factories.busy_plan import busy_plan
from tests.factories.fixtures import SignIn
from tests.factories.people import Case

MAX_STATEMENTS = 12


# Transaction control is not work the page asks for: the tests' savepoints (the app's session
# joins the test's transaction) and, outside tests, BEGIN IMMEDIATE on SQLite (app.db).
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


@contextmanager
def counting(application: SaferPlan) -> Iterator[list[str]]:
    """Every SQL statement that reads or writes data sent while the block runs, as sent."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            sent.append(statement)

    engine = application.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def audit_rows(db: Session) -> int:
    return db.exec(select(func.count()).select_from(AuditEvent)).one()


def cost_of(application: SaferPlan, db: Session, client: Any, path: str) -> tuple[int, int, list[str]]:
    """(statements, audit rows) for one GET of `path`, after a first look (whose first-visit writes
    are one-offs), and the statements themselves for the failure message."""
    assert client.get(path).status_code == 200
    before = audit_rows(db)
    with counting(application) as sent:
        answer = client.get(path)
    assert answer.status_code == 200
    return len(sent), audit_rows(db) - before, sent


PAGES = {
    "young person": ("young_person", "/c/{child_id}"),
    "parent": ("parent", "/c/{child_id}"),
    "trusted adult": ("trusted_adult", "/c/{child_id}"),
    "worker": ("worker", "/children/{child_id}"),
}


@pytest.mark.parametrize("items", [10, 200])
@pytest.mark.parametrize("reader", list(PAGES))
def test_one_view_costs_few_statements_and_one_audit_row(
    application: SaferPlan, db: Session, case: Case, sign_in: SignIn, reader: str, items: int
) -> None:
    busy_plan(db, case, items=items)
    db.commit()
    person, path = PAGES[reader]
    client = sign_in(getattr(case, person))
    statements, audited, sent = cost_of(application, db, client, path.format(child_id=case.child_id))
    print(f"{reader} at {items} items: {statements} statements, {audited} audit rows")
    assert statements <= MAX_STATEMENTS, "\n".join(sent)
    assert audited == 1


@pytest.mark.parametrize("reader", list(PAGES))
def test_a_look_again_writes_only_its_audit_row(
    application: SaferPlan, db: Session, case: Case, sign_in: SignIn, reader: str
) -> None:
    """Under SQLite's one write lock, what a read page writes is what the processes queue for:
    looking again at an unchanged plan writes the fact of the look (R21) and nothing else (the
    "what's new" bookmark and the sign-in session move their times at most now and then)."""
    busy_plan(db, case, items=10)
    db.commit()
    person, path = PAGES[reader]
    client = sign_in(getattr(case, person))
    _statements, audited, sent = cost_of(application, db, client, path.format(child_id=case.child_id))
    writes = [s for s in sent if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert audited == 1
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("INSERT INTO AUDIT_EVENT"), "\n".join(writes)


@pytest.mark.parametrize("items", [10, 200])
def test_a_304_costs_no_more_than_the_page(
    application: SaferPlan, db: Session, case: Case, sign_in: SignIn, items: int
) -> None:
    """The repeat visit decides its 304 after the audited access check, before any list is read."""
    busy_plan(db, case, items=items)
    db.commit()
    client = sign_in(case.parent)
    path = f"/c/{case.child_id}"
    etag = client.get(path).headers["ETag"]
    before = audit_rows(db)
    with counting(application) as sent:
        answer = client.get(path, headers={"If-None-Match": etag})
    assert answer.status_code == 304
    assert audit_rows(db) - before == 1
    assert len(sent) <= MAX_STATEMENTS - 1, "\n".join(sent)  # one fewer: no lists


def test_the_one_row_still_names_every_permission_the_page_used(db: Session, case: Case, sign_in: SignIn) -> None:
    """Fewer rows, not fewer facts: the page's other permissions are in the row's detail."""
    busy_plan(db, case, items=10)
    db.commit()
    before = db.exec(select(func.max(AuditEvent.id))).one() or 0
    assert sign_in(case.young_person).get(f"/c/{case.child_id}").status_code == 200
    assert sign_in(case.worker).get(f"/children/{case.child_id}").status_code == 200
    rows = db.exec(select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.id)).all()  # type: ignore[operator]
    reads = [(row.actor, row.kind, row.action, row.detail) for row in rows if row.child_id == case.child_id]
    # Written by a plain INSERT (app.audit.operations.write_audit_only), the rows are still whole:
    # their time and session, and on PostgreSQL the writing transaction's id (the changes feed's order).
    assert all(row.at is not None and row.session_id for row in rows)
    if db.get_bind().dialect.name == "postgresql":
        assert all(row.txid is not None for row in rows)
    assert reads == [
        (f"family:{case.young_person_id}", "read", "plan.read", "also:meeting.take_part"),
        (f"practitioner:{case.worker.id}", "read", "plan.read_full", "also:plan.history"),
    ]
