"""Who sees which part of a plan: the young person's choices and practitioners' safety locks (R4, R6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.access.models import SectionShare
from app.actors import Actor
from app.audit.operations import record_change
from app.errors import ValidationFailed
from app.people.models import FamilyLink, FamilyMember, FamilyRole
from app.plans.sections import Section
from app.timeutil import utcnow


@dataclass(frozen=True)
class PersonSharing:
    """One person in the young person's life and what they can see now."""

    member_id: int
    name: str
    role: str
    relationship: str
    visible: frozenset[Section]
    locked: frozenset[Section]
    # What the young person can choose to share with them (only a trusted adult can co-write).
    shareable: tuple[Section, ...]


def _other_people(session: Session, child_id: int) -> list[tuple[FamilyLink, FamilyMember]]:
    rows = session.exec(
        select(FamilyLink, FamilyMember)
        .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
        .where(
            FamilyLink.child_id == child_id,
            col(FamilyLink.revoked_at).is_(None),
            FamilyLink.role != FamilyRole.YOUNG_PERSON,
        )
        .order_by(col(FamilyLink.id))
    ).all()
    return [(link, member) for link, member in rows]


def _shares(session: Session, child_id: int) -> dict[tuple[int, str], SectionShare]:
    rows = session.exec(select(SectionShare).where(SectionShare.child_id == child_id)).all()
    return {(row.member_id, row.section): row for row in rows}


def sharing_overview(*, session: Session, actor: Actor, child_id: int) -> list[PersonSharing]:
    """For the young person (and workers on the case): each person and the sections they see."""
    policy.require("sharing.read", session=session, actor=actor, child_id=child_id)
    shares = _shares(session, child_id)
    people = []
    for link, member in _other_people(session, child_id):
        people.append(
            PersonSharing(
                member_id=member.id or 0,
                name=member.display_name,
                role=link.role,
                relationship=link.relationship,
                visible=policy.sections_for(session, link),
                shareable=policy.shareable_sections(link.role),
                locked=frozenset(
                    Section(section) for (mid, section), row in shares.items() if mid == member.id and row.locked
                ),
            )
        )
    return people


def _share_row(
    session: Session,
    shares: dict[tuple[int, str], SectionShare],
    child_id: int,
    member_id: int,
    section: Section,
    actor: Actor,
) -> SectionShare:
    row = shares.get((member_id, section))
    if row is None:
        row = SectionShare(child_id=child_id, member_id=member_id, section=section, created_by=actor.label)
        session.add(row)
        shares[(member_id, section)] = row
    return row


def choose_sharing(*, session: Session, actor: Actor, child_id: int, chosen: set[tuple[int, str]]) -> int:
    """The young person's choices: exactly the (person, section) pairs in `chosen` are shared.

    Locked sections stay hidden whatever is chosen. Returns how many choices changed.
    """
    policy.require("sharing.choose", session=session, actor=actor, child_id=child_id)
    shares = _shares(session, child_id)
    changed = 0
    for link, member in _other_people(session, child_id):
        member_id = member.id or 0
        defaults = policy.FAMILY_DEFAULT_SECTIONS.get(link.role, frozenset())
        for section in policy.SHAREABLE_SECTIONS:
            want = (member_id, section.value) in chosen
            row = shares.get((member_id, section))
            current = row.visible if row is not None else section in defaults
            if want == current or (row is not None and row.locked):
                continue
            row = _share_row(session, shares, child_id, member_id, section, actor)
            row.visible = want
            row.updated_at, row.updated_by = utcnow(), actor.label
            changed += 1
    if changed:
        session.flush()
        record_change(
            session=session, actor=actor, child_id=child_id, entity="section_share", entity_id=None, action="chosen"
        )
    return changed


def set_lock(*, session: Session, actor: Actor, child_id: int, member_id: int, section: str, locked: bool) -> None:
    """A practitioner hides (or stops hiding) one section from one person, for safety."""
    policy.require("sharing.lock", session=session, actor=actor, child_id=child_id)
    errors: dict[str, Any] = {}
    if section not in {s.value for s in Section}:
        errors["section"] = _l("Choose a section of the plan.")
    if not any(member.id == member_id for _link, member in _other_people(session, child_id)):
        errors["member_id"] = _l("Choose someone who can see this plan.")
    if errors:
        raise ValidationFailed(errors)
    shares = _shares(session, child_id)
    row = _share_row(session, shares, child_id, member_id, Section(section), actor)
    row.locked = locked
    if locked:
        row.visible = False
    row.updated_at, row.updated_by = utcnow(), actor.label
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity="section_share",
        entity_id=row.id,
        action="locked" if locked else "unlocked",
    )
