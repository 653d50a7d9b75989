"""Reading people: a practitioner's caseload, and who is linked to a child."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.auth.models import AccountKind
from app.people.models import CaseAssignment, Child, FamilyLink, FamilyMember, Practitioner
from app.plans.models import Plan, PlanStatus, PlanVersion


@dataclass(frozen=True)
class CaseloadRow:
    child: Child
    assignment: CaseAssignment
    meeting_type: str | None
    next_review: date | None
    last_agreed: date | None

    @property
    def reads_full_plan(self) -> bool:
        """Whether this case role opens the whole plan (an agency partner sees only their actions)."""
        return policy.case_role_holds(self.assignment.case_role, "plan.read_full")


def caseload(*, session: Session, actor: Actor) -> list[CaseloadRow]:
    """The children a practitioner is currently assigned to, soonest review first."""
    if actor.kind != AccountKind.PRACTITIONER:
        return []
    rows = session.exec(
        select(Child, CaseAssignment)
        .join(CaseAssignment, col(CaseAssignment.child_id) == col(Child.id))
        .where(CaseAssignment.practitioner_id == actor.account_id, col(CaseAssignment.ended_on).is_(None))
    ).all()
    result: list[CaseloadRow] = []
    for child, assignment in rows:
        plan = session.exec(select(Plan).where(Plan.child_id == child.id, Plan.status == PlanStatus.OPEN)).first()
        agreed = None
        if plan is not None:
            agreed = session.exec(
                select(PlanVersion)
                .where(PlanVersion.plan_id == plan.id, col(PlanVersion.agreed_at).is_not(None))
                .order_by(col(PlanVersion.number).desc())
            ).first()
        result.append(
            CaseloadRow(
                child=child,
                assignment=assignment,
                meeting_type=plan.meeting_type if plan else None,
                next_review=agreed.review_date if agreed else None,
                last_agreed=agreed.agreed_on if agreed else None,
            )
        )
    return sorted(result, key=lambda r: (r.next_review is None, r.next_review or date.max))


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
    people: list[PersonLink] = []
    family = session.exec(
        select(FamilyLink, FamilyMember)
        .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
        .where(FamilyLink.child_id == child_id, col(FamilyLink.revoked_at).is_(None))
    ).all()
    for link, member in family:
        people.append(
            PersonLink(
                name=member.display_name,
                role=link.role,
                relationship=link.relationship,
                detail="",
                member_id=member.id,
            )
        )
    workers = session.exec(
        select(CaseAssignment, Practitioner)
        .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
        .where(CaseAssignment.child_id == child_id, col(CaseAssignment.ended_on).is_(None))
    ).all()
    for assignment, practitioner in workers:
        people.append(
            PersonLink(
                name=practitioner.display_name,
                role=assignment.case_role,
                relationship=practitioner.agency,
                detail=practitioner.team,
            )
        )
    return people


def children_of_family_member(*, session: Session, actor: Actor) -> list[tuple[Child, FamilyLink]]:
    """The children this family member is linked to (usually one)."""
    rows = session.exec(
        select(Child, FamilyLink)
        .join(FamilyLink, col(FamilyLink.child_id) == col(Child.id))
        .where(FamilyLink.member_id == actor.account_id, col(FamilyLink.revoked_at).is_(None))
    ).all()
    return [(child, link) for child, link in rows]
