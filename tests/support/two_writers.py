"""Two writers on a database of their own, interleaved on purpose (R24).

A race test that merely starts two writers together proves little: most runs never interleave. These
helpers make the interleaving happen every time. The first writer writes and holds its transaction
open; the second runs in a thread and reaches the same row; once the second is seen waiting for the
first's lock, the first commits. On PostgreSQL the second has then read the row before the first
committed and its write must fail in the database (a versioned UPDATE matching no row, a unique
constraint); on SQLite every writing request's transaction begins IMMEDIATE, so the second waits at
its start and then reads what the first committed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.db import make_engine
from app.demo.seed import DemoPeople, load_demo
from tests.support.database import migrate, scratch_database

T = TypeVar("T")
# SQLite shows no one waiting on BEGIN IMMEDIATE: give the second writer this long to get there.
SQLITE_HEAD_START = 0.3
LOCK_WAIT_TIMEOUT = 10.0


@dataclass(frozen=True)
class DemoDatabase:
    """A migrated scratch database with the demo loaded, and its engine."""

    url: str
    engine: Engine
    demo: DemoPeople

    def session(self) -> Session:
        # As the app's sessions: rows stay readable after a commit.
        return Session(self.engine, expire_on_commit=False)


@contextmanager
def demo_database(directory: Path, suffix: str) -> Iterator[DemoDatabase]:
    """A database of its own (the suite's kind) with the demo committed, dropped afterwards."""
    with scratch_database(directory, suffix) as url:
        migrate(url)
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                demo = load_demo(session)
                session.commit()
            yield DemoDatabase(url=url, engine=engine, demo=demo)
        finally:
            engine.dispose()


@dataclass(frozen=True)
class BuiltDatabase(Generic[T]):
    """A migrated scratch database with what a test built in it committed, and its engine."""

    url: str
    engine: Engine
    built: T

    def session(self) -> Session:
        # As the app's sessions: rows stay readable after a commit.
        return Session(self.engine, expire_on_commit=False)


@contextmanager
def built_database(directory: Path, suffix: str, build: Callable[[Session], T]) -> Iterator[BuiltDatabase[T]]:
    """A database of its own (the suite's kind) with `build(session)` committed (factories, not the
    demo), dropped afterwards."""
    with scratch_database(directory, suffix) as url:
        migrate(url)
        engine = make_engine(url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                built = build(session)
                session.commit()
            yield BuiltDatabase(url=url, engine=engine, built=built)
        finally:
            engine.dispose()


@dataclass
class Outcome(Generic[T]):
    """What a writer in a thread came to: its result, or what it raised."""

    result: T | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


def in_thread(work: Callable[[], T]) -> tuple[threading.Thread, Outcome[T]]:
    """Start `work` in a thread; join the thread, then read the outcome."""
    outcome: Outcome[T] = Outcome()

    def run() -> None:
        try:
            outcome.result = work()
        except BaseException as exc:  # the test reads it: a Conflict is often the expected outcome
            outcome.error = exc
        finally:
            outcome.done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def wait_until_someone_waits_for_a_lock(engine: Engine, outcome: Outcome[object]) -> None:
    """Return once another connection to this database waits on a lock (PostgreSQL).

    SQLite cannot show that, so the second writer is given a head start instead. Fails if the
    second writer finished without waiting: then the test would not be testing a race.
    """
    if engine.dialect.name != "postgresql":
        time.sleep(SQLITE_HEAD_START)
        return
    deadline = time.monotonic() + LOCK_WAIT_TIMEOUT
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            assert not outcome.done.is_set(), f"the second writer never waited: {outcome.error!r}"
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
            conn.commit()  # statistics views hold one snapshot per transaction
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the second writer never waited for the first one's lock")
