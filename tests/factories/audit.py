"""Audit rows, written by the audit service as a request's permission check would write them."""

from __future__ import annotations

from sqlmodel import Session

from app.audit.models import AuditEvent
from app.audit.operations import record_access
from app.people.models import Child, FamilyMember, Practitioner
from tests.factories.people import actor


def reads(
    db: Session, of: Child, *, by: FamilyMember | Practitioner, times: int, permission: str = "plan.read_full"
) -> list[AuditEvent]:
    """`times` allowed reads of the child's record (a long log without `times` page loads)."""
    return [
        record_access(session=db, actor=actor(by), child_id=of.id or 0, permission=permission, allowed=True)
        for _ in range(times)
    ]
