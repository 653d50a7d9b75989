"""Writes about mapping meetings: a route decision opens one; the Hub co-ordinator records its
members (or the place's users) and the context weighting, once.

Due within 10 working days of the route decision, counted in England's working days
(app.workingdays): one decided on Christmas Eve 2026 is due on Tuesday 12 January 2027.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.concerns.models import Concern, RouteDecision
from app.conferences.operations import open_conference
from app.db import record_once
from app.errors import NotFound, ValidationFailed
from app.mapping.inputs import MemberInput, WeightingInput
from app.mapping.models import MappingMeeting, MappingMember
from app.models_base import stamp
from app.timeutil import today, utcnow
from app.workingdays import add_working_days

# The Hub co-ordinator convenes the mapping meeting within 10 working days (seed 002).
MAPPING_WORKING_DAYS = 10
CONVENE = "mapping.convene"
CHOOSE_OR_DESCRIBE = _l("Choose a young person already known, or describe the person.")
ALREADY_A_MEMBER = _l("This young person is already on the list.")
ALREADY_WEIGHED = _l(
    "Someone else recorded the context weighting while you were writing. Theirs is shown; "
    "your words are kept below so nothing is lost."
)


def open_mapping(*, session: Session, actor: Actor, concern: Concern, decision: RouteDecision) -> MappingMeeting:
    """A mapping meeting due within 10 working days of today (the caller decided the route)."""
    decided = today()
    row = MappingMeeting(
        concern_id=concern.id or 0,
        route_decision_id=decision.id or 0,
        decided_on=decided,
        due_on=add_working_days(decided, MAPPING_WORKING_DAYS),
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=None, entity="mapping_meeting", entity_id=row.id, action="created"
    )
    return row


def may_convene(session: Session, actor: Actor) -> bool:
    """Whether the actor convenes mapping meetings (not audited: for showing controls)."""
    return policy.holds(CONVENE, session=session, actor=actor)


def mapping_for(*, session: Session, actor: Actor, mapping_id: int) -> MappingMeeting:
    """The mapping meeting, for the Hub co-ordinator (audited); NotFound otherwise."""
    policy.require(CONVENE, session=session, actor=actor)
    mapping = session.get(MappingMeeting, mapping_id)
    if mapping is None:
        raise NotFound()
    return mapping


def known_children(session: Session, actor: Actor) -> frozenset[int]:
    """The young people the convenor may read, and so may link as members."""
    return policy.children_holding("concern.read", session=session, actor=actor)


def add_member(*, session: Session, actor: Actor, mapping_id: int, member: MemberInput) -> MappingMember:
    """A member of the group or a user of the place: a known child, or a description."""
    mapping = mapping_for(session=session, actor=actor, mapping_id=mapping_id)
    if member.child_id is None and not member.description:
        raise ValidationFailed({"child_id": CHOOSE_OR_DESCRIBE})
    if member.child_id is not None:
        # A child the convenor may not read is "choose from the list", as a missing one is (R2).
        if member.child_id not in known_children(session, actor):
            raise ValidationFailed({"child_id": MemberInput.messages["child_id"]})
        policy.require("concern.read", session=session, actor=actor, child_id=member.child_id)
        listed = session.exec(
            select(MappingMember.id).where(
                MappingMember.mapping_id == mapping.id, MappingMember.child_id == member.child_id
            )
        ).first()
        if listed is not None:
            raise ValidationFailed({"child_id": ALREADY_A_MEMBER})
    row = MappingMember(
        mapping_id=mapping.id or 0,
        child_id=member.child_id,
        description=member.description or None,
        added_by_id=actor.account_id,
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=member.child_id,
        entity="mapping_member",
        entity_id=row.id,
        action="created",
    )
    return row


def record_weighting(*, session: Session, actor: Actor, mapping_id: int, weighting: WeightingInput) -> MappingMeeting:
    """The context weighting and whether a conference follows, once."""
    mapping = mapping_for(session=session, actor=actor, mapping_id=mapping_id)
    now = utcnow()
    values = {
        "held_on": weighting.held_on,
        "weighting": weighting.weighting,
        "weighting_reasons": weighting.reasons,
        "conference_to_follow": weighting.conference == "yes",
        "weighed_by_id": actor.account_id,
        "weighed_at": now,
    }
    # A second recorder is told, never overwrites (record_once, R24).
    if not record_once(
        session,
        MappingMeeting,
        mapping_id,
        unset=MappingMeeting.weighed_at,
        values=values,
        actor_label=actor.label,
        at=now,
    ):
        raise ValidationFailed({"__all__": ALREADY_WEIGHED})
    session.refresh(mapping)
    record_change(
        session=session, actor=actor, child_id=None, entity="mapping_meeting", entity_id=mapping.id, action="weighed"
    )
    if mapping.conference_to_follow:
        # Once: only the recorder whose weighting was written gets here (record_once above).
        open_conference(session=session, actor=actor, mapping=mapping, kind=weighting.conference_kind)
    return mapping
