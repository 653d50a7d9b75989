"""The access policy: every view and API call asks here, by name, before it reads or writes.

Relationship-based: a person reaches a child only through a live link (a family link or a case
assignment). Anything else is "not found", so an unauthorised answer looks exactly like a missing
record (SECURITY.md R2).
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session, col, select

from app.access.actors import Actor
from app.auth.models import AccountKind
from app.errors import NotFound
from app.people.models import CaseAssignment, CaseRole, FamilyLink, FamilyRole


class Section(StrEnum):
    """Parts of a plan that can be shown or withheld as a whole."""

    MY_STATEMENTS = "my_statements"
    EMERGENCY = "emergency"  # emergency statements, contacts, where to take me if missing
    SAFE_WORD = "safe_word"
    ACTIONS = "actions"
    CARER_COMMITMENTS = "carer_commitments"
    AGENCY_SAFETY_ACTIONS = "agency_safety_actions"
    SAFE_NETWORK = "safe_network"  # safe and could-be-safe people and places; never people of concern
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    REVIEW = "review"


# What each family role sees before anyone shares more. High-privacy defaults (ICO Children's
# Code): a parent sees their own commitments and the review date; a trusted adult sees nothing
# until the young person shares it. Per-person sharing arrives with the access issue.
FAMILY_DEFAULT_SECTIONS: dict[str, frozenset[Section]] = {
    FamilyRole.YOUNG_PERSON: frozenset(Section),
    FamilyRole.PARENT_CARER: frozenset({Section.CARER_COMMITMENTS, Section.REVIEW}),
    FamilyRole.TRUSTED_ADULT: frozenset(),
}

# Case roles that may invite family members and see the whole plan.
CASE_ROLES_THAT_INVITE = frozenset({CaseRole.ALLOCATED_WORKER, CaseRole.CHAIR})


def family_link(*, session: Session, actor: Actor, child_id: int) -> FamilyLink:
    """The actor's live family link to this child, or NotFound."""
    if actor.kind != AccountKind.FAMILY:
        raise NotFound()
    link = session.exec(
        select(FamilyLink).where(
            FamilyLink.child_id == child_id,
            FamilyLink.member_id == actor.account_id,
            col(FamilyLink.revoked_at).is_(None),
        )
    ).first()
    if link is None:
        raise NotFound()
    return link


def case_assignment(*, session: Session, actor: Actor, child_id: int) -> CaseAssignment:
    """The actor's current assignment to this child's case, or NotFound."""
    if actor.kind != AccountKind.PRACTITIONER:
        raise NotFound()
    assignment = session.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == child_id,
            CaseAssignment.practitioner_id == actor.account_id,
            col(CaseAssignment.ended_on).is_(None),
        )
    ).first()
    if assignment is None:
        raise NotFound()
    return assignment


def visible_sections(*, session: Session, actor: Actor, child_id: int) -> frozenset[Section]:
    """The plan sections this actor may see for this child (NotFound if none at all)."""
    if actor.kind == AccountKind.PRACTITIONER:
        case_assignment(session=session, actor=actor, child_id=child_id)
        return frozenset(Section)
    link = family_link(session=session, actor=actor, child_id=child_id)
    return FAMILY_DEFAULT_SECTIONS.get(link.role, frozenset())


def require(permission: str, *, session: Session, actor: Actor, child_id: int) -> None:
    """Raise NotFound unless `actor` holds `permission` for this child.

    Permissions are named after what they allow: "plan.read", "plan.history", "invitation.create".
    An unknown name is denied: a typo fails closed.
    """
    if permission == "plan.read":
        # A live link is enough to open the plan page; what it shows is `visible_sections`.
        visible_sections(session=session, actor=actor, child_id=child_id)
        return
    if permission in ("plan.history", "plan.read_full"):
        case_assignment(session=session, actor=actor, child_id=child_id)
        return
    if permission == "plan.write_own_statements":
        link = family_link(session=session, actor=actor, child_id=child_id)
        if link.role != FamilyRole.YOUNG_PERSON:
            raise NotFound()
        return
    if permission == "invitation.create":
        assignment = case_assignment(session=session, actor=actor, child_id=child_id)
        if assignment.case_role not in CASE_ROLES_THAT_INVITE:
            raise NotFound()
        return
    raise NotFound()
