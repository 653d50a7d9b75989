"""SQLite: writers queue for the write lock, and the next one starts the moment it is free.

Every transaction that writes takes SQLite's write lock with `BEGIN IMMEDIATE` (app.db). When
another connection holds it, SQLite's busy handler sleeps and tries again, 1, 2, 5, 10, 15, 20,
25 ms... apart, until busy_timeout. A read page writes its audit row (R21) in a transaction of a
few milliseconds, so with two gunicorn processes (or several threads of one) a waiter typically
slept 5 to 25 ms past the moment the lock came free, and the lock stood idle in between: two
workers served about 1.1-1.5x one (issue 13, `bench/workers.py`).

So, before `BEGIN IMMEDIATE`, a connection first takes this process's lock for the database file
(a `threading.Lock`: the process's other threads wait on it and wake at its release), then an
exclusive `flock` on a file beside the database (`<database>-writer`), shared by every process:
that one is polled 0.1 ms, then up to 1 ms apart (only one thread per process polls). Both are
let go as soon as the transaction ends (commit, rollback, close, or an error that ends it). The
wait is bounded by the same 15 s as SQLite's busy_timeout, and running out of it raises what
SQLite raises then, `sqlite3.OperationalError("database is locked")`.

Holding the lock is also kept short. A gunicorn process serves several requests at once in
threads that share one GIL; the writer gives up the GIL in every SQLite call (the fsync of the
commit among them), another thread renders a page meanwhile, and by default the writer waits up
to 5 ms (`sys.setswitchinterval`) for the GIL back after each of those calls: measured, a commit
of 0.2 ms held the lock 6 to 8 ms beside one busy thread, while the other process waited for
it with a core idle. So while a thread has its turn (from the file lock on), the process's switch interval is 0.1 ms
(1.5 ms held in the same measurement), and set back when the turn ends: the other threads are
interrupted more often only during those few milliseconds.

This only orders the writers; SQLite's lock is still the lock. A writer that does not take these
(another program, the sqlite3 shell) is waited for by SQLite's busy handler, as before.
Durability is unchanged: synchronous=FULL, each commit on disk before it returns (R25).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

# As SQLite's busy_timeout (app.db): how long a writer waits for the lock before "database is locked".
WAIT_SECONDS = 15.0
# Between two tries for another process's lock: short at first, never over a millisecond.
_POLL_SECONDS = (0.0001, 0.0002, 0.0005, 0.001)
_SUFFIX = "-writer"
# The GIL's switch interval while a thread of this process has its turn (see above).
TURN_SWITCH_INTERVAL = 0.0001


class _QuickSwitches:
    """The process's GIL switch interval, short while any thread of it holds a turn (to any file).

    Counted, not saved per lock: two turns on two database files that overlap would otherwise set
    back each other's values and could leave the short interval on for good."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._turns = 0
        self._usual = sys.getswitchinterval()

    def begin(self) -> None:
        with self._guard:
            if self._turns == 0:
                self._usual = sys.getswitchinterval()
                sys.setswitchinterval(min(self._usual, TURN_SWITCH_INTERVAL))
            self._turns += 1

    def end(self) -> None:
        with self._guard:
            self._turns -= 1
            if self._turns == 0:
                sys.setswitchinterval(self._usual)

    def after_fork(self) -> None:
        """In a forked child no thread holds a turn: the usual interval again."""
        self._guard = threading.Lock()
        if self._turns:
            sys.setswitchinterval(self._usual)
        self._turns = 0


_quick_switches = _QuickSwitches()


class WriterLock:
    """This process's turn to write to one SQLite file: a thread lock, then a file lock."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        # Opened in each process that writes (a forked gunicorn worker must not share its
        # parent's open file: a flock belongs to the open file, so they would share the lock).
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path + _SUFFIX, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self, timeout: float | None = None) -> None:
        """Wait for the turn to write, at most `timeout` seconds (WAIT_SECONDS), then "database is locked"."""
        timeout = WAIT_SECONDS if timeout is None else timeout
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            fd = self._file()
            tries = 0
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    _quick_switches.begin()
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise sqlite3.OperationalError("database is locked") from None
                    time.sleep(_POLL_SECONDS[min(tries, len(_POLL_SECONDS) - 1)])
                    tries += 1
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        try:
            if self._fd is not None and self._pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            _quick_switches.end()
            self._threads.release()


_locks: dict[str, WriterLock] = {}
_locks_guard = threading.Lock()


def _after_fork_in_child() -> None:
    """A forked process starts with no turn: a lock another thread of the parent held is free here
    (that thread does not exist in the child), and the file is opened again at the first turn."""
    global _locks_guard
    _locks_guard = threading.Lock()
    _quick_switches.after_fork()
    for lock in _locks.values():
        lock._threads = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def writer_lock(database_path: str) -> WriterLock | None:
    """The lock of one database file (one per file and process); None for an in-memory database."""
    if not database_path or database_path == ":memory:" or database_path.startswith("file:"):
        return None
    key = str(Path(database_path).resolve())
    with _locks_guard:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = WriterLock(key)
        return lock


class QueuedWriterConnection(sqlite3.Connection):
    """A sqlite3 connection that takes its WriterLock before `BEGIN IMMEDIATE` and lets it go when
    the transaction ends. Made by `sqlite3.connect(..., factory=...)` (app.db.make_engine)."""

    writer: WriterLock | None = None
    holding = False

    def cursor(self, factory: Any = None) -> Any:  # sqlite3 types it with overloads; one body here
        return super().cursor(factory or QueuedWriterCursor)

    def take_turn(self) -> None:
        if self.writer is not None and not self.holding:
            self.writer.acquire()
            self.holding = True

    def end_turn(self) -> None:
        if self.holding and not self.in_transaction:
            self._give_back()

    def _give_back(self) -> None:
        self.holding = False
        if self.writer is not None:
            self.writer.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.holding:  # closed mid-transaction: SQLite rolled it back
                self._give_back()


class QueuedWriterCursor(sqlite3.Cursor):
    """Takes the connection's turn before `BEGIN IMMEDIATE`; gives it back once no transaction is
    open (a COMMIT or ROLLBACK statement, or an error that ended the transaction)."""

    connection: QueuedWriterConnection

    def execute(self, sql: str, parameters: Any = (), /) -> QueuedWriterCursor:
        connection = self.connection
        if sql == "BEGIN IMMEDIATE":
            connection.take_turn()
        try:
            super().execute(sql, parameters)
            return self
        finally:
            connection.end_turn()
