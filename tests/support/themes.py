"""Data for the strategic themes and the contexts map, made through the service layer and then
dated: each helper records a concern as a practitioner would, then moves its timestamps to the day
a test's frozen period needs (the rows' own clocks are the real one)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from app.concerns.inputs import ConcernInput, DecisionInput
from app.concerns.models import Assessment, Concern, RouteDecision
from app.concerns.operations import decide_route, proposal, record_concern
from app.hub.models import HubEnquiry
from app.mapping.models import MappingMeeting
from app.workingdays import add_working_days
from tests.support.concerns import actor_for, assessed, concern_about, peer_group_concern


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment of `day` in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _route(db: Session, worker_id: int, concern: Concern, on: datetime) -> RouteDecision:
    """The pathway the flowchart proposes, decided by the worker and dated `on`."""
    proposed, assessment = proposal(db, concern)
    assert proposed is not None
    decision = decide_route(
        session=db,
        actor=actor_for(worker_id),
        concern_id=concern.id or 0,
        decision=DecisionInput.parse(
            {"chosen": proposed, "based_on": assessment.id if assessment is not None else None}
        ),
    )
    decision.decided_at = on
    db.add(decision)
    return decision


def graded_concern(db: Session, worker_id: int, child_id: int, grades: list[tuple[str, date]]) -> Concern:
    """A concern about a young person, recorded on the first day given, assessed (and routed) on
    each day with each grade in turn: a re-assessment is a new assessment."""
    concern = concern_about(db, worker_id, child_id)
    concern.created_at = at(grades[0][1], 9)
    db.add(concern)
    for grade, day in grades:
        assessment = assessed(db, worker_id, concern, grade=grade)
        assessment.assessed_at = at(day, 10)
        db.add(assessment)
        db.flush()
        _route(db, worker_id, concern, at(day, 11))
    db.flush()
    return concern


def persons_concern_enquiry(
    db: Session, worker_id: int, received: date, text: str = "A man in a grey van"
) -> HubEnquiry:
    """A concern about a person of concern, recorded and routed to the Hub and MACE on `received`."""
    concern = record_concern(
        session=db,
        actor=actor_for(worker_id),
        concern=ConcernInput.parse({"subject": "persons_of_concern", "description": text}),
    )
    concern.created_at = at(received, 9)
    db.add(concern)
    _route(db, worker_id, concern, at(received, 10))
    db.flush()
    enquiry = db.exec(select(HubEnquiry).where(HubEnquiry.concern_id == concern.id)).one()
    enquiry.received_on, enquiry.due_on = received, add_working_days(received, 1)
    db.add(enquiry)
    db.flush()
    return enquiry


def peer_group_mapping(db: Session, worker_id: int, decided: date, name: str = "the Eastgate lot") -> MappingMeeting:
    """A peer-group concern recorded and routed to a mapping meeting on `decided` (due 10 working days on)."""
    concern = peer_group_concern(db, worker_id, name=name)
    concern.created_at = at(decided, 9)
    db.add(concern)
    _route(db, worker_id, concern, at(decided, 10))
    db.flush()
    mapping = db.exec(select(MappingMeeting).where(MappingMeeting.concern_id == concern.id)).one()
    mapping.decided_on, mapping.due_on = decided, add_working_days(decided, 10)
    db.add(mapping)
    db.flush()
    return mapping


def date_earlier_concerns(db: Session, day: date) -> None:
    """Move the concerns already there (the demo's, recorded at the real clock's now) to `day`,
    so a test's period holds only what the test made, whenever the suite runs."""
    for concern in db.exec(select(Concern)).all():
        concern.created_at = at(day)
        db.add(concern)
    for model, stamp in ((Assessment, "assessed_at"), (RouteDecision, "decided_at")):
        for row in db.exec(select(model)).all():
            setattr(row, stamp, at(day))
            db.add(row)
    for enquiry in db.exec(select(HubEnquiry)).all():
        enquiry.received_on = enquiry.due_on = day
        db.add(enquiry)
    for mapping in db.exec(select(MappingMeeting)).all():
        mapping.decided_on = mapping.due_on = day
        db.add(mapping)
    db.flush()
