"""Writes about Hub enquiries: a route decision opens one; the Hub decides it.

The enquiry is due within one working day of receipt, counted in England's working days
(app.workingdays): one received on Christmas Eve 2026 is due on Tuesday 29 December. Deciding it
records the level of support and/or action, who decided and when, and that MACE was notified.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_access, record_change
from app.concerns.models import Concern, RouteDecision
from app.db import record_once
from app.errors import NotFound, ValidationFailed
from app.hub.inputs import HubDecisionInput
from app.hub.models import HubEnquiry
from app.mace.referrals import add_referral
from app.models_base import stamp
from app.timeutil import today, utcnow
from app.workingdays import add_working_days

# The Hub acknowledges and decides within one working day (seed 002).
HUB_WORKING_DAYS = 1
ALREADY_DECIDED = _l("This enquiry has already been decided. The decision is shown below.")


def open_enquiry(*, session: Session, actor: Actor, concern: Concern, decision: RouteDecision) -> HubEnquiry:
    """An enquiry for the Hub's queue, due within one working day of today (the caller decided the route)."""
    received = today()
    enquiry = HubEnquiry(
        concern_id=concern.id or 0,
        route_decision_id=decision.id or 0,
        child_id=concern.child_id,
        received_on=received,
        due_on=add_working_days(received, HUB_WORKING_DAYS),
    )
    stamp(enquiry, actor.label, new=True)
    session.add(enquiry)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=concern.child_id,
        entity="hub_enquiry",
        entity_id=enquiry.id,
        action="created",
    )
    return enquiry


def enquiry_for(*, session: Session, actor: Actor, enquiry_id: int) -> HubEnquiry:
    """The enquiry, for someone who works in the Hub; the read of the young person is audited."""
    policy.require("hub.work", session=session, actor=actor)
    enquiry = session.get(HubEnquiry, enquiry_id)
    if enquiry is None:
        raise NotFound()
    if enquiry.child_id is not None:
        # The Hub has no case relation to the young person: each read of them is audited by name.
        record_access(
            session=session,
            actor=actor,
            child_id=enquiry.child_id,
            permission="hub.work",
            allowed=True,
            detail=f"hub_enquiry:{enquiry_id}",
        )
    return enquiry


def decide_enquiry(*, session: Session, actor: Actor, enquiry_id: int, decision: HubDecisionInput) -> HubEnquiry:
    """The Hub's decision: the level of support and/or action; MACE is notified with it."""
    enquiry = enquiry_for(session=session, actor=actor, enquiry_id=enquiry_id)
    now = utcnow()
    # Of two Hub workers deciding at once, one decides and the other is told (record_once, R24).
    values = {"decided_at": now, "decided_by_id": actor.account_id, "level": decision.level}
    values |= {"action": decision.action, "mace_notified_at": now}
    if not record_once(
        session, HubEnquiry, enquiry_id, unset=HubEnquiry.decided_at, values=values, actor_label=actor.label, at=now
    ):
        raise ValidationFailed({"__all__": ALREADY_DECIDED})
    session.refresh(enquiry)
    concern = session.get(Concern, enquiry.concern_id)
    if concern is not None:
        # The decision notifies MACE: a referral waits for the panel (unless one already does).
        add_referral(session=session, actor=actor, concern=concern, reason=decision.action, hub_enquiry_id=enquiry.id)
    record_change(
        session=session,
        actor=actor,
        child_id=enquiry.child_id,
        entity="hub_enquiry",
        entity_id=enquiry.id,
        action="decided",
    )
    return enquiry
