"""Writing change records: the only place they are created; they are never updated or deleted."""

from __future__ import annotations

from sqlmodel import Session

from app.access.actors import Actor
from app.audit.models import ChangeRecord


def record_change(
    *, session: Session, actor: Actor, child_id: int | None, entity: str, entity_id: int | None, action: str
) -> ChangeRecord:
    record = ChangeRecord(actor=actor.label, child_id=child_id, entity=entity, entity_id=entity_id, action=action)
    session.add(record)
    return record
