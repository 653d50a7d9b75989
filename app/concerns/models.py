"""A concern outside the family home, its Safer Me Assessments and its route decisions (seed 002).

A concern is about an individual young person (on a practitioner's caseload), a peer group or
location, or a person or people of concern. What people write about it names children, places
and adults who may be harming them: every free-text field is encrypted (R27), like a child's
school or a plan's statements. Assessments and route decisions are never edited: each new one is
a new row, so the history stays (newest first on the concern's page).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field

from app.crypto import EncryptedText
from app.models_base import Timestamped
from app.timeutil import utcnow


class Subject(StrEnum):
    """What the concern is about (seed 002's three starting boxes)."""

    INDIVIDUAL = "individual"
    PEER_GROUP_OR_LOCATION = "peer_group_or_location"
    PERSONS_OF_CONCERN = "persons_of_concern"


class Grade(StrEnum):
    """The risk grade of the Safer Me Assessment (seed 002, 003)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Concern(Timestamped, table=True):
    """One concern recorded by a practitioner."""

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=30)  # Subject
    # The young person, for a concern about an individual; None for the other two subjects.
    child_id: int | None = Field(default=None, foreign_key="child.id", index=True)
    # The peer group's or place's name ("the Eastgate lot", "the skate park"); None otherwise.
    name: str | None = Field(default=None, sa_type=EncryptedText)
    description: str = Field(sa_type=EncryptedText)
    recorded_by_id: int = Field(foreign_key="practitioner.id", index=True)


class Assessment(Timestamped, table=True):
    """One Safer Me Assessment of the young person a concern is about; a re-assessment is a new row."""

    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", index=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    # Risks and protective factors per area, as JSON {area: {"risks": ..., "protective": ...}}.
    areas: str = Field(sa_type=EncryptedText)
    grade: str = Field(max_length=10)  # Grade
    # The grade rests on the nature, severity and frequency of harm and its impact (seed 003).
    nature: str = Field(sa_type=EncryptedText)
    severity: str = Field(sa_type=EncryptedText)
    frequency: str = Field(sa_type=EncryptedText)
    impact: str = Field(sa_type=EncryptedText)
    reasons: str = Field(sa_type=EncryptedText)
    assessed_by_id: int = Field(foreign_key="practitioner.id", index=True)
    assessed_at: datetime = Field(default_factory=utcnow)


class RouteDecision(Timestamped, table=True):
    """The pathway the app proposed for a concern and the one a practitioner decided on."""

    __tablename__ = "route_decision"

    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", index=True)
    # The assessment the proposal came from (None for a peer group, place or persons of concern).
    assessment_id: int | None = Field(default=None, foreign_key="assessment.id", index=True)
    proposed: str = Field(max_length=40)  # routing.Pathway
    chosen: str = Field(max_length=40)  # routing.Pathway
    # Why a different pathway was chosen; None when the proposal was accepted.
    reason: str | None = Field(default=None, sa_type=EncryptedText)
    decided_by_id: int = Field(foreign_key="practitioner.id", index=True)
    decided_at: datetime = Field(default_factory=utcnow)
