"""Database engine and sessions.

Service functions take the session as a keyword argument (`session=`); only the web layer
opens one per request (see `request_session`), and only the door that opened it commits it or
rolls it back, once, at the end of the request (app.web.door). Work that must outlive a refused
request's rollback (the audit of a refusal, a used-up passkey challenge) says so with
`keep_on_rollback`, and the door does it again after rolling back. A safe request (GET, HEAD)
reads without SQLite's write lock and writes what it must (its audit) at the end (`ReadsFirst`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import g
from sqlalchemy import event, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, col, create_engine

from app.db_write_lock import QueuedWriterConnection, writer_lock
from app.errors import Conflict
from app.postgres_cursor import LeanCursor


def make_engine(database_url: str) -> Engine:
    """Create the engine; SQLite gets WAL and foreign keys so acknowledged writes survive a crash."""
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        # Writers queue for the write lock rather than sleep in SQLite's busy handler (app.db_write_lock).
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15, "factory": QueuedWriterConnection}
    else:
        # One gunicorn process serves 32 threads (gunicorn.conf.py): enough connections that no
        # thread waits for one (live streams hold a thread, never a connection).
        kwargs.update(pool_size=10, max_overflow=30)
        if make_url(database_url).get_driver_name() == "psycopg":
            # Statements sent as SQLAlchemy writes them, with PostgreSQL's own `$1` placeholders,
            # and results' columns described only when read (app.postgres_cursor).
            kwargs.update(paramstyle="numeric_dollar", connect_args={"cursor_factory": LeanCursor})
    engine = create_engine(database_url, **kwargs)
    if engine.dialect.name == "sqlite":
        writer = writer_lock(make_url(database_url).database or "")

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.writer = writer
            cursor = dbapi_connection.cursor()
            # WAL + synchronous=FULL: a committed (acknowledged) write is on disk (SECURITY.md R25).
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()
            # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: otherwise
            # savepoints (and so nested transactions and test rollbacks) do not work.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # IMMEDIATE takes the write lock up front: a deferred BEGIN that reads and then writes
            # while another worker writes fails at once with "database is locked" (busy_timeout
            # does not apply to that upgrade). Found by the R25 crash test with two workers. Only
            # a safe request's session reads in a deferred transaction, until it writes (below).
            reads = connection.get_execution_options().get(_READS)
            connection.exec_driver_sql("BEGIN" if reads is not None and not reads.writing else "BEGIN IMMEDIATE")

        @event.listens_for(engine, "before_cursor_execute")
        def _sqlite_write_lock_first(
            connection: Any, cursor: Any, statement: str, _params: Any, context: Any, _many: bool
        ) -> None:
            reads = connection.get_execution_options().get(_READS)
            if reads is None or reads.writing or not _writes(statement, context):
                return
            # A safe request is about to write (its audit rows, at the end): leave the read
            # snapshot and take the write lock, waiting for it like any writer (busy_timeout).
            # Upgrading the deferred transaction instead would fail at once if another worker
            # committed since it began. The rows already read are not read again, as under
            # PostgreSQL's READ COMMITTED: every optimistic write is one conditional statement
            # (versioned rows, record_once, insert_or_conflict), so a write worked out from the
            # older snapshot is still checked against the rows as they are now (R24).
            reads.writing = True
            cursor.execute("COMMIT")
            cursor.execute("BEGIN IMMEDIATE")

    return engine


# Methods that change nothing (RFC 9110 §9.2.1): their requests read first and write at the end.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_READS = "safer_plan_reads"


class ReadsFirst:
    """A safe request's session: it reads in a deferred transaction and writes only at the end.

    Page reads still write: the audit of what was read (R21), a sign-in session's last-seen time,
    a token's last use, a "what's new" bookmark. Under SQLite's one write lock, a request that held
    it from its first read to its commit, through rendering, made the workers take turns; so a safe
    request's session does not autoflush (a pending audit row would otherwise be written at the
    next query, taking the lock mid-read) and takes the write lock only for its first write
    statement, the commit's flush at the end (app.web.door), in a short IMMEDIATE transaction of
    its own. A view that flushes earlier (quick exit's sign-out) is still right, only slower: the
    lock is then taken at that flush. PostgreSQL needs no lock to read; there the session only
    writes later (shorter row locks).
    """

    def __init__(self) -> None:
        self.writing = False


def _writes(statement: str, context: Any) -> bool:
    """Whether a statement about to run writes, reads to write, or opens a savepoint for a write
    (insert_or_conflict: the lock must be taken before it, or leaving the snapshot would end it)."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    # SELECT ... FOR UPDATE: the caller reads to write, and must see the rows as they are once it
    # holds the lock (a single-use link's earlier use). SQLite leaves the clause out of the SQL; the
    # statement still carries it.
    selected = getattr(getattr(context, "compiled", None), "statement", None)
    if getattr(selected, "_for_update_arg", None) is not None:
        return True
    return statement.lstrip()[:9].upper() == "SAVEPOINT"


class Database:
    """Holds the engine and hands out sessions; tests may bind it to one connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._bind: Any = engine
        self._session_kwargs: dict[str, Any] = {}

    def bind_to(self, connection: Any) -> None:
        """Make every session join `connection` (tests roll it back after each test)."""
        self._bind = connection
        self._session_kwargs = {"join_transaction_mode": "create_savepoint"}

    def unbind(self) -> None:
        self._bind = self.engine
        self._session_kwargs = {}

    def session(self, *, reads_first: bool = False) -> Session:
        """A session; `reads_first` for a safe request's or a stream's (see ReadsFirst)."""
        if not reads_first:
            return Session(self._bind, expire_on_commit=False, **self._session_kwargs)
        bind = self._bind
        if bind is self.engine and self.engine.dialect.name == "sqlite":
            # SQLite's "begin" listener reads this option (make_engine); a session bound to a test's
            # connection joins that connection's transaction instead and never begins one. Other
            # databases have no such listener: a copy of the engine for each request there would
            # only cost time.
            bind = self.engine.execution_options(**{_READS: ReadsFirst()})
        return Session(bind, expire_on_commit=False, autoflush=False, **self._session_kwargs)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on error."""
        with self.session() as session:
            try:
                yield session
                session.commit()
            except Exception:
                session.rollback()
                raise


def request_session() -> Session:
    """The database session for the current request, opened on first use."""
    if "db_session" not in g:
        from flask import current_app, request

        database: Database = current_app.extensions["safer_plan_db"]
        g.db_session = database.session(reads_first=request.method in SAFE_METHODS)
    session: Session = g.db_session
    return session


def close_request_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


_KEPT = "kept_on_rollback"


def keep_on_rollback(session: Session, redo: Callable[[Session], None]) -> None:
    """Ask the door to do `redo` again in a fresh transaction if this request is rolled back."""
    session.info.setdefault(_KEPT, []).append(redo)


def forget_kept(session: Session) -> None:
    """The request's work was committed (or kept): nothing is left to redo."""
    session.info.pop(_KEPT, None)


def roll_back_keeping(session: Session) -> None:
    """Undo the request's work, then commit again only what was asked to be kept."""
    kept: list[Callable[[Session], None]] = session.info.pop(_KEPT, [])
    session.rollback()
    if not kept:
        return
    for redo in kept:
        redo(session)
    session.commit()


def record_once(
    session: Session, model: Any, row_id: int, *, unset: Any, values: dict[str, Any], actor_label: str, at: Any
) -> bool:
    """Write `values` to the row only while its `unset` column is still empty (a decision, an outcome,
    a weighting recorded once). The check and the write are one UPDATE (R24): of two people recording
    at once, one records and the other is told (False), never overwriting the first. Stamps who and
    when and moves the revision on."""
    done = session.execute(
        update(model)
        .where(col(model.id) == row_id, col(unset).is_(None))
        .values(**values, updated_at=at, updated_by=actor_label, revision=model.revision + 1)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def flush_or_conflict(session: Session, why: str) -> None:
    """Write what the request changed; a row someone else changed or took out first is a Conflict (R24).

    Versioned rows (app.models_base) are written `WHERE revision = <the revision loaded>`, so the
    check and the write are one statement: the loser of a race matches no row and SQLAlchemy raises
    StaleDataError. That leaves the transaction unusable, so it is rolled back here, at once: the
    door would roll back a refused request anyway (and still redoes what `keep_on_rollback` asked
    for), and the view can then read the row as it is now to show both texts on the conflict page.
    """
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict(why) from exc


def insert_or_conflict(session: Session, row: SQLModel, why: str) -> None:
    """Insert `row`; if a unique constraint refuses it because someone else wrote first, Conflict (R24).

    The insert runs alone in a savepoint (anything else pending is written first), so the
    IntegrityError can only be this row's, and undoing it leaves the rest of the request standing:
    the caller may look again and carry on (an audited "already done"), or answer the conflict.
    """
    session.flush()
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:
        raise Conflict(why) from exc
