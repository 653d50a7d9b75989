"""`defer()`: the one way code asks for a job, whichever database the app runs on.

With `session=`, the job is sent only once that session commits (the door commits once per request)
and forgotten if it rolls back: a job never acts on work that was refused, and never starts before
the rows it reads are visible. The cost of sending after the commit: a process that dies between
its commit and the send loses that job. Every periodic job here is a sweep that finds its work
again from the database, so nothing they do is lost that way; a feature deferring one-off jobs
(push fan-out) should accept that, or sweep too.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import event
from sqlmodel import Session

from app.jobs import registry

if TYPE_CHECKING:
    from app.config import Settings
    from app.db import Database

_PENDING = "jobs_pending"


class Backend(Protocol):
    """Somewhere jobs go: procrastinate's table (PostgreSQL) or this process's runner (SQLite)."""

    context: registry.JobContext

    def send(self, name: str, kwargs: dict[str, Any], not_before: datetime | None = None) -> None: ...


_current: dict[str, Backend] = {}


def uses_procrastinate(database_url: str) -> bool:
    return database_url.startswith("postgresql")


def configure(settings: Settings, database: Database) -> Backend:
    """Choose this process's backend from the database URL (create_app calls this once)."""
    context = registry.JobContext(database=database, settings=settings)
    chosen: Backend
    if uses_procrastinate(settings.database_url):
        from app.jobs.postgres import ProcrastinateBackend

        chosen = ProcrastinateBackend(context)
    else:
        from app.jobs.inprocess import InProcessRunner

        chosen = InProcessRunner(context)
    _current["backend"] = chosen
    return chosen


def backend() -> Backend:
    try:
        return _current["backend"]
    except KeyError:
        raise RuntimeError("jobs are not configured: create the app first") from None


def reinstate(previous: Backend) -> None:
    """Make `previous` this process's backend again: the test suite does, when an app a test built
    on a database of its own (`configure` made its backend this process's) outlives that database."""
    _current["backend"] = previous


def defer(task_name: str, *, session: Session | None = None, not_before: datetime | None = None, **kwargs: Any) -> None:
    """Ask for the job `task_name` with plain keyword arguments; after `session` commits if given;
    not before `not_before` (UTC) if given (a push service that said "come back later")."""
    registry.check_plain(task_name, kwargs)
    if session is None:
        backend().send(task_name, kwargs, not_before)
        return
    if not session.in_transaction():
        # Tie the job to a transaction now: a rollback of a session that has not begun one yet
        # would be no rollback at all, and the next commit would send the job.
        session.begin()
    session.info.setdefault(_PENDING, []).append((task_name, kwargs, not_before))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    # A savepoint's release (insert_or_conflict) fires this too: only the outermost commit sends.
    if session.in_nested_transaction():
        return
    for name, kwargs, not_before in session.info.pop(_PENDING, []):
        backend().send(name, kwargs, not_before)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction: Any) -> None:
    # Every rollback of the session's outermost transaction (even one with nothing written yet);
    # a savepoint rolled back (a refused insert) leaves the request standing, and its jobs too.
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
