"""Reading a case: who is on a young person's case team, who could join it, and possible duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from app.access import caseloads, policy
from app.actors import Actor
from app.errors import NotFound
from app.people.models import CaseAssignment, CaseRole, Child, Practitioner
from app.plans.versions import open_plan_for_child

# The order the team page lists case roles in: who holds the case, who chairs, then the rest.
CASE_ROLE_ORDER = (CaseRole.ALLOCATED_WORKER, CaseRole.CHAIR, CaseRole.TEAM_MEMBER, CaseRole.AGENCY_PARTNER)


@dataclass(frozen=True)
class TeamMember:
    """One practitioner's live part in the case."""

    assignment_id: int
    practitioner_id: int
    name: str
    job: str  # PractitionerRole
    agency: str  # Agency
    team: str
    case_role: str  # CaseRole
    started_on: date
    # False for the last allocated worker: a case always keeps someone who holds it.
    removable: bool


@dataclass(frozen=True)
class RoleGroup:
    """The people in one case role; agency partners also under their agency."""

    case_role: str  # CaseRole
    members: list[TeamMember]
    # (agency, people) in agency order, for the role whose people come from agencies; else empty.
    by_agency: list[tuple[str, list[TeamMember]]] = field(default_factory=list)


@dataclass(frozen=True)
class CaseTeam:
    """Everyone on one child's case, by case role in CASE_ROLE_ORDER."""

    child: Child
    members: list[TeamMember]
    # Whether the reader may add and remove people (the page shows the controls only then).
    manages: bool
    groups: list[RoleGroup]
    # The open plan's meeting type (Safer Me or Safer Me Plus); None if the case has no open plan.
    meeting_type: str | None = None

    def find(self, assignment_id: int) -> TeamMember | None:
        return next((m for m in self.members if m.assignment_id == assignment_id), None)

    def in_role(self, case_role: str) -> list[TeamMember]:
        return next((g.members for g in self.groups if g.case_role == case_role), [])


def _by_agency(members: list[TeamMember]) -> list[tuple[str, list[TeamMember]]]:
    groups: dict[str, list[TeamMember]] = {}
    for member in members:
        groups.setdefault(member.agency, []).append(member)
    return sorted(groups.items())


def _live_assignments(session: Session, child_id: int) -> list[tuple[CaseAssignment, Practitioner]]:
    rows = session.exec(
        select(CaseAssignment, Practitioner)
        .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
        .where(CaseAssignment.child_id == child_id, col(CaseAssignment.ended_on).is_(None))
        .order_by(col(CaseAssignment.started_on), col(CaseAssignment.id))
    ).all()
    return [(assignment, practitioner) for assignment, practitioner in rows]


def allocated_count(session: Session, child_id: int) -> int:
    """How many live allocated workers the case has (the last one cannot be removed)."""
    return sum(1 for a, _p in _live_assignments(session, child_id) if a.case_role == CaseRole.ALLOCATED_WORKER)


def case_team(*, session: Session, actor: Actor, child_id: int) -> CaseTeam:
    """The case team as its reader may see it; "not found" for anyone who may not (audited)."""
    policy.require("case.read_team", session=session, actor=actor, child_id=child_id)
    child = session.get(Child, child_id)
    if child is None:  # the policy found a live link to it, so only a race with a purge lands here
        raise NotFound()
    rows = _live_assignments(session, child_id)
    allocated = sum(1 for a, _p in rows if a.case_role == CaseRole.ALLOCATED_WORKER)
    members = [
        TeamMember(
            assignment_id=assignment.id or 0,
            practitioner_id=practitioner.id or 0,
            name=practitioner.display_name,
            job=practitioner.role,
            agency=practitioner.agency,
            team=practitioner.team,
            case_role=assignment.case_role,
            started_on=assignment.started_on,
            removable=assignment.case_role != CaseRole.ALLOCATED_WORKER or allocated > 1,
        )
        for assignment, practitioner in rows
    ]
    groups = []
    for role in CASE_ROLE_ORDER:
        in_role = [m for m in members if m.case_role == role]
        by_agency = _by_agency(in_role) if role == CaseRole.AGENCY_PARTNER else []
        groups.append(RoleGroup(case_role=role, members=in_role, by_agency=by_agency))
    manages = policy.holds("case.manage_team", session=session, actor=actor, child_id=child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    meeting_type = plan.meeting_type if plan is not None else None
    return CaseTeam(child=child, members=members, manages=manages, groups=groups, meeting_type=meeting_type)


def directory(*, session: Session, child_id: int) -> list[Practitioner]:
    """Practitioners who could join the case: active, not already on it, and not admins (who never
    read plans). Ordered by agency, then name, for the "add someone" list."""
    on_case = select(CaseAssignment.practitioner_id).where(
        CaseAssignment.child_id == child_id, col(CaseAssignment.ended_on).is_(None)
    )
    candidates = session.exec(
        select(Practitioner)
        .where(col(Practitioner.active).is_(True), col(Practitioner.id).not_in(on_case))
        .order_by(col(Practitioner.agency), col(Practitioner.display_name))
    ).all()
    # Who may join a case at all is the access package's to say (admins never read plans).
    return [p for p in candidates if caseloads.may_join_a_case(p)]


def possible_duplicates(
    *, session: Session, practitioner_id: int, first_name: str, last_name: str, born: date
) -> list[Child]:
    """Children on this practitioner's caseload with the same name and date of birth.

    Names are encrypted, so the database narrows by date of birth and the names are compared
    here, ignoring case (a caseload holds few children born on one day).
    """
    candidates = session.exec(
        select(Child)
        .join(CaseAssignment, col(CaseAssignment.child_id) == col(Child.id))
        .where(
            CaseAssignment.practitioner_id == practitioner_id,
            col(CaseAssignment.ended_on).is_(None),
            Child.date_of_birth == born,
        )
    ).all()
    wanted = (first_name.casefold(), last_name.casefold())
    # One row per assignment: a child the worker holds twice is still one match.
    found = {c.id: c for c in candidates if (c.first_name.casefold(), c.last_name.casefold()) == wanted}
    return list(found.values())
