"""Concerns made through the service layer, for tests that need one to act on."""

from __future__ import annotations

from sqlmodel import Session

from app.actors import Actor
from app.auth.models import AccountKind
from app.concerns.inputs import AssessmentInput, ConcernInput
from app.concerns.models import Assessment, Concern
from app.concerns.operations import assess, record_concern

ASSESSMENT = {
    "risks_harm": "Seen with older youths at the station after dark",
    "protective_harm": "Still goes to boxing twice a week",
    "risks_places": "Travels to Eastgate on trains he cannot pay for",
    "grade": "high",
    "nature": "Criminal exploitation: carrying for older youths",
    "severity": "Found with cash and a second phone",
    "frequency": "Three missing episodes in a month",
    "impact_of_harm": "Not sleeping; school attendance down to 60%",
    "reasons": "Signs of county lines involvement and repeated missing episodes",
}


def actor_for(practitioner_id: int) -> Actor:
    return Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner_id)


def concern_about(db: Session, practitioner_id: int, child_id: int, text: str = "Missing overnight twice") -> Concern:
    """A concern about a young person, recorded by the practitioner (who must hold concern.record)."""
    return record_concern(
        session=db,
        actor=actor_for(practitioner_id),
        concern=ConcernInput.parse({"subject": "individual", "child_id": child_id, "description": text}),
    )


def peer_group_concern(db: Session, practitioner_id: int, name: str = "the Eastgate lot") -> Concern:
    return record_concern(
        session=db,
        actor=actor_for(practitioner_id),
        concern=ConcernInput.parse(
            {"subject": "peer_group_or_location", "name": name, "description": "Older youths recruiting at the park"}
        ),
    )


def assessed(db: Session, practitioner_id: int, concern: Concern, **fields: str) -> Assessment:
    return assess(
        session=db,
        actor=actor_for(practitioner_id),
        concern_id=concern.id or 0,
        assessment=AssessmentInput.parse({**ASSESSMENT, **fields}),
    )
