"""Whose cases a practitioner's caseload lists, decided here, where the roles are known.

A caseload is listed in one query for the whole page (a team can hold thousands of cases), so it
cannot ask `policy.require` child by child. This says whose cases to list, and what a row lets its
reader do, from the same tables the policy reads: a practitioner's own assignments, and for a
manager the cases allocated to someone in their team (the policy's `Relation.MANAGER`). Opening a
case still asks the policy, and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.access.permissions import ACCOUNT_PERMISSIONS, PERMISSIONS, Relation
from app.access.policy import case_role_holds, team_cases
from app.actors import Actor
from app.auth.models import AccountKind
from app.people.models import CaseAssignment, CaseRole, Practitioner, PractitionerRole


@dataclass(frozen=True)
class CaseloadScope:
    """Whose cases to list for one practitioner."""

    practitioner_id: int
    # Cases whose allocated worker is in this team are listed too (a manager's, read-only).
    team: str | None = None


def caseload_scope(*, session: Session, actor: Actor) -> CaseloadScope | None:
    """Whose cases this person's caseload lists; None for anyone with no caseload (family, admins)."""
    if actor.kind != AccountKind.PRACTITIONER:
        return None
    practitioner = session.get(Practitioner, actor.account_id)
    if practitioner is None or not practitioner.active or practitioner.role == PractitionerRole.ADMIN:
        return None
    # As in the policy: a manager reaches the cases allocated to their team, if they have a team.
    team = practitioner.team if practitioner.role == PractitionerRole.MANAGER and practitioner.team else None
    return CaseloadScope(practitioner_id=practitioner.id or 0, team=team)


def row_holds(case_role: str | None, permission: str) -> bool:
    """Whether a caseload row holds `permission`: by the reader's case role, or (None) through their team."""
    if case_role is not None:
        return case_role_holds(case_role, permission)
    return Relation.MANAGER in PERMISSIONS.get(permission, frozenset())


def may_hold_a_case(practitioner: Practitioner) -> bool:
    """Whether this practitioner's job lets them be a case's allocated worker: the jobs that may
    add a young person (and so hold their case), an active account."""
    return practitioner.active and practitioner.role in ACCOUNT_PERMISSIONS["children.add"]


def may_join_a_case(practitioner: Practitioner) -> bool:
    """Whether this practitioner can be put on a case in any role: an active account, not an admin
    (admins manage accounts and never read plans, as the policy says)."""
    return practitioner.active and practitioner.role != PractitionerRole.ADMIN


def case_roles_holding(permission: str) -> tuple[str, ...]:
    """The case roles whose assignment holds `permission` (to list, in one query, the cases where one does)."""
    return tuple(role for role in CaseRole if case_role_holds(role, permission))


def children_holding_query(scope: CaseloadScope, permission: str) -> sa.Select[Any]:
    """The ids of the caseload's children on whom the practitioner holds `permission`, as one query
    (to narrow a long list in the database, as `policy.children_holding` does child by child).

    The policy's order, in SQL: a live assignment of the practitioner's decides (if they hold
    several, every one must hold the permission: the policy reads whichever it finds first); with
    none, a manager reaches the cases allocated to their team. Break-glass access is no caseload.
    """
    live = select(CaseAssignment.child_id).where(
        CaseAssignment.practitioner_id == scope.practitioner_id, col(CaseAssignment.ended_on).is_(None)
    )
    holding = case_roles_holding(permission)
    by_role = sa.and_(
        col(CaseAssignment.child_id).in_(live.where(col(CaseAssignment.case_role).in_(holding))),
        col(CaseAssignment.child_id).not_in(live.where(col(CaseAssignment.case_role).not_in(holding))),
    )
    reached: sa.ColumnElement[bool] = by_role
    if scope.team is not None and Relation.MANAGER in PERMISSIONS.get(permission, frozenset()):
        by_team = sa.and_(
            col(CaseAssignment.child_id).in_(team_cases(scope.team)), col(CaseAssignment.child_id).not_in(live)
        )
        reached = sa.or_(by_role, by_team)
    return sa.select(col(CaseAssignment.child_id)).where(reached).distinct()
