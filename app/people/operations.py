"""Writes about people: children, family links and case assignments.

Admin screens for these arrive with the access issue; for now the demo loader and tests use them.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.errors import NotFound, ValidationFailed
from app.models_base import choices
from app.people.models import CaseAssignment, CaseRole, Child, FamilyLink, FamilyMember, FamilyRole
from app.timeutil import utcnow


def create_child(
    *,
    session: Session,
    first_name: str,
    last_name: str,
    preferred_name: str = "",
    date_of_birth: date | None = None,
    open_to_csw: bool = False,
) -> Child:
    if not first_name.strip() or not last_name.strip():
        raise ValidationFailed({"name": "Enter the young person's first and last name."})
    child = Child(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_name=(preferred_name or first_name).strip(),
        date_of_birth=date_of_birth,
        open_to_csw=open_to_csw,
    )
    session.add(child)
    session.flush()
    return child


def assign_practitioner(*, session: Session, child_id: int, practitioner_id: int, case_role: str) -> CaseAssignment:
    if case_role not in choices(CaseRole):
        raise ValidationFailed({"case_role": "Choose a case role."})
    assignment = CaseAssignment(child_id=child_id, practitioner_id=practitioner_id, case_role=case_role)
    session.add(assignment)
    session.flush()
    return assignment


def add_family_member(
    *, session: Session, child_id: int, display_name: str, role: str, relationship: str = ""
) -> FamilyMember:
    """A family member already linked to the child (used where no invitation is involved)."""
    if role not in choices(FamilyRole):
        raise ValidationFailed({"role": "Choose who this is."})
    member = FamilyMember(display_name=display_name.strip())
    session.add(member)
    session.flush()
    session.add(FamilyLink(child_id=child_id, member_id=member.id or 0, role=role, relationship=relationship))
    session.flush()
    return member


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


def choose_easy_read(*, session: Session, member: FamilyMember, easy_read: bool) -> None:
    """A family member's own reading choice; it changes only how their pages are worded."""
    member.easy_read = easy_read
    session.add(member)
    session.flush()
