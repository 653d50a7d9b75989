"""Reading people: who is linked to a child, and a family member's children.

A practitioner's caseload is the work tray's (app.worktray.queries), paged by the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.people.models import CaseAssignment, Child, FamilyLink, FamilyMember, Practitioner


@dataclass(frozen=True)
class PersonLink:
    """Someone linked to a child, for the practitioner's "who is involved" panel."""

    name: str
    role: str
    relationship: str
    detail: str
    member_id: int | None = None  # family members only


def people_around_child(*, session: Session, actor: Actor, child_id: int) -> list[PersonLink]:
    """Family members with a live link and practitioners on the case."""
    policy.require("plan.read_full", session=session, actor=actor, child_id=child_id)
    family = session.exec(
        select(FamilyLink, FamilyMember)
        .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
        .where(FamilyLink.child_id == child_id, col(FamilyLink.revoked_at).is_(None))
    ).all()
    workers = session.exec(
        select(CaseAssignment, Practitioner)
        .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
        .where(CaseAssignment.child_id == child_id, col(CaseAssignment.ended_on).is_(None))
    ).all()
    return people_from(list(family), list(workers))


def people_from(
    family: list[tuple[FamilyLink, FamilyMember]], workers: list[tuple[CaseAssignment, Practitioner]]
) -> list[PersonLink]:
    """The people around a child from rows already read (past family links are left out)."""
    people = [
        PersonLink(
            name=member.display_name, role=link.role, relationship=link.relationship, detail="", member_id=member.id
        )
        for link, member in family
        if link.revoked_at is None
    ]
    people += [
        PersonLink(
            name=practitioner.display_name,
            role=assignment.case_role,
            relationship=practitioner.agency,
            detail=practitioner.team,
        )
        for assignment, practitioner in workers
    ]
    return people


def children_of_family_member(*, session: Session, actor: Actor) -> list[tuple[Child, FamilyLink]]:
    """The children this family member is linked to (usually one)."""
    rows = session.exec(
        select(Child, FamilyLink)
        .join(FamilyLink, col(FamilyLink.child_id) == col(Child.id))
        .where(FamilyLink.member_id == actor.account_id, col(FamilyLink.revoked_at).is_(None))
    ).all()
    return [(child, link) for child, link in rows]
