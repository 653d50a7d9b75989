"""The Hub's queue: what is late first, then what is due today, then the rest; and one enquiry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.concerns.models import Assessment, Concern, RouteDecision
from app.errors import NotFound
from app.hub.models import HubEnquiry
from app.hub.operations import enquiry_for
from app.mace.models import MaceReferral
from app.people.models import Child, Practitioner
from app.timeutil import ENGLAND, today
from app.workingdays import working_days_late

# Decided enquiries shown under the open ones (the most recent).
RECENTLY_DECIDED = 20


@dataclass(frozen=True)
class QueueRow:
    enquiry: HubEnquiry
    concern: Concern
    child: Child | None
    state: str  # "late", "today" or "later"
    late_by: int  # working days


@dataclass(frozen=True)
class Queue:
    open: list[QueueRow]
    decided: list[QueueRow]


def _state(due: date, on: date) -> str:
    if due < on:
        return "late"
    return "today" if due == on else "later"


def _measured_on(enquiry: HubEnquiry, now: date) -> date:
    """The day an enquiry's lateness is counted to: today while it is open, the day (in England) it
    was decided once it is, so a decided enquiry is late only if it was decided late."""
    decided = enquiry.decided_at
    if decided is None:
        return now
    aware = decided if decided.tzinfo is not None else decided.replace(tzinfo=UTC)
    return min(aware.astimezone(ENGLAND).date(), now)


def queue_row(enquiry: HubEnquiry, concern: Concern, child: Child | None, now: date) -> QueueRow:
    on = _measured_on(enquiry, now)
    return QueueRow(
        enquiry=enquiry,
        concern=concern,
        child=child,
        state=_state(enquiry.due_on, on),
        late_by=working_days_late(enquiry.due_on, on),
    )


def hub_queue(*, session: Session, actor: Actor) -> Queue:
    """The queue, for someone who works in the Hub (audited): late first, then due today, then later."""
    policy.require("hub.work", session=session, actor=actor)
    now = today()
    open_rows = session.exec(
        select(HubEnquiry)
        .where(col(HubEnquiry.decided_at).is_(None))
        .order_by(col(HubEnquiry.due_on), col(HubEnquiry.id))
    ).all()
    decided_rows = session.exec(
        select(HubEnquiry)
        .where(col(HubEnquiry.decided_at).is_not(None))
        .order_by(col(HubEnquiry.decided_at).desc())
        .limit(RECENTLY_DECIDED)
    ).all()

    def row(enquiry: HubEnquiry) -> QueueRow:
        concern = session.get(Concern, enquiry.concern_id)
        if concern is None:  # a foreign key: cannot happen
            raise NotFound()
        child = session.get(Child, enquiry.child_id) if enquiry.child_id is not None else None
        return queue_row(enquiry, concern, child, now)

    # Sorted by due date, the late ones already come first, then today's, then later ones.
    return Queue(open=[row(e) for e in open_rows], decided=[row(e) for e in decided_rows])


@dataclass(frozen=True)
class EnquiryPage:
    row: QueueRow
    decision: RouteDecision
    assessment: Assessment | None
    areas: dict[str, dict[str, str]]
    referrer: str
    decider: str
    # The MACE referral the decision made (None before the decision, or when one was already waiting).
    referral_id: int | None = None


def enquiry_page(*, session: Session, actor: Actor, enquiry_id: int) -> EnquiryPage:
    """One enquiry with what the Hub needs to decide it: the concern, the assessment, the referrer."""
    enquiry = enquiry_for(session=session, actor=actor, enquiry_id=enquiry_id)
    concern = session.get(Concern, enquiry.concern_id)
    decision = session.get(RouteDecision, enquiry.route_decision_id)
    if concern is None or decision is None:  # foreign keys: cannot happen
        raise NotFound()
    assessment = session.get(Assessment, decision.assessment_id) if decision.assessment_id is not None else None
    child = session.get(Child, enquiry.child_id) if enquiry.child_id is not None else None
    names = {
        p.id: p.display_name
        for p in session.exec(
            select(Practitioner).where(col(Practitioner.id).in_({decision.decided_by_id, enquiry.decided_by_id or 0}))
        ).all()
    }
    now = today()
    return EnquiryPage(
        row=queue_row(enquiry, concern, child, now),
        decision=decision,
        assessment=assessment,
        areas=json.loads(assessment.areas) if assessment is not None else {},
        referrer=names.get(decision.decided_by_id, ""),
        decider=names.get(enquiry.decided_by_id or 0, ""),
        referral_id=session.exec(select(MaceReferral.id).where(MaceReferral.hub_enquiry_id == enquiry.id)).first(),
    )
