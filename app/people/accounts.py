"""Practitioner accounts, managed by admins (who never read plans).

Every function here checks that the actor is an active admin; anyone else gets "not found".
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.auth.inputs import AccountInput
from app.auth.models import AccountKind, SignInSession
from app.auth.practitioner_accounts import create_practitioner
from app.errors import NotFound
from app.people.models import Practitioner
from app.timeutil import utcnow


def require_admin(*, session: Session, actor: Actor) -> Practitioner:
    """The acting admin, or NotFound (audited either way)."""
    access = policy.require("accounts.manage", session=session, actor=actor)
    if access.practitioner is None:
        raise NotFound()
    return access.practitioner


def list_accounts(*, session: Session, actor: Actor) -> list[Practitioner]:
    require_admin(session=session, actor=actor)
    return list(session.exec(select(Practitioner).order_by(col(Practitioner.display_name))).all())


def add_account(*, session: Session, actor: Actor, account: AccountInput) -> Practitioner:
    """A new practitioner; they set up their passkey at first sign-in."""
    require_admin(session=session, actor=actor)
    practitioner = create_practitioner(session=session, account=account)
    record_change(
        session=session, actor=actor, child_id=None, entity="practitioner", entity_id=practitioner.id, action="created"
    )
    return practitioner


def set_active(*, session: Session, actor: Actor, practitioner_id: int, active: bool) -> Practitioner:
    """Switch an account off (its sessions end at once) or on again. Admins cannot switch themselves off."""
    admin = require_admin(session=session, actor=actor)
    practitioner = session.get(Practitioner, practitioner_id)
    if practitioner is None or practitioner.id == admin.id:
        raise NotFound()
    practitioner.active = active
    practitioner.updated_at, practitioner.updated_by = utcnow(), actor.label
    if not active:
        for record in session.exec(
            select(SignInSession).where(
                SignInSession.account_kind == AccountKind.PRACTITIONER,
                SignInSession.account_id == practitioner_id,
                col(SignInSession.revoked_at).is_(None),
            )
        ):
            record.revoked_at = utcnow()
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=None,
        entity="practitioner",
        entity_id=practitioner.id,
        action="activated" if active else "deactivated",
    )
    return practitioner
