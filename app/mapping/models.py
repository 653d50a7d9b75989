"""The mapping meeting (seed 002): for a peer group or location of concern, convened by the
Adolescent Safety Hub co-ordinator within 10 working days of the route decision. It records the
members of the group or the users of the place (children already known, linked; others described,
encrypted) and the context weighting (low, medium, high, with reasons) that decides whether a
context conference follows.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field

from app.crypto import EncryptedText
from app.models_base import Timestamped


class Weighting(StrEnum):
    """How much the context weighs on the safety of young people."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class MappingMeeting(Timestamped, table=True):
    """One mapping meeting, opened by a route decision "mapping meeting"."""

    __tablename__ = "mapping_meeting"

    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", index=True)
    route_decision_id: int = Field(foreign_key="route_decision.id", index=True, unique=True)
    decided_on: date
    # Within 10 working days of the route decision (app.workingdays).
    due_on: date = Field(index=True)
    held_on: date | None = None
    weighting: str | None = Field(default=None, max_length=10)  # Weighting
    weighting_reasons: str | None = Field(default=None, sa_type=EncryptedText)
    conference_to_follow: bool | None = None
    weighed_by_id: int | None = Field(default=None, foreign_key="practitioner.id", index=True)
    weighed_at: datetime | None = None


class MappingMember(Timestamped, table=True):
    """A member of the group or a user of the place: a child already known, or a description."""

    __tablename__ = "mapping_member"

    id: int | None = Field(default=None, primary_key=True)
    mapping_id: int = Field(foreign_key="mapping_meeting.id", index=True)
    child_id: int | None = Field(default=None, foreign_key="child.id", index=True)
    # Someone not known to the service ("older lad called T, about 17"): encrypted.
    description: str | None = Field(default=None, sa_type=EncryptedText)
    added_by_id: int = Field(foreign_key="practitioner.id", index=True)
