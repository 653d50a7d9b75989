"""Writing the audit log: the only place rows are created; they are never updated or deleted.

Rows are added to the caller's session; the front door commits them with the request's work. A
refused request is rolled back, but its reads and denials are facts about who tried to see what,
so they are kept (`keep_on_rollback`): the door writes them again after the rollback (R21). Its
change records go with the changes they describe.
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlmodel import Session

from app.actors import Actor
from app.audit.models import AuditEvent, AuditKind
from app.db import keep_on_rollback
from app.db_reads import KeptCompiled
from app.timeutil import utcnow


def _add(session: Session, event: AuditEvent, *, keep: bool = False) -> AuditEvent:
    session.add(event)
    if keep:
        # Written again in a new transaction: a new id, and that transaction's txid (the column's default).
        values = event.model_dump(exclude={"id", "txid"})
        keep_on_rollback(session, lambda s: s.add(AuditEvent(**values)))
    return event


# Every column but those the database fills in (the row's id, its transaction's txid).
_WRITTEN = tuple(column.key for column in AuditEvent.__table__.columns if column.key not in ("id", "txid"))  # type: ignore[attr-defined]
# Built once and kept: SQLAlchemy keeps a statement's cache key on the statement, so the INSERT is
# not keyed again on every page (the key of a new one cost about 0.7% of a plan page), and its
# compiled SQL is found again without hashing that key (app.db_reads.KeptCompiled). Inline: no
# RETURNING of the new rows' ids, which nothing reads (the rows are let go of before it runs), and
# whose result SQLAlchemy would set up and fetch on every page.
_INSERT_AUDIT_ROWS = insert(AuditEvent.__table__).inline()  # type: ignore[attr-defined]
_INSERT_AUDIT_ROWS_COMPILED = KeptCompiled()


def write_audit_only(session: Session) -> None:
    """If the audit rows are all a request has to write (a page read: the fact of the look), write
    them now with one plain INSERT rather than the ORM's flush: that flush's unit of work cost a
    plan page more than its SQL (about a tenth of its CPU) for one row. The rows are the same,
    written in the same transaction, before the same commit. A request with other changes is left
    to the flush, which orders and checks them together."""
    pending = session.new
    if not pending or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        return
    events = [obj for obj in pending if isinstance(obj, AuditEvent)]
    if len(events) != len(pending):
        return
    rows = [{key: getattr(event, key) for key in _WRITTEN} for event in events]
    for event in events:
        session.expunge(event)
    # On the session's connection, so a page's read-first session takes SQLite's write lock here
    # as it would at the flush (app.db.ReadsFirst).
    session.connection().execute(_INSERT_AUDIT_ROWS, rows, execution_options=_INSERT_AUDIT_ROWS_COMPILED.options())


# The builders below give each row its time (`at`), the same as the model's default: pydantic
# inspects a default factory's signature on every object made with it, and a page view makes one.
def record_change(
    *, session: Session, actor: Actor, child_id: int | None, entity: str, entity_id: int | None, action: str
) -> AuditEvent:
    """A write: `action` is a verb (created, updated, agreed, revoked...)."""
    return _add(
        session,
        AuditEvent(
            at=utcnow(),
            actor=actor.label,
            session_id=actor.session_id,
            api_token_id=actor.token_id,
            child_id=child_id,
            kind=AuditKind.WRITE,
            action=action,
            entity=entity,
            entity_id=entity_id,
        ),
    )


def record_access(
    *, session: Session, actor: Actor, child_id: int | None, permission: str, allowed: bool, detail: str = ""
) -> AuditEvent:
    """A permission decision: an allowed read/use, or a denial."""
    return _add(
        session,
        AuditEvent(
            at=utcnow(),
            actor=actor.label,
            session_id=actor.session_id,
            api_token_id=actor.token_id,
            child_id=child_id,
            kind=AuditKind.READ if allowed else AuditKind.DENIED,
            action=permission[:40],
            detail=detail[:80],
        ),
        keep=True,
    )


def record_api_call(
    *, session: Session, actor: Actor | None, child_id: int | None, route: str, method: str, status: int
) -> AuditEvent:
    """One call to the API door, with the token it came with (R21): kept even when refused.

    `route` is the rule matched (`/children/<int:child_id>`), never the path sent, so nothing the
    caller typed reaches the log; a call with no valid token is logged as "anonymous".
    """
    return _add(
        session,
        AuditEvent(
            at=utcnow(),
            actor=actor.label if actor is not None else "anonymous",
            api_token_id=actor.token_id if actor is not None else None,
            child_id=child_id,
            kind=AuditKind.READ if status < 400 else AuditKind.DENIED,
            action="api.call",
            entity="api_token",
            entity_id=actor.token_id if actor is not None else None,
            detail=f"{method} {route} {status}"[:80],
        ),
        keep=True,
    )
