"""A Safer Me (or Safer Me Plus) meeting: when and where, who was there, its notes, its agreement.

Notes and the young person's own words can name people and places of concern, so they are kept
encrypted like the plan's sensitive fields, and never shown on the family side except the young
person's own words to the young person. Several people edit a meeting at once (the facilitator,
the allocated worker, the young person on their phone), so every row is Versioned (R24).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from app.crypto import EncryptedText
from app.models_base import Timestamped, Versioned


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"  # planned: the young person can already say what they want it to know
    OPEN = "open"  # running, item by item
    CLOSED = "closed"  # over: agreed (a new plan version) or ended without agreeing
    CANCELLED = "cancelled"


class Attendance(StrEnum):
    INVITED = "invited"
    PRESENT = "present"
    APOLOGIES = "apologies"  # could not come; may have sent an update
    ABSENT = "absent"


class Meeting(Versioned, Timestamped, table=True):
    """One meeting about one young person's plan."""

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    meeting_type: str = Field(max_length=20)  # plans.models.MeetingType
    is_review: bool = False
    starts_at: datetime
    # Where it is held can say where the young person goes to school or is looked after.
    place: str = Field(sa_type=EncryptedText)
    # Who runs it: a practitioner, or (Safer Me only) the young person's nominated trusted adult.
    facilitator_practitioner_id: int | None = Field(default=None, foreign_key="practitioner.id")
    facilitator_member_id: int | None = Field(default=None, foreign_key="family_member.id")
    status: str = Field(default=MeetingStatus.SCHEDULED, max_length=12)
    current_item: str = Field(default="", max_length=40)  # meetings.agenda key while open
    consent_recorded_at: datetime | None = None  # the consent and confidentiality statement was read
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    agreed_version_id: int | None = Field(default=None, foreign_key="plan_version.id")
    # "What I want the meeting to know": the young person speaks first, from their phone.
    young_person_words: str | None = Field(default=None, sa_type=EncryptedText)
    young_person_words_at: datetime | None = None


class MeetingPerson(Versioned, Timestamped, table=True):
    """Someone invited: a practitioner, a family member, or an agency's person without an account."""

    __tablename__ = "meeting_person"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    practitioner_id: int | None = Field(default=None, foreign_key="practitioner.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="family_member.id", index=True)
    # For someone with no account here ("Ms Patel, school DSL"): a name and what they do.
    name: str | None = Field(default=None, sa_type=EncryptedText)
    role: str = Field(default="", max_length=80)
    agency: str = Field(default="", max_length=40)  # people.models.Agency, "" for family
    attendance: str = Field(default=Attendance.INVITED, max_length=12)
    # What they sent instead of coming.
    update: str | None = Field(default=None, sa_type=EncryptedText)
    # Agreement: confirmed on their own device, or recorded by the facilitator for someone present.
    agreed_at: datetime | None = None
    agreed_on_own_device: bool = False


class AgendaNote(Versioned, Timestamped, table=True):
    """The notes of one agenda item of one meeting (one text, changed with its revision: R24)."""

    __tablename__ = "agenda_note"
    __table_args__ = (UniqueConstraint("meeting_id", "item", name="uq_agenda_note_meeting_item"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    item: str = Field(max_length=40)  # meetings.agenda key
    text: str = Field(default="", sa_type=EncryptedText)
