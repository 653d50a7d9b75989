"""Writes about people: children, family links and case assignments.

Admin screens for these arrive with the access issue; for now the demo loader and tests use them.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.errors import NotFound
from app.people.inputs import AssignmentInput, ChildInput, FamilyMemberInput
from app.people.models import CaseAssignment, Child, FamilyLink, FamilyMember, FamilyRole
from app.timeutil import utcnow


def create_child(*, session: Session, child: ChildInput) -> Child:
    """A young person's record (their plan is started separately, by a practitioner)."""
    row = Child(
        first_name=child.first_name,
        last_name=child.last_name,
        preferred_name=child.preferred_name or child.first_name,
        date_of_birth=child.date_of_birth,
        school=child.school or None,
        open_to_csw=child.open_to_csw,
    )
    session.add(row)
    session.flush()
    return row


def assign_practitioner(*, session: Session, child_id: int, assignment: AssignmentInput) -> CaseAssignment:
    """Put a practitioner on a child's case, in the part the assignment names."""
    row = CaseAssignment(child_id=child_id, practitioner_id=assignment.practitioner_id, case_role=assignment.case_role)
    session.add(row)
    session.flush()
    return row


def add_family_member(*, session: Session, child_id: int, member: FamilyMemberInput) -> FamilyMember:
    """A family member already linked to the child (used where no invitation is involved)."""
    row = FamilyMember(display_name=member.display_name)
    session.add(row)
    session.flush()
    session.add(
        FamilyLink(child_id=child_id, member_id=row.id or 0, role=member.role, relationship=member.relationship)
    )
    session.flush()
    return row


def revoke_family_link(*, session: Session, actor: Actor, child_id: int, member_id: int) -> None:
    """End someone's access to a child's plan; their next request gets "not found" (R6)."""
    policy.require("plan.edit", session=session, actor=actor, child_id=child_id)
    link = session.exec(
        select(FamilyLink).where(
            FamilyLink.child_id == child_id,
            FamilyLink.member_id == member_id,
            col(FamilyLink.revoked_at).is_(None),
            FamilyLink.role != FamilyRole.YOUNG_PERSON,
        )
    ).first()
    if link is None:
        raise NotFound()
    link.revoked_at = utcnow()
    link.updated_at, link.updated_by = link.revoked_at, actor.label
    session.flush()
    record_change(
        session=session, actor=actor, child_id=child_id, entity="family_link", entity_id=link.id, action="revoked"
    )


def choose_language(*, session: Session, member: FamilyMember, language: str | None) -> None:
    """A family member's own language for their pages (None: follow the browser's)."""
    member.language = language
    session.add(member)
    session.flush()


def choose_easy_read(*, session: Session, member: FamilyMember, easy_read: bool) -> None:
    """A family member's own reading choice; it changes only how their pages are worded."""
    member.easy_read = easy_read
    session.add(member)
    session.flush()
