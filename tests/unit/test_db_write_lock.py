"""app.db_write_lock: SQLite writers queue for the write lock (threads, then processes) instead of
sleeping in SQLite's busy handler; none is lost, and a writer that waits too long is told what SQLite
told it before, "database is locked"."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import OperationalError

import app.db_write_lock as write_lock
from app.config import PROJECT_ROOT
from app.db import Database, make_engine
from tests.support.scratch_table import Note, ScratchBase

ROWS = 60


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    file = tmp_path / "queue.sqlite3"
    engine = make_engine(f"sqlite:///{file}")
    ScratchBase.metadata.create_all(engine)
    engine.dispose()
    yield file


# One writer process: ROWS rows, each in a transaction of its own, some through a safe request's
# session (ReadsFirst: the lock taken at the first write), the others BEGIN IMMEDIATE from the start.
WRITER = """
import sys
from sqlalchemy import column, func, insert, select, table
from app.db import Database, make_engine
from tests.support.scratch_table import Note, ScratchBase
note = table("note", column("text"))
database = Database(make_engine(sys.argv[1]))
for n in range(int(sys.argv[3])):
    with database.session(reads_first=n % 2 == 0) as session:
        session.execute(select(func.count()).select_from(note)).scalar()
        session.execute(insert(note).values(text=f"{sys.argv[2]}-{n}"))
        session.commit()
"""


def _count(path: Path) -> int:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(Note)).scalar_one())
    finally:
        engine.dispose()


def test_two_processes_writing_at_once_lose_nothing(path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    writers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed script
            [sys.executable, "-c", WRITER, f"sqlite:///{path}", name, str(ROWS)], env=env, cwd=PROJECT_ROOT
        )
        for name in ("a", "b")
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    assert _count(path) == 2 * ROWS


def test_threads_of_one_process_writing_at_once_lose_nothing_and_the_turn_is_given_back(path: Path) -> None:
    database = Database(make_engine(f"sqlite:///{path}"))
    interval = sys.getswitchinterval()
    failures: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for n in range(ROWS // 3):
                with database.session(reads_first=n % 2 == 0) as session:
                    session.execute(insert(Note).values(text=f"{name}-{n}"))
                    session.commit()
        except BaseException as exc:  # reported by the test below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in "abcd"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    database.engine.dispose()
    assert failures == []
    assert _count(path) == 4 * (ROWS // 3)
    _assert_turn_free(path)
    assert sys.getswitchinterval() == interval  # set back after every turn


def _assert_turn_free(path: Path) -> None:
    """No process holds the queue's file lock (asked without waiting)."""
    fd = os.open(f"{path}-writer", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def test_the_turn_ends_with_a_rollback_and_with_a_failed_statement(path: Path) -> None:
    database = Database(make_engine(f"sqlite:///{path}"))
    with database.session() as session:
        session.execute(insert(Note).values(text="undone"))
        session.rollback()
    _assert_turn_free(path)
    with database.session() as session, pytest.raises(OperationalError):
        session.execute(insert(Note).values(text="x"))
        session.execute(select(func.nothing_of_that_name()))
    _assert_turn_free(path)
    database.engine.dispose()
    assert _count(path) == 0


# Another process holds the turn for a while (as a stuck writer would).
HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_writer_that_waits_too_long_is_told_the_database_is_locked(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write_lock, "WAIT_SECONDS", 0.5)
    interval = sys.getswitchinterval()
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", HOLDER, f"{path}-writer", "5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        database = Database(make_engine(f"sqlite:///{path}"))
        started = time.monotonic()
        for reads_first in (False, True):  # BEGIN IMMEDIATE at the start, or at the first write
            with database.session(reads_first=reads_first) as session, pytest.raises(OperationalError) as refused:
                session.execute(select(Note.id)).all()
                session.execute(insert(Note).values(text="late"))
            assert "database is locked" in str(refused.value)
        assert time.monotonic() - started < 4  # the wait was bounded, not the holder's 5 s
        assert sys.getswitchinterval() == interval  # set back after the refused turns
    finally:
        holder.kill()
        holder.communicate()  # reaps it and closes its pipe
    # Once it is free again, writing works.
    with database.session() as session:
        session.execute(insert(Note).values(text="on time"))
        session.commit()
    database.engine.dispose()
    assert _count(path) == 1


def test_an_in_memory_database_has_no_queue() -> None:
    assert write_lock.writer_lock(":memory:") is None
    assert write_lock.writer_lock("") is None
    engine = make_engine("sqlite://")
    with engine.begin() as connection:
        ScratchBase.metadata.create_all(connection)
        connection.execute(insert(Note).values(text="kept"))
        assert connection.execute(select(func.count()).select_from(Note)).scalar_one() == 1
    engine.dispose()


def test_a_process_forked_while_a_thread_has_the_turn_starts_with_none(path: Path) -> None:
    lock = write_lock.writer_lock(str(path))
    assert lock is not None
    interval = sys.getswitchinterval()
    lock.acquire()
    try:
        assert sys.getswitchinterval() == pytest.approx(write_lock.TURN_SWITCH_INTERVAL)
        child = os.fork()
        if child == 0:  # the child reports by its exit code
            # No thread of its own holds the turn, and the GIL is shared out as usual...
            code = 0 if not lock._threads.locked() and sys.getswitchinterval() == interval else 2
            try:
                lock.acquire(timeout=0.3)  # ...but the parent's file lock is not the child's: it waits
                code = 3
            except sqlite3.OperationalError as exc:
                code = code if "database is locked" in str(exc) else 4
            os._exit(code)
        status = os.waitpid(child, 0)[1]
    finally:
        lock.release()
    assert os.waitstatus_to_exitcode(status) == 0
    assert sys.getswitchinterval() == interval


def test_overlapping_turns_on_two_files_set_the_switch_interval_back(tmp_path: Path) -> None:
    """The short GIL switch interval lasts while any turn is held, and the usual one comes back
    when the last ends, whichever order two databases' turns end in."""
    usual = sys.getswitchinterval()
    first, second = write_lock.WriterLock(str(tmp_path / "a.db")), write_lock.WriterLock(str(tmp_path / "b.db"))
    first.acquire()
    second.acquire()
    first.release()
    assert sys.getswitchinterval() == pytest.approx(write_lock.TURN_SWITCH_INTERVAL)  # the second still writes
    second.release()
    assert sys.getswitchinterval() == usual
