"""A concern about Kay for the demo: assessed high risk, and she is not open to Children's Social
Work, so the flowchart proposes an Adolescent Safety Hub enquiry (the decision is left to whoever
explores the demo as Alex)."""

from __future__ import annotations

from sqlmodel import Session

from app.actors import Actor
from app.concerns.inputs import AssessmentInput, ConcernInput
from app.concerns.models import Concern, Grade, Subject
from app.concerns.operations import assess, record_concern


def add_kays_concern(session: Session, alex: Actor, kayla_id: int) -> Concern:
    """Alex's concern about Kay and his Safer Me Assessment of it (high risk)."""
    concern = record_concern(
        session=session,
        actor=alex,
        concern=ConcernInput(
            subject=Subject.INDIVIDUAL,
            child_id=kayla_id,
            description="Kay was seen getting into a car with two adult men outside school on Friday. "
            "She has a new phone and new clothes she cannot explain.",
        ),
    )
    assess(
        session=session,
        actor=alex,
        concern_id=concern.id or 0,
        assessment=AssessmentInput(
            risks_harm="Picked up from school by adult men she calls friends; gifts she cannot explain.",
            protective_harm="Talks to Ms Okoye, her form tutor, most days.",
            risks_patterns="Friday afternoons; missing overnight twice this half term.",
            risks_network="The two men; an older girl who introduced them.",
            protective_network="Her nan, who she trusts.",
            risks_places="The retail park car park; a flat in Eastgate she has named.",
            grade=Grade.HIGH,
            nature="Signs of sexual exploitation: older men, gifts, going missing.",
            severity="Missing overnight; taken to an address unknown to her family.",
            frequency="Weekly for about six weeks.",
            impact_of_harm="Withdrawn at school; attendance down; arguments at home.",
            reasons="The pattern of gifts, adult men and missing overnight suggests she is at risk of "
            "significant harm. She is not open to Children's Social Work.",
        ),
    )
    return concern
