"""Reading people: a practitioner's caseload, and who is linked to a child."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import and_, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.access import caseloads, policy
from app.actors import Actor
from app.people.models import CaseAssignment, CaseRole, Child, FamilyLink, FamilyMember, Practitioner
from app.plans.models import Plan, PlanStatus, PlanVersion


@dataclass(frozen=True)
class CaseloadRow:
    child: Child
    # The reader's part in the case (a CaseRole), or None for a case on their team's caseload (a manager's).
    case_role: str | None
    # Who holds the case: the allocated worker ("" if no one does).
    allocated_worker: str
    allocated_worker_id: int | None
    meeting_type: str | None
    next_review: date | None
    last_agreed: date | None

    @property
    def reads_full_plan(self) -> bool:
        """Whether this row opens the whole plan (an agency partner sees only their actions)."""
        return caseloads.row_holds(self.case_role, "plan.read_full")

    @property
    def edits_plan(self) -> bool:
        """Whether the reader may change the plan (managers and team members read it only)."""
        return caseloads.row_holds(self.case_role, "plan.edit")


def caseload(*, session: Session, actor: Actor) -> list[CaseloadRow]:
    """The children on a practitioner's caseload, soonest review first, in one query for the page.

    Their own live assignments, and for a manager every case allocated to someone in their team;
    each with who holds it, the meeting type and the latest agreed version's dates.
    """
    scope = caseloads.caseload_scope(session=session, actor=actor)
    if scope is None:
        return []
    mine = aliased(CaseAssignment)
    allocated = aliased(CaseAssignment)
    worker = aliased(Practitioner)
    agreed = aliased(PlanVersion)
    mine_on = and_(
        col(mine.child_id) == col(Child.id),
        col(mine.practitioner_id) == scope.practitioner_id,
        col(mine.ended_on).is_(None),
    )
    # The latest agreed version of the open plan, found in the same statement (no query per row).
    latest_agreed = (
        select(func.max(PlanVersion.number))
        .where(col(PlanVersion.plan_id) == col(Plan.id), col(PlanVersion.agreed_at).is_not(None))
        .correlate(Plan)
        .scalar_subquery()
    )
    # sqlalchemy's select: sqlmodel's types only as many as four columns.
    query = sa.select(
        Child,
        col(mine.case_role),
        col(worker.display_name),
        col(worker.id),
        col(Plan.meeting_type),
        col(agreed.review_date),
        col(agreed.agreed_on),
    )
    # A manager's list also holds cases they have no assignment on (their team's): an outer join then.
    query = query.join(mine, mine_on) if scope.team is None else query.outerjoin(mine, mine_on)
    query = (
        query.outerjoin(
            allocated,
            and_(
                col(allocated.child_id) == col(Child.id),
                col(allocated.case_role) == CaseRole.ALLOCATED_WORKER,
                col(allocated.ended_on).is_(None),
            ),
        )
        .outerjoin(worker, col(worker.id) == col(allocated.practitioner_id))
        .outerjoin(Plan, and_(col(Plan.child_id) == col(Child.id), col(Plan.status) == PlanStatus.OPEN))
        .outerjoin(agreed, and_(col(agreed.plan_id) == col(Plan.id), col(agreed.number) == latest_agreed))
        .order_by(col(Child.id), col(mine.id))
    )
    if scope.team is not None:
        query = query.where(or_(col(mine.id).is_not(None), col(worker.team) == scope.team))
    result: dict[int, CaseloadRow] = {}
    for child, case_role, worker_name, worker_id, meeting_type, review_date, agreed_on in session.execute(query):
        # One row per child: a second assignment (or allocated worker) of the same child adds nothing.
        result.setdefault(
            child.id or 0,
            CaseloadRow(
                child=child,
                case_role=case_role,
                allocated_worker=worker_name or "",
                allocated_worker_id=worker_id,
                meeting_type=meeting_type,
                next_review=review_date,
                last_agreed=agreed_on,
            ),
        )
    return sorted(result.values(), key=lambda r: (r.next_review is None, r.next_review or date.max))


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
