"""The app's psycopg cursor (app.postgres_cursor): statements go as SQLAlchemy writes them, `$1`
placeholders and all, with `%` in their text, parameters used twice and many rows at once; every
result is described as psycopg's own cursor describes it, only later: the same columns, names and
types, None where psycopg says None, and the right result's columns even when read after the cursor
has moved on. PostgreSQL only (the suite's second run)."""

from __future__ import annotations

import os
from typing import Any

import psycopg
import pytest
from sqlalchemy import bindparam, insert, text
from sqlmodel import Session, select

from app.audit.models import AuditEvent, AuditKind
from app.db_reads import table_of
from app.people.models import Child
from app.postgres_cursor import LeanCursor
from tests.factories.people import Case

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="the app's psycopg cursor: PostgreSQL only",
)

TYPED = "SELECT 1::int AS n, 'a'::text AS word, 2.5::numeric(4, 2) AS amount, now() AS at, NULL::bytea AS blob"


@pytest.fixture
def driver(db: Session) -> Any:
    """The psycopg connection under the test's session."""
    return db.connection().connection.dbapi_connection


def _described(description: Any) -> list[tuple[Any, ...]] | None:
    """Everything a description says, column by column (a Column is a sequence of seven)."""
    return None if description is None else [tuple(column) for column in description]


def test_the_engine_uses_the_cursor_and_it_describes_as_psycopg_does(driver: Any) -> None:
    ours = driver.cursor()
    assert isinstance(ours, LeanCursor)
    theirs = psycopg.RawCursor(driver)
    for sql in (TYPED, "SELECT * FROM child WHERE false", "SELECT", "SET LOCAL statement_timeout = 0"):
        ours.execute(sql)
        theirs.execute(sql)
        assert _described(ours.description) == _described(theirs.description), sql
        if theirs.description is not None:
            assert len(ours.description) == len(theirs.description)
            assert [c.name for c in ours.description] == [c.name for c in theirs.description]
            assert [tuple(c) for c in ours.description[1:3]] == [tuple(c) for c in theirs.description[1:3]]
    assert ours.description is None  # a command has no columns, as psycopg says


def test_a_description_read_after_the_cursor_moved_on_is_of_its_own_result(driver: Any) -> None:
    cursor = driver.cursor()
    cursor.execute(TYPED)
    first = cursor.description
    expected = _described(psycopg.RawCursor(driver).execute(TYPED).description)
    cursor.execute("SELECT 'other'::text AS something_else")
    assert _described(first) == expected
    assert [c.name for c in cursor.description] == ["something_else"]


def test_sqlalchemy_reads_rows_and_keys_through_it(db: Session, case: Case) -> None:
    """A statement run twice (the second from SQLAlchemy's cached result metadata, which reads no
    description) gives the same rows under the same names."""
    children = table_of(Child)
    statement = select(children.c.id, children.c.preferred_name).where(children.c.id == case.child_id)
    first = db.execute(statement).mappings().all()
    second = db.execute(statement).mappings().all()
    assert first == second and first[0]["id"] == case.child_id
    assert first[0]["preferred_name"] == case.child.preferred_name


def test_statements_go_as_sqlalchemy_writes_them(db: Session) -> None:
    """`$1` placeholders written by SQLAlchemy, sent unchanged: a `%` in the statement's text or in
    a value stays itself, a parameter used twice is the same value, and a list expands."""
    assert db.connection().dialect.paramstyle == "numeric_dollar"
    row = db.execute(
        text("SELECT '100%' AS percent, :n AS first, :n AS again, :pattern AS pattern, 'a%b' LIKE :pattern AS matched"),
        {"n": 7, "pattern": "a%"},
    ).one()
    assert tuple(row) == ("100%", 7, 7, "a%", True)
    listed = db.execute(
        text("SELECT count(*) FROM (VALUES (1), (2), (3)) AS v(n) WHERE n IN :wanted").bindparams(
            bindparam("wanted", expanding=True)
        ),
        {"wanted": [1, 3]},
    ).scalar_one()
    assert listed == 2


def test_many_rows_are_written_at_once_through_it(db: Session) -> None:
    """An INSERT of many rows with RETURNING (SQLAlchemy's "insertmanyvalues", in batches) gives
    every row back, each with its own values."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    rows = [
        {"actor": f"family:{n}", "kind": AuditKind.READ, "action": "plan.read", "detail": f"{n}%", "child_id": None}
        for n in range(1, 1200)
    ]
    returned = db.execute(insert(table).returning(table.c.actor, table.c.detail), rows).all()
    assert sorted((r.actor, r.detail) for r in returned) == sorted((r["actor"], r["detail"]) for r in rows)
