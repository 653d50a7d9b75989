"""The app's psycopg cursor (app.postgres_cursor) describes every result as psycopg's own does, only
later: the same columns, names and types, None where psycopg says None, and the right result's
columns even when read after the cursor has moved on. PostgreSQL only (the suite's second run)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlmodel import Session, select

from app.db_reads import table_of
from app.people.models import Child
from app.postgres_cursor import ColumnsOnDemand
from tests.factories.people import Case

TYPED = "SELECT 1::int AS n, 'a'::text AS word, 2.5::numeric(4, 2) AS amount, now() AS at, NULL::bytea AS blob"


@pytest.fixture
def driver(db: Session) -> Any:
    """The psycopg connection under the test's session (skips on SQLite)."""
    connection = db.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("psycopg's cursor: PostgreSQL only")
    return connection.connection.dbapi_connection


def _described(description: Any) -> list[tuple[Any, ...]] | None:
    """Everything a description says, column by column (a Column is a sequence of seven)."""
    return None if description is None else [tuple(column) for column in description]


def test_the_engine_uses_the_cursor_and_it_describes_as_psycopg_does(driver: Any) -> None:
    ours = driver.cursor()
    assert isinstance(ours, ColumnsOnDemand)
    theirs = psycopg.Cursor(driver)
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
    expected = _described(psycopg.Cursor(driver).execute(TYPED).description)
    cursor.execute("SELECT 'other'::text AS something_else")
    assert _described(first) == expected
    assert [c.name for c in cursor.description] == ["something_else"]


def test_sqlalchemy_reads_rows_and_keys_through_it(db: Session, case: Case, driver: Any) -> None:
    """A statement run twice (the second from SQLAlchemy's cached result metadata, which reads no
    description) gives the same rows under the same names."""
    children = table_of(Child)
    statement = select(children.c.id, children.c.preferred_name).where(children.c.id == case.child_id)
    first = db.execute(statement).mappings().all()
    second = db.execute(statement).mappings().all()
    assert first == second and first[0]["id"] == case.child_id
    assert first[0]["preferred_name"] == case.child.preferred_name
