"""app.db.ReadsFirst on SQLite: a safe request's session reads without the write lock, and takes it
only for its first write (or a read made to write: SELECT ... FOR UPDATE), in a transaction of its own.

Whether the lock is free is asked the way another worker would: BEGIN IMMEDIATE from a second
connection that does not wait (timeout 0).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlmodel import Session

from app.db import Database, make_engine
from tests.support.scratch_table import Note, ScratchBase


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    engine = make_engine(f"sqlite:///{tmp_path / 'reads.sqlite3'}")
    ScratchBase.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(Note).values(text="first"))
    yield Database(engine)
    engine.dispose()


def _lock_is_free(database: Database) -> bool:
    other = sqlite3.connect(str(database.engine.url.database), isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()  # closing rolls back what it began
    return True


def _write_elsewhere(database: Database, text: str) -> None:
    other = sqlite3.connect(str(database.engine.url.database), isolation_level=None, timeout=5)
    try:
        other.execute("INSERT INTO note (text) VALUES (?)", (text,))
    finally:
        other.close()


def _texts(session: Session) -> list[str]:
    return list(session.execute(select(Note.text).order_by(Note.id)).scalars())


def test_a_reading_session_holds_no_write_lock_and_does_not_write_mid_read(database: Database) -> None:
    with database.session(reads_first=True) as session:
        assert _texts(session) == ["first"]
        assert _lock_is_free(database)
        # What the request adds (its audit rows) waits for the commit: a query does not flush it.
        session.add(Note(text="audit"))
        assert _texts(session) == ["first"]
        assert _lock_is_free(database)
        session.commit()
    with database.session() as session:
        assert _texts(session) == ["first", "audit"]


def test_its_first_write_takes_the_lock_although_another_connection_committed_meanwhile(database: Database) -> None:
    with database.session(reads_first=True) as session:
        assert _texts(session) == ["first"]
        # A deferred transaction that read before this commit could not write any more ("database
        # is locked" at once, whatever busy_timeout says); this one leaves its snapshot first.
        _write_elsewhere(database, "elsewhere")
        session.execute(insert(Note).values(text="mine"))
        assert not _lock_is_free(database)
        session.commit()
    assert _lock_is_free(database)
    with database.session() as session:
        assert _texts(session) == ["first", "elsewhere", "mine"]


def test_a_read_made_to_write_takes_the_lock_and_sees_the_rows_as_they_are(database: Database) -> None:
    with database.session(reads_first=True) as session:
        assert _texts(session) == ["first"]
        _write_elsewhere(database, "elsewhere")
        locked = session.execute(select(Note.text).order_by(Note.id).with_for_update()).scalars().all()
        assert locked == ["first", "elsewhere"]
        assert not _lock_is_free(database)


def test_other_sessions_still_take_the_lock_at_their_start(database: Database) -> None:
    with database.session() as session:
        assert _texts(session) == ["first"]
        assert not _lock_is_free(database)
