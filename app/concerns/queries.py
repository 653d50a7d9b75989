"""What the concerns pages show: the list of concerns a practitioner may read, and one concern
with its assessments, route decisions (newest first) and the pathway proposed now."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.concerns.models import Assessment, Concern, RouteDecision, Subject
from app.concerns.operations import concern_for, proposal
from app.concerns.routing import Pathway
from app.people.models import Child, Practitioner


@dataclass(frozen=True)
class ConcernRow:
    """One line of the concerns list."""

    concern: Concern
    child: Child | None
    grade: str | None
    chosen: str | None


@dataclass(frozen=True)
class AssessmentView:
    assessment: Assessment
    areas: dict[str, dict[str, str]]
    assessor: str


@dataclass(frozen=True)
class DecisionView:
    decision: RouteDecision
    decider: str


@dataclass(frozen=True)
class ConcernPage:
    """A concern and what was done about it, for one reader."""

    concern: Concern
    child: Child | None
    recorder: str
    assessments: list[AssessmentView]
    decisions: list[DecisionView]
    proposed: Pathway | None
    based_on: int | None
    may_assess: bool
    may_route: bool
    # The route is decided once for each assessment: deciding again needs a re-assessment first.
    decided: bool


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Practitioner).where(col(Practitioner.id).in_(ids))).all()
    return {row.id or 0: row.display_name for row in rows}


def concerns_list(*, session: Session, actor: Actor) -> list[ConcernRow]:
    """Concerns about the young people the actor may read, and the context concerns they recorded."""
    children = policy.children_holding("concern.read", session=session, actor=actor)
    query = select(Concern).where(
        col(Concern.child_id).in_(children)
        | (col(Concern.child_id).is_(None) & (Concern.recorded_by_id == actor.account_id))
    )
    rows = []
    for concern in session.exec(query.order_by(col(Concern.id).desc())).all():
        latest = session.exec(
            select(Assessment.grade).where(Assessment.concern_id == concern.id).order_by(col(Assessment.id).desc())
        ).first()
        chosen = session.exec(
            select(RouteDecision.chosen)
            .where(RouteDecision.concern_id == concern.id)
            .order_by(col(RouteDecision.id).desc())
        ).first()
        child = session.get(Child, concern.child_id) if concern.child_id is not None else None
        rows.append(ConcernRow(concern=concern, child=child, grade=latest, chosen=chosen))
    return rows


def recordable_children(*, session: Session, actor: Actor) -> list[Child]:
    """The young people the actor may raise a concern about, by name."""
    ids = policy.children_holding("concern.record", session=session, actor=actor)
    children = session.exec(select(Child).where(col(Child.id).in_(ids))).all() if ids else []
    return sorted(children, key=lambda child: (child.first_name.casefold(), child.last_name.casefold()))


def concern_page(*, session: Session, actor: Actor, concern_id: int) -> ConcernPage:
    """One concern, read by someone who may (audited); NotFound otherwise."""
    concern = concern_for(session=session, actor=actor, concern_id=concern_id, permission="concern.read")
    return _page_of(session, actor, concern)


def child_concerns(*, session: Session, actor: Actor, child_id: int) -> list[ConcernPage]:
    """Every concern about one young person, newest first, for someone who may read them (audited
    once, for the child); NotFound otherwise, as for a child that does not exist (R2)."""
    policy.require("concern.read", session=session, actor=actor, child_id=child_id)
    concerns = session.exec(select(Concern).where(Concern.child_id == child_id).order_by(col(Concern.id).desc())).all()
    return [_page_of(session, actor, concern) for concern in concerns]


def _page_of(session: Session, actor: Actor, concern: Concern) -> ConcernPage:
    """The concern's page; the caller has checked that the actor may read it."""
    concern_id = concern.id or 0
    assessments = session.exec(
        select(Assessment).where(Assessment.concern_id == concern_id).order_by(col(Assessment.id).desc())
    ).all()
    decisions = session.exec(
        select(RouteDecision).where(RouteDecision.concern_id == concern_id).order_by(col(RouteDecision.id).desc())
    ).all()
    names = _names(
        session,
        {concern.recorded_by_id} | {a.assessed_by_id for a in assessments} | {d.decided_by_id for d in decisions},
    )
    proposed, assessment = proposal(session, concern)
    child_id = concern.child_id
    if child_id is None:
        may_assess, may_route = False, True  # the recorder, or concern_for would have refused
    else:
        may_assess = policy.holds("concern.assess", session=session, actor=actor, child_id=child_id)
        may_route = policy.holds("concern.route", session=session, actor=actor, child_id=child_id)
    return ConcernPage(
        concern=concern,
        child=session.get(Child, child_id) if child_id is not None else None,
        recorder=names.get(concern.recorded_by_id, ""),
        assessments=[
            AssessmentView(assessment=a, areas=json.loads(a.areas), assessor=names.get(a.assessed_by_id, ""))
            for a in assessments
        ],
        decisions=[DecisionView(decision=d, decider=names.get(d.decided_by_id, "")) for d in decisions],
        proposed=proposed,
        based_on=assessment.id if assessment is not None else None,
        may_assess=may_assess and concern.subject == Subject.INDIVIDUAL,
        may_route=may_route and proposed is not None,
        decided=any(d.assessment_id == (assessment.id if assessment is not None else None) for d in decisions),
    )
