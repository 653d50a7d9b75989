"""The context conference (seeds 000 and 004): a mapping meeting weighed with "conference to follow"
opens one, due within 15 working days. Peer-group conferences are convened by QAS and chaired by an
independent chair (ISRO); school conferences by the Head Teacher or DSL; neighbourhood conferences by
the Community Safety Partnership manager. The conference is about a context, never an individual
child's case: it keeps agenda notes, the lead practitioner's presentation and a plan in the four
domains of Contextual Safeguarding, and every free-text value is encrypted (R27).
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from app.crypto import EncryptedText
from app.models_base import Timestamped


class ConferenceKind(StrEnum):
    """Which context the conference is about (seed 004, "Structure of the meeting")."""

    PEER_GROUP = "peer_group"
    SCHOOL = "school"
    NEIGHBOURHOOD = "neighbourhood"


class Domain(StrEnum):
    """The four domains of a context plan (Firmin's Contextual Safeguarding, seed 004 appendix 2)."""

    TARGET_CONTEXTS = "target_contexts"
    LEGISLATIVE_FRAMEWORK = "legislative_framework"
    PARTNERSHIPS = "partnerships"
    OUTCOMES_MEASUREMENT = "outcomes_measurement"


class ContextConference(Timestamped, table=True):
    """One context conference, opened once by its mapping meeting's weighting."""

    __tablename__ = "context_conference"

    id: int | None = Field(default=None, primary_key=True)
    mapping_id: int = Field(foreign_key="mapping_meeting.id", index=True, unique=True)
    concern_id: int = Field(foreign_key="concern.id", index=True)
    kind: str = Field(max_length=20)  # ConferenceKind
    opened_on: date
    # Within 15 working days of the weighting (app.workingdays).
    due_on: date = Field(index=True)
    meets_on: date | None = None  # set by the convenor
    # At least 30 minutes are kept for the plan (seed 004): when its discussion started and ended.
    plan_started: time | None = None
    plan_ended: time | None = None
    # Why the plan had under 30 minutes, in the chair's words (only then).
    short_plan_reason: str | None = Field(default=None, sa_type=EncryptedText)
    closed_at: datetime | None = None
    closed_by_id: int | None = Field(default=None, foreign_key="practitioner.id", index=True)
    # Set at the close, no later than 3 months after it.
    review_on: date | None = Field(default=None, index=True)
    # A moved review: the missed date, the chair's recorded consent and who moved it.
    review_moved_from: date | None = None
    review_move_reason: str | None = Field(default=None, sa_type=EncryptedText)
    review_moved_by_id: int | None = Field(default=None, foreign_key="practitioner.id", index=True)


class ConferenceNote(Timestamped, table=True):
    """What was recorded under one heading of the agenda (a field of a step of seed 000)."""

    __tablename__ = "conference_note"
    __table_args__ = (UniqueConstraint("conference_id", "field", name="uq_conference_note_field"),)

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="context_conference.id", index=True)
    field: str = Field(max_length=40)  # agenda.FIELDS
    text: str = Field(sa_type=EncryptedText)


class ConferenceAction(Timestamped, table=True):
    """An action of the conference plan: who does what by when, in one of the four domains."""

    __tablename__ = "conference_action"

    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="context_conference.id", index=True)
    domain: str = Field(max_length=30)  # Domain
    action: str = Field(sa_type=EncryptedText)
    owner: str = Field(sa_type=EncryptedText)
    due_on: date
    added_by_id: int = Field(foreign_key="practitioner.id", index=True)
