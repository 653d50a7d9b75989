"""Reading plans: one function per view, each asking the access policy first.

The family side gets a `PlanView` holding only the sections that person may see; withheld
sections are never loaded into it, so a template cannot leak them by mistake (SECURITY.md R4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session, col, select

from app.access import policy
from app.access.actors import Actor
from app.access.policy import Section
from app.errors import NotFound
from app.people.models import Child, FamilyLink
from app.plans.models import (
    AgencyAction,
    AgencyActionKind,
    CarerCommitment,
    ChildStatement,
    EmergencyContact,
    Moment,
    NetworkPerson,
    ParentalResponsibility,
    Place,
    Plan,
    PlanAction,
    PlanItem,
    PlanVersion,
    Safety,
    StatementKind,
)
from app.plans.operations import open_plan_for_child

Item = TypeVar("Item", bound=PlanItem)


@dataclass
class PlanView:
    """A plan version as one person may see it. Lists for withheld sections stay empty."""

    child: Child
    plan: Plan
    version: PlanVersion
    sections: frozenset[Section]
    actions: list[PlanAction] = field(default_factory=list)
    statements: dict[str, dict[str, list[ChildStatement]]] = field(default_factory=dict)
    contacts: list[EmergencyContact] = field(default_factory=list)
    safe_word: str | None = None
    if_missing_take_to: str | None = None
    parental_responsibility: list[ParentalResponsibility] = field(default_factory=list)
    carer_commitments: list[CarerCommitment] = field(default_factory=list)
    agency_safety_actions: list[AgencyAction] = field(default_factory=list)
    agency_disrupt_actions: list[AgencyAction] = field(default_factory=list)
    network: list[NetworkPerson] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # How the viewer reaches the child (access.policy.Relation), and whether they may change the plan.
    relation: str = ""
    can_edit: bool = False

    @property
    def is_agreed(self) -> bool:
        return self.version.agreed_at is not None

    def shows(self, section: Section) -> bool:
        return section in self.sections


def _items(session: Session, model: type[Item], version_id: int) -> list[Item]:
    return list(session.exec(select(model).where(model.version_id == version_id).order_by(col(model.position))).all())


def _group_statements(rows: list[ChildStatement]) -> dict[str, dict[str, list[ChildStatement]]]:
    grouped: dict[str, dict[str, list[ChildStatement]]] = {
        moment: {kind: [] for kind in StatementKind} for moment in Moment
    }
    for row in rows:
        grouped.setdefault(row.moment, {}).setdefault(row.kind, []).append(row)
    return grouped


def _build(
    session: Session,
    child: Child,
    plan: Plan,
    version: PlanVersion,
    sections: frozenset[Section],
    *,
    full: bool,
    carer_member_id: int | None = None,
) -> PlanView:
    view = PlanView(child=child, plan=plan, version=version, sections=sections)
    vid = version.id or 0
    if Section.ACTIONS in sections:
        view.actions = _items(session, PlanAction, vid)
    statements = _items(session, ChildStatement, vid)
    if Section.MY_STATEMENTS not in sections:
        statements = []
    elif Section.EMERGENCY not in sections:
        statements = [s for s in statements if s.moment != Moment.EMERGENCY]
    view.statements = _group_statements(statements)
    if Section.EMERGENCY in sections:
        view.contacts = _items(session, EmergencyContact, vid)
        view.if_missing_take_to = version.if_missing_take_to
    if Section.SAFE_WORD in sections:
        view.safe_word = version.safe_word
    if Section.PARENTAL_RESPONSIBILITY in sections:
        view.parental_responsibility = _items(session, ParentalResponsibility, vid)
    if Section.CARER_COMMITMENTS in sections:
        commitments = _items(session, CarerCommitment, vid)
        if carer_member_id is not None:
            commitments = [c for c in commitments if c.member_id == carer_member_id]
        view.carer_commitments = commitments
    agency = _items(session, AgencyAction, vid) if Section.AGENCY_SAFETY_ACTIONS in sections else []
    view.agency_safety_actions = [a for a in agency if a.kind == AgencyActionKind.INCREASE_SAFETY]
    if full:
        # Disruption work can include live investigations: practitioners only.
        view.agency_disrupt_actions = [a for a in agency if a.kind == AgencyActionKind.PREVENT_DISRUPT]
        view.network = _items(session, NetworkPerson, vid)
        view.places = _items(session, Place, vid)
    elif Section.SAFE_NETWORK in sections:
        # People of concern and unsafe places never leave the practitioner side (R4).
        view.network = [p for p in _items(session, NetworkPerson, vid) if p.safety != Safety.NOT_SAFE]
        view.places = [p for p in _items(session, Place, vid) if p.safety != Safety.NOT_SAFE]
    return view


def _child_and_plan(session: Session, child_id: int) -> tuple[Child, Plan]:
    child = session.get(Child, child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    if child is None or plan is None:
        raise NotFound()
    return child, plan


def latest_agreed(*, session: Session, plan_id: int) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan_id, col(PlanVersion.agreed_at).is_not(None))
        .order_by(col(PlanVersion.number).desc())
    ).first()


def draft_version(*, session: Session, plan_id: int) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion).where(PlanVersion.plan_id == plan_id, col(PlanVersion.agreed_at).is_(None))
    ).first()


def family_plan(*, session: Session, actor: Actor, child_id: int) -> PlanView:
    """The plan a family member sees: the latest agreed version (or the draft before any is agreed)."""
    access = policy.require("plan.read", session=session, actor=actor, child_id=child_id)
    if access.family_link is None:
        raise NotFound()
    sections = policy.visible_sections(session=session, access=access)
    child, plan = _child_and_plan(session, child_id)
    version = latest_agreed(session=session, plan_id=plan.id or 0) or draft_version(
        session=session, plan_id=plan.id or 0
    )
    if version is None:
        raise NotFound()
    carer = actor.account_id if access.relation == policy.Relation.PARENT_CARER else None
    return _build(session, child, plan, version, sections, full=False, carer_member_id=carer)


def practitioner_plan(*, session: Session, actor: Actor, child_id: int, version_number: int | None = None) -> PlanView:
    """The whole plan for a practitioner on the case: the draft, or a chosen version."""
    access = policy.require("plan.read_full", session=session, actor=actor, child_id=child_id)
    child, plan = _child_and_plan(session, child_id)
    if version_number is None:
        version = draft_version(session=session, plan_id=plan.id or 0)
    else:
        version = session.exec(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == version_number)
        ).first()
    if version is None:
        raise NotFound()
    view = _build(session, child, plan, version, frozenset(Section), full=True)
    view.relation = access.relation
    view.can_edit = access.relation in policy.PLAN_EDITORS
    return view


def version_history(*, session: Session, actor: Actor, child_id: int) -> list[PlanVersion]:
    """Every version of the child's open plan, newest first."""
    policy.require("plan.history", session=session, actor=actor, child_id=child_id)
    _child, plan = _child_and_plan(session, child_id)
    return list(
        session.exec(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(col(PlanVersion.number).desc())
        ).all()
    )


def children_of_family_member(*, session: Session, actor: Actor) -> list[tuple[Child, FamilyLink]]:
    """The children this family member is linked to (usually one)."""
    rows = session.exec(
        select(Child, FamilyLink)
        .join(FamilyLink, col(FamilyLink.child_id) == col(Child.id))
        .where(FamilyLink.member_id == actor.account_id, col(FamilyLink.revoked_at).is_(None))
    ).all()
    return [(child, link) for child, link in rows]
