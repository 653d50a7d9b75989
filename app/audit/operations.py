"""Writing the audit log: the only place rows are created; they are never updated or deleted.

Rows are added to the caller's session. Each front door commits them at the end of a request,
and re-writes the denials after rolling back a refused request, so a denial is never lost with
the work it refused (see app.web.door).
"""

from __future__ import annotations

from sqlmodel import Session

from app.access.actors import Actor
from app.audit.models import AuditEvent, AuditKind

PENDING_KEY = "audit_events"


def _add(session: Session, event: AuditEvent) -> AuditEvent:
    session.add(event)
    session.info.setdefault(PENDING_KEY, []).append(event)
    return event


def record_change(
    *, session: Session, actor: Actor, child_id: int | None, entity: str, entity_id: int | None, action: str
) -> AuditEvent:
    """A write: `action` is a verb (created, updated, agreed, revoked...)."""
    return _add(
        session,
        AuditEvent(
            actor=actor.label,
            session_id=actor.session_id,
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
            actor=actor.label,
            session_id=actor.session_id,
            child_id=child_id,
            kind=AuditKind.READ if allowed else AuditKind.DENIED,
            action=permission[:40],
            detail=detail[:80],
        ),
    )


def pending_denials(session: Session) -> list[AuditEvent]:
    """Copies of the denials recorded in this session, to write again after a rollback."""
    events: list[AuditEvent] = session.info.get(PENDING_KEY, [])
    return [AuditEvent(**event.model_dump(exclude={"id"})) for event in events if event.kind == AuditKind.DENIED]


def forget_pending(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)
