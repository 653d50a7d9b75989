"""Writes on notices: the reader sets one aside (issue 10).

A notice is its reader's own: the only check is that it is theirs. Anyone else, or a notice that
does not exist, gets the same Not Found, and the refusal is audited like any other (R21).
"""

from __future__ import annotations

from sqlmodel import Session

from app.actors import Actor
from app.audit.operations import record_access, record_change
from app.auth.models import AccountKind
from app.errors import NotFound
from app.notices.models import Notice
from app.timeutil import utcnow


def dismiss(*, session: Session, actor: Actor, notice_id: int) -> Notice:
    """Set the reader's notice aside: it leaves their tray. An item still overdue tomorrow gives
    tomorrow's notice; a reminder is not sent again."""
    notice = session.get(Notice, notice_id)
    if notice is None or actor.kind != AccountKind.PRACTITIONER or notice.practitioner_id != actor.account_id:
        child_id = notice.child_id if notice is not None else None
        record_access(session=session, actor=actor, child_id=child_id, permission="notice.dismiss", allowed=False)
        raise NotFound()
    if notice.dismissed_at is None:
        notice.dismissed_at = utcnow()
        record_change(
            session=session,
            actor=actor,
            child_id=notice.child_id,
            entity="notice",
            entity_id=notice.id,
            action="dismissed",
        )
    return notice
