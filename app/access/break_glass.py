"""Break glass (R3): read-only emergency access to a child a practitioner is not linked to.

It needs a written reason, lasts a short time, and every use is audited with the grant's id.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app.access.models import BreakGlassGrant
from app.actors import Actor
from app.audit.operations import record_change
from app.auth.models import AccountKind
from app.errors import NotFound, ValidationFailed
from app.people.models import Child, Practitioner, PractitionerRole
from app.text import clean_text
from app.timeutil import utcnow

GRANT_LIFETIME = timedelta(minutes=60)
MIN_REASON_LENGTH = 20


def open_break_glass(*, session: Session, actor: Actor, child_id: int, reason: str) -> BreakGlassGrant:
    """Grant the actor an hour's read-only access to one child, for a stated reason."""
    practitioner = session.get(Practitioner, actor.account_id) if actor.kind == AccountKind.PRACTITIONER else None
    if practitioner is None or not practitioner.active or practitioner.role == PractitionerRole.ADMIN:
        raise NotFound()
    clean = clean_text(reason, max_length=1000)
    if len(clean) < MIN_REASON_LENGTH:
        raise ValidationFailed(
            {"reason": _l("Say why you need access now (at least %(n)s characters).", n=MIN_REASON_LENGTH)}
        )
    if session.get(Child, child_id) is None:
        raise NotFound()
    now = utcnow()
    grant = BreakGlassGrant(
        practitioner_id=practitioner.id or 0,
        child_id=child_id,
        reason=clean,
        granted_at=now,
        expires_at=now + GRANT_LIFETIME,
    )
    session.add(grant)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity="break_glass_grant",
        entity_id=grant.id,
        action="break_glass",
    )
    return grant
