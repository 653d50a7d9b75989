"""Writes about a case: a worker adds a young person (and holds their case), and the case team
changes (someone joins in a case role, or leaves).

A case is the child's record, the practitioners on it (CaseAssignment) and their one open plan.
What comes later attaches to the child by `child_id` and to the plan by `plan_id`, as meetings
do: the assessment and routing of the framework issue will be rows of their own about the child,
and routing's answer (Safer Me or Safer Me Plus, open to Children's Social Work) is what the
worker chooses here for now, on `Plan.meeting_type` and `Child.open_to_csw`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import caseloads, policy
from app.actors import Actor
from app.audit.operations import record_change
from app.cases.inputs import NewYoungPerson
from app.cases.queries import allocated_count, possible_duplicates
from app.errors import NotFound, ValidationFailed
from app.models_base import stamp
from app.people.inputs import AssignmentInput
from app.people.models import CaseAssignment, CaseRole, Child, Practitioner
from app.people.operations import assign_practitioner, create_child
from app.plans.models import Plan
from app.plans.versions import PlanStart, start_plan
from app.timeutil import today

LAST_ALLOCATED = _l(
    "This is the case's only allocated worker. Add the new allocated worker first, then remove this one: "
    "a young person's case always has someone who holds it."
)
NOT_AN_ALLOCATED_WORKER = _l(
    "An allocated worker is a social worker or a lead professional. Choose another role for them, "
    "or someone in one of those jobs."
)
POSSIBLE_DUPLICATE = _l(
    "A young person with this name and date of birth is already on your caseload. Check it is not "
    "them. If this is a different young person, tick the box and add them again."
)


@dataclass(frozen=True)
class NewCase:
    """What adding a young person made: their record, the worker's allocation, and the empty draft plan."""

    child: Child
    allocation: CaseAssignment
    plan: Plan


class PossibleDuplicate(ValidationFailed):
    """The worker already holds a child with this name and date of birth; `matches` are they."""

    def __init__(self, matches: list[Child]) -> None:
        super().__init__({"different_person": POSSIBLE_DUPLICATE})
        self.matches = matches


def add_young_person(*, session: Session, actor: Actor, person: NewYoungPerson) -> NewCase:
    """Open a case: the young person's record, the worker who adds them as allocated worker, and
    an empty draft plan for the meeting type chosen. A likely duplicate on the worker's own
    caseload is refused until the worker says it is someone else."""
    access = policy.require("children.add", session=session, actor=actor)
    worker = access.practitioner
    if worker is None or worker.id is None:
        raise NotFound()
    if not person.different_person:
        matches = possible_duplicates(
            session=session,
            practitioner_id=worker.id,
            first_name=person.first_name,
            last_name=person.last_name,
            born=person.date_of_birth,
        )
        if matches:
            raise PossibleDuplicate(matches)
    child = create_child(session=session, child=person.child())
    stamp(child, actor.label, new=True)
    record_change(session=session, actor=actor, child_id=child.id, entity="child", entity_id=child.id, action="created")
    allocation = assign_practitioner(
        session=session,
        child_id=child.id or 0,
        assignment=AssignmentInput(practitioner_id=worker.id, case_role=CaseRole.ALLOCATED_WORKER),
    )
    _record_joined(session, actor, allocation)
    # The allocation has just made the worker an editor of this child's plan: start_plan asks.
    plan = start_plan(
        session=session, actor=actor, child_id=child.id or 0, start=PlanStart(meeting_type=person.meeting_type)
    )
    return NewCase(child=child, allocation=allocation, plan=plan)


def _record_joined(session: Session, actor: Actor, assignment: CaseAssignment) -> None:
    stamp(assignment, actor.label, new=True)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=assignment.child_id,
        entity="case_assignment",
        entity_id=assignment.id,
        action="created",
    )


def _lock_case(session: Session, child_id: int) -> None:
    """Changes to one case team happen one at a time: two people each removing one of two allocated
    workers must not leave the case with none (PostgreSQL holds the child's row; SQLite writes one
    transaction at a time anyway)."""
    session.exec(select(Child.id).where(Child.id == child_id).with_for_update()).first()


def add_to_team(*, session: Session, actor: Actor, child_id: int, member: AssignmentInput) -> CaseAssignment:
    """Put a practitioner from the directory on the case, in the case role chosen."""
    policy.require("case.manage_team", session=session, actor=actor, child_id=child_id)
    _lock_case(session, child_id)
    practitioner = session.get(Practitioner, member.practitioner_id)
    if practitioner is None or not caseloads.may_join_a_case(practitioner):
        # Admins never read plans; anyone not in the directory is not offered, so "choose".
        raise ValidationFailed({"practitioner_id": _l("Choose someone from the list.")})
    already = session.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == child_id,
            CaseAssignment.practitioner_id == member.practitioner_id,
            col(CaseAssignment.ended_on).is_(None),
        )
    ).first()
    if already is not None:
        raise ValidationFailed(
            {
                "practitioner_id": _l(
                    "%(name)s is already on this case team. To give them a different role, remove them first.",
                    name=practitioner.display_name,
                )
            }
        )
    if member.case_role == CaseRole.ALLOCATED_WORKER and not caseloads.may_hold_a_case(practitioner):
        raise ValidationFailed({"case_role": NOT_AN_ALLOCATED_WORKER})
    assignment = assign_practitioner(session=session, child_id=child_id, assignment=member)
    _record_joined(session, actor, assignment)
    return assignment


def remove_from_team(*, session: Session, actor: Actor, child_id: int, assignment_id: int) -> CaseAssignment:
    """End someone's part in the case (they lose access at once); never the last allocated worker."""
    policy.require("case.manage_team", session=session, actor=actor, child_id=child_id)
    _lock_case(session, child_id)
    assignment = session.exec(
        select(CaseAssignment).where(
            CaseAssignment.id == assignment_id,
            CaseAssignment.child_id == child_id,
            col(CaseAssignment.ended_on).is_(None),
        )
    ).first()
    if assignment is None:
        raise NotFound()
    if assignment.case_role == CaseRole.ALLOCATED_WORKER and allocated_count(session, child_id) <= 1:
        raise ValidationFailed({"__all__": LAST_ALLOCATED})
    assignment.ended_on = today()
    stamp(assignment, actor.label, new=False)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity="case_assignment",
        entity_id=assignment.id,
        action="ended",
    )
    return assignment
