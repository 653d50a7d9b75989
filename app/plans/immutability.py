"""Agreed plan versions never change: a guard on every flush, so no code path can forget it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession

from app.errors import Frozen
from app.plans.models import PlanItem, PlanVersion


def _was_agreed(version: PlanVersion) -> bool:
    """True if the version was already agreed before this flush (agreeing it is the last change)."""
    history = inspect(version).attrs.agreed_at.history
    before = list(history.unchanged or ()) + list(history.deleted or ())
    return any(value is not None for value in before)


@event.listens_for(OrmSession, "before_flush")
def _refuse_changes_to_agreed_versions(session: OrmSession, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, PlanVersion) and session.is_modified(obj) and _was_agreed(obj):
            raise Frozen("an agreed plan version cannot change")
        if isinstance(obj, PlanVersion) and obj in session.deleted and obj.agreed_at is not None:
            raise Frozen("an agreed plan version cannot be deleted")
    changed_items = [
        obj
        for obj in list(session.new) + list(session.dirty) + list(session.deleted)
        if isinstance(obj, PlanItem) and (obj in session.new or obj in session.deleted or session.is_modified(obj))
    ]
    with session.no_autoflush:
        for item in changed_items:
            version = session.get(PlanVersion, item.version_id)
            if version is not None and version.agreed_at is not None:
                raise Frozen("items of an agreed plan version cannot change")
