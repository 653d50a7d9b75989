"""Who was just removed from a plan, for the worker's confirmation on the access page (issue 8).

After a worker removes someone's access, or a phone, the access page says so by name ("Lisa
Ellis can no longer see Jordan's plan"). The redirect carries only an id (R18: no names in URLs),
so the name is read back here: only for a worker who may remove people and phones from this plan,
and only for someone linked to this child whose access (or phone) has ended.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.auth.models import AccountKind, Passkey
from app.people.models import FamilyLink, FamilyMember


@dataclass(frozen=True)
class Removal:
    kind: str  # "person" or "phone"
    name: str


def just_removed(*, session: Session, actor: Actor, child_id: int, kind: str | None, who: int | None) -> Removal | None:
    """What a worker just removed (`kind` and the id `who`, from the redirect), with the name; None if nothing."""
    name = None
    if who is not None and kind == "person":
        name = removed_person(session=session, actor=actor, child_id=child_id, member_id=who)
    elif who is not None and kind == "phone":
        name = removed_phone_owner(session=session, actor=actor, child_id=child_id, passkey_id=who)
    return Removal(kind=kind or "", name=name) if name else None


def removed_person(*, session: Session, actor: Actor, child_id: int, member_id: int) -> str | None:
    """The name of someone whose access to this child's plan has ended; None for anyone else."""
    if not policy.holds("plan.edit", session=session, actor=actor, child_id=child_id):
        return None
    return session.exec(
        select(FamilyMember.display_name)
        .join(FamilyLink, col(FamilyLink.member_id) == col(FamilyMember.id))
        .where(
            FamilyLink.child_id == child_id,
            FamilyLink.member_id == member_id,
            col(FamilyLink.revoked_at).is_not(None),
        )
    ).first()


def removed_phone_owner(*, session: Session, actor: Actor, child_id: int, passkey_id: int) -> str | None:
    """The name of the family member whose removed phone this was; None for any other phone."""
    if not policy.holds("devices.revoke_any", session=session, actor=actor, child_id=child_id):
        return None
    return session.exec(
        select(FamilyMember.display_name)
        .join(Passkey, col(Passkey.account_id) == col(FamilyMember.id))
        .join(FamilyLink, col(FamilyLink.member_id) == col(FamilyMember.id))
        .where(
            Passkey.id == passkey_id,
            Passkey.account_kind == AccountKind.FAMILY,
            col(Passkey.revoked_at).is_not(None),
            FamilyLink.child_id == child_id,
        )
    ).first()
