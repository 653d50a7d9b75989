"""Writes about concerns: record one, assess the young person it is about, decide its route.

Who may do what is the policy's (app.access): a concern about a young person is asked about that
child ("concern.record", "concern.assess", "concern.route"); a concern about a peer group, a place
or people of concern is its recorder's alone until the Hub's queue arrives. Nothing here commits:
the door does.
"""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_access, record_change
from app.concerns.inputs import AREA_KEYS, AssessmentInput, ConcernInput, DecisionInput
from app.concerns.models import Assessment, Concern, Grade, RouteDecision, Subject
from app.concerns.routing import NeedsAssessment, Pathway, propose_pathway
from app.errors import NotFound, ValidationFailed
from app.hub.operations import open_enquiry
from app.mapping.operations import open_mapping
from app.models_base import stamp
from app.people.models import Child

# Pathways that begin with an enquiry to the Adolescent Safety Hub (seed 002).
HUB_PATHWAYS = frozenset({Pathway.HUB_ENQUIRY, Pathway.HUB_AND_MACE})
CHOOSE_CHILD = _l("Choose the young person.")
NAME_THE_CONTEXT = _l("Name the peer group or the place.")
NO_RISKS = _l("Write the risks you see in at least one area.")
GIVE_A_REASON = _l("Say why you chose a different pathway from the one proposed.")
ASSESS_FIRST = _l("Complete the Safer Me Assessment first: the pathway comes from its risk grade.")
STALE_PROPOSAL = _l(
    "Someone re-assessed this young person since you opened the page, so the proposal may have changed. "
    "Check the proposal below, then decide again."
)
ALREADY_DECIDED = _l(
    "The route for this assessment has already been decided (see below). To decide again, re-assess first."
)


def record_concern(*, session: Session, actor: Actor, concern: ConcernInput) -> Concern:
    """A new concern: about a young person the practitioner may raise one for, or about a context."""
    if concern.subject == Subject.INDIVIDUAL:
        child_id = concern.child_id
        # A child they may not raise a concern about is "choose the young person", as a missing one is.
        if child_id is None or not policy.holds("concern.record", session=session, actor=actor, child_id=child_id):
            policy.require("concerns.list", session=session, actor=actor)
            raise ValidationFailed({"child_id": CHOOSE_CHILD})
        policy.require("concern.record", session=session, actor=actor, child_id=child_id)
        name = None
    else:
        policy.require("concerns.record_context", session=session, actor=actor)
        child_id = None
        if concern.subject == Subject.PEER_GROUP_OR_LOCATION and not concern.name:
            raise ValidationFailed({"name": NAME_THE_CONTEXT})
        name = concern.name or None
    row = Concern(
        subject=concern.subject,
        child_id=child_id,
        name=name,
        description=concern.description,
        recorded_by_id=actor.account_id,
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(session=session, actor=actor, child_id=child_id, entity="concern", entity_id=row.id, action="created")
    return row


def concern_for(*, session: Session, actor: Actor, concern_id: int, permission: str) -> Concern:
    """The concern, if the actor holds `permission` on it; NotFound (audited) otherwise."""
    concern = session.get(Concern, concern_id)
    if concern is None:
        raise NotFound()
    if concern.child_id is not None:
        policy.require(permission, session=session, actor=actor, child_id=concern.child_id)
        return concern
    policy.require("concerns.record_context", session=session, actor=actor)
    if permission == "concern.assess" or concern.recorded_by_id != actor.account_id:
        # Only a young person is assessed; a context concern is its recorder's (R2: as if missing).
        record_access(
            session=session,
            actor=actor,
            child_id=None,
            permission=permission,
            allowed=False,
            detail=f"concern:{concern_id}",
        )
        raise NotFound()
    return concern


def latest_assessment(session: Session, concern_id: int) -> Assessment | None:
    """The concern's newest Safer Me Assessment."""
    return session.exec(
        select(Assessment).where(Assessment.concern_id == concern_id).order_by(col(Assessment.id).desc())
    ).first()


def proposal(session: Session, concern: Concern) -> tuple[Pathway | None, Assessment | None]:
    """The pathway the flowchart proposes now (None until a young person is assessed), and from what."""
    assessment = latest_assessment(session, concern.id or 0) if concern.subject == Subject.INDIVIDUAL else None
    child = session.get(Child, concern.child_id) if concern.child_id is not None else None
    try:
        pathway = propose_pathway(
            Subject(concern.subject),
            Grade(assessment.grade) if assessment is not None else None,
            child.open_to_csw if child is not None else False,
        )
    except NeedsAssessment:
        return None, None
    return pathway, assessment


def assess(*, session: Session, actor: Actor, concern_id: int, assessment: AssessmentInput) -> Assessment:
    """A Safer Me Assessment of the young person the concern is about (a re-assessment adds a row)."""
    concern = concern_for(session=session, actor=actor, concern_id=concern_id, permission="concern.assess")
    areas = assessment.areas()
    if not any(area["risks"] for area in areas.values()):
        raise ValidationFailed({f"risks_{AREA_KEYS[0]}": NO_RISKS})
    row = Assessment(
        concern_id=concern.id or 0,
        child_id=concern.child_id or 0,
        areas=json.dumps(areas),
        grade=assessment.grade,
        nature=assessment.nature,
        severity=assessment.severity,
        frequency=assessment.frequency,
        impact=assessment.impact_of_harm,
        reasons=assessment.reasons,
        assessed_by_id=actor.account_id,
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=concern.child_id, entity="assessment", entity_id=row.id, action="created"
    )
    return row


def decide_route(*, session: Session, actor: Actor, concern_id: int, decision: DecisionInput) -> RouteDecision:
    """Record the pathway decided: the one proposed, or another with the reason why."""
    concern = concern_for(session=session, actor=actor, concern_id=concern_id, permission="concern.route")
    proposed, assessment = proposal(session, concern)
    if proposed is None:
        raise ValidationFailed({"__all__": ASSESS_FIRST})
    based_on = assessment.id if assessment is not None else None
    if decision.based_on != based_on:
        raise ValidationFailed({"based_on": STALE_PROPOSAL})
    # One decision for each assessment (one Hub enquiry, not two): the concern's row lock makes a
    # second decider, sent at the same moment, wait and then find the first one's decision.
    session.exec(select(Concern.id).where(Concern.id == concern.id).with_for_update()).first()
    decided = session.exec(
        select(RouteDecision.id).where(
            RouteDecision.concern_id == concern.id,
            col(RouteDecision.assessment_id).is_(None) if based_on is None else RouteDecision.assessment_id == based_on,
        )
    ).first()
    if decided is not None:
        raise ValidationFailed({"based_on": ALREADY_DECIDED})
    if decision.chosen != proposed and not decision.reason:
        raise ValidationFailed({"reason": GIVE_A_REASON})
    row = RouteDecision(
        concern_id=concern.id or 0,
        assessment_id=based_on,
        proposed=proposed,
        chosen=decision.chosen,
        reason=decision.reason or None,
        decided_by_id=actor.account_id,
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=concern.child_id,
        entity="route_decision",
        entity_id=row.id,
        action="created",
    )
    if row.chosen in HUB_PATHWAYS:
        open_enquiry(session=session, actor=actor, concern=concern, decision=row)
    if row.chosen == Pathway.MAPPING_MEETING:
        open_mapping(session=session, actor=actor, concern=concern, decision=row)
    return row
