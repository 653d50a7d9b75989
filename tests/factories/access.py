"""Who may see what: the young person's sharing choices, workers' locks, passkeys and break glass."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.access.break_glass import BreakGlassRequest, open_break_glass
from app.access.models import BreakGlassGrant
from app.access.sharing import SectionLock, choose_sharing, set_lock
from app.auth.models import AccountKind, Passkey
from app.auth.passkeys import save_passkey
from app.people.models import Child, FamilyMember, Practitioner
from app.plans.sections import Section
from tests.factories.people import actor


def share(db: Session, of: Child, *chosen: tuple[FamilyMember, Section], by: FamilyMember) -> int:
    """The young person's whole choice: exactly these (person, section) pairs are shared, nothing else."""
    pairs = {(member.id or 0, section.value) for member, section in chosen}
    return choose_sharing(session=db, actor=actor(by), child_id=of.id or 0, chosen=pairs)


def lock(
    db: Session, of: Child, member: FamilyMember, section: Section, *, by: Practitioner, locked: bool = True
) -> None:
    """A worker hides (or, with locked=False, stops hiding) a section from one person."""
    set_lock(
        session=db,
        actor=actor(by),
        child_id=of.id or 0,
        lock=SectionLock(member_id=member.id or 0, section=section, locked=locked),
    )


@dataclass(frozen=True)
class _Verified:
    """The parts of a verified WebAuthn registration save_passkey keeps (no ceremony in a factory)."""

    credential_id: bytes
    credential_public_key: bytes
    sign_count: int = 0


def passkey(
    db: Session, owner: FamilyMember | Practitioner, *, credential_id: bytes = b"p" * 16, label: str = "Phone"
) -> Passkey:
    """A stored passkey for a person, as after a registration ceremony (the key is not a real one)."""
    kind = AccountKind.FAMILY if isinstance(owner, FamilyMember) else AccountKind.PRACTITIONER
    return save_passkey(
        session=db,
        account_kind=kind,
        account_id=owner.id or 0,
        verified=_Verified(credential_id=credential_id, credential_public_key=b"k"),
        transports=["internal"],
        label=label,
    )


def break_glass(db: Session, of: Child, *, by: Practitioner, reason: str) -> BreakGlassGrant:
    """An hour's emergency read of the child's plan by someone not on the case."""
    assert of.date_of_birth is not None
    return open_break_glass(
        session=db,
        actor=actor(by),
        request=BreakGlassRequest(
            name=f"{of.first_name} {of.last_name}", date_of_birth=of.date_of_birth, child_id=of.id or 0, reason=reason
        ),
    )
