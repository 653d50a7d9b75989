"""Invitations: a practitioner invites a young person, parent/carer or trusted adult.

The invitation is a one-time link that expires (also shown as a QR code to scan in a meeting).
Opening it lets the person make a passkey on their phone; that passkey is then how they sign in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.auth.inputs import InvitationRequest, NewPhoneInvitation
from app.auth.models import AccountKind, Invitation, Passkey
from app.auth.passkeys import save_passkey
from app.auth.tokens import new_token, token_hash
from app.errors import NotFound, ValidationFailed
from app.people.models import FamilyLink, FamilyMember, FamilyRole
from app.timeutil import utcnow


def create_invitation(
    *, session: Session, actor: Actor, child_id: int, request: InvitationRequest, valid_for: timedelta
) -> tuple[Invitation, str]:
    """Create an invitation and return it with the raw token (shown once, never stored)."""
    policy.require("invitation.create", session=session, actor=actor, child_id=child_id)
    if isinstance(request, NewPhoneInvitation):
        existing = _live_link(session, child_id, request.member_id)
        if existing is None:
            raise ValidationFailed({"who": _l("Choose someone who is already in the plan, or someone new.")})
        member = session.get(FamilyMember, existing.member_id)
        if member is None:
            raise NotFound()
        role, display_name, relationship = existing.role, member.display_name, existing.relationship
    else:
        role, display_name, relationship = request.role, request.display_name, request.relationship
        # A plan has one young person: inviting "the young person" again means a new phone for them.
        young_person = _young_person_link(session, child_id) if role == FamilyRole.YOUNG_PERSON else None
        if young_person is not None:
            member = session.get(FamilyMember, young_person.member_id)
            if member is None:
                raise NotFound()
        else:
            member = FamilyMember(display_name=display_name)
            session.add(member)
            session.flush()
    raw = new_token()
    invitation = Invitation(
        child_id=child_id,
        role=role,
        display_name=display_name,
        relationship=relationship,
        token_hash=token_hash(raw),
        created_by_practitioner_id=actor.account_id,
        expires_at=utcnow() + valid_for,
        member_id=member.id,
    )
    session.add(invitation)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=child_id, entity="invitation", entity_id=invitation.id, action="created"
    )
    return invitation, raw


def open_invitation(*, session: Session, raw_token: str) -> Invitation:
    """The invitation for this token if it can still be used; NotFound otherwise."""
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == token_hash(raw_token))).first()
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.cancelled_at is not None
        or invitation.expires_at <= utcnow()
    ):
        raise NotFound()
    return invitation


def redeem_invitation(
    *, session: Session, invitation: Invitation, verified: Any, transports: list[str], label: str
) -> tuple[FamilyMember, Passkey]:
    """Link the invited person to the child and save their first passkey; the link is now live."""
    if invitation.member_id is None:
        raise NotFound()
    member = session.get(FamilyMember, invitation.member_id)
    if member is None:
        raise NotFound()
    now = utcnow()
    # A conditional UPDATE, so two racing joins cannot both redeem one invitation.
    claimed = session.execute(
        update(Invitation)
        .where(col(Invitation.id) == invitation.id, col(Invitation.used_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound()
    session.refresh(invitation)
    actor = Actor(kind=AccountKind.FAMILY, account_id=member.id or 0)
    # Someone already linked (a new phone) keeps their link; everyone else is linked now.
    link = _live_link(session, invitation.child_id, member.id or 0)
    if link is None:
        link = FamilyLink(
            child_id=invitation.child_id,
            member_id=member.id or 0,
            role=invitation.role,
            relationship=invitation.relationship,
            created_by=actor.label,
            updated_by=actor.label,
        )
        session.add(link)
    passkey = save_passkey(
        session=session,
        account_kind=AccountKind.FAMILY,
        account_id=member.id or 0,
        verified=verified,
        transports=transports,
        label=label,
    )
    # The new key has just signed this phone in: "last used" now, like any later sign-in.
    passkey.last_used_at = now
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=invitation.child_id,
        entity="family_link",
        entity_id=link.id,
        action="joined",
    )
    return member, passkey


def _live_link(session: Session, child_id: int, member_id: int | None) -> FamilyLink | None:
    return session.exec(
        select(FamilyLink).where(
            FamilyLink.child_id == child_id,
            FamilyLink.member_id == member_id,
            col(FamilyLink.revoked_at).is_(None),
        )
    ).first()


def _young_person_link(session: Session, child_id: int) -> FamilyLink | None:
    return session.exec(
        select(FamilyLink).where(
            FamilyLink.child_id == child_id,
            FamilyLink.role == FamilyRole.YOUNG_PERSON,
            col(FamilyLink.revoked_at).is_(None),
        )
    ).first()
