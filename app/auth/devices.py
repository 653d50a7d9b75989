"""Lost or seized phones (R10): list a person's passkeys and remove one, ending its sessions at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.auth.models import AccountKind, Passkey
from app.auth.sessions import revoke_sessions_for_passkey
from app.errors import NotFound
from app.people.models import FamilyLink, FamilyMember, FamilyRole
from app.push.operations import forget_phone
from app.timeutil import utcnow


@dataclass(frozen=True)
class Device:
    passkey_id: int
    owner_name: str
    owner_role: str
    label: str
    added_at: datetime
    last_used_at: datetime | None
    is_this_device: bool


def devices_for_child(*, session: Session, actor: Actor, child_id: int) -> list[Device]:
    """The passkeys someone may remove for this child: the young person's own (and, for the young
    person and workers on the case, those of everyone linked to the child)."""
    access = policy.require("devices.revoke", session=session, actor=actor, child_id=child_id)
    query = (
        select(Passkey, FamilyMember, FamilyLink)
        .join(FamilyMember, col(FamilyMember.id) == col(Passkey.account_id))
        .join(FamilyLink, col(FamilyLink.member_id) == col(FamilyMember.id))
        .where(
            Passkey.account_kind == AccountKind.FAMILY,
            col(Passkey.revoked_at).is_(None),
            FamilyLink.child_id == child_id,
            col(FamilyLink.revoked_at).is_(None),
        )
        .order_by(col(Passkey.id))
    )
    if not access.holds("devices.revoke_any"):
        # A trusted adult can help the young person with a lost phone, and manage their own.
        query = query.where(
            or_(col(FamilyLink.role) == FamilyRole.YOUNG_PERSON, col(FamilyMember.id) == actor.account_id)
        )
    current_passkey = _current_passkey_id(session, actor)
    return [
        Device(
            passkey_id=passkey.id or 0,
            owner_name=member.display_name,
            owner_role=link.role,
            label=passkey.label,
            added_at=passkey.created_at,
            last_used_at=passkey.last_used_at,
            is_this_device=passkey.id == current_passkey,
        )
        for passkey, member, link in session.exec(query).all()
    ]


def _current_passkey_id(session: Session, actor: Actor) -> int | None:
    from app.auth.models import SignInSession

    if actor.session_id is None:
        return None
    record = session.get(SignInSession, actor.session_id)
    return record.passkey_id if record is not None else None


def remove_device(*, session: Session, actor: Actor, child_id: int, passkey_id: int) -> int:
    """Remove a passkey and sign out every session it opened. Returns the number of sessions ended."""
    allowed = {d.passkey_id for d in devices_for_child(session=session, actor=actor, child_id=child_id)}
    if passkey_id not in allowed:
        raise NotFound()
    passkey = session.get(Passkey, passkey_id)
    if passkey is None:
        raise NotFound()
    passkey.revoked_at = utcnow()
    ended = revoke_sessions_for_passkey(session=session, passkey_id=passkey_id)
    forget_phone(session=session, passkey_id=passkey_id)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=child_id, entity="passkey", entity_id=passkey_id, action="revoked"
    )
    return ended
