"""The Safer Plan, section by section, as seed 003 ("8. SAFER PLAN") lays it out.

A plan has versions: exactly one editable draft and any number of agreed versions. Agreeing the
draft freezes it (`agreed_at` is set) and copies it into a new draft; rows that belong to an agreed
version are never changed again (enforced in `app.plans.immutability`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field

from app.crypto import EncryptedText
from app.models_base import Timestamped, Versioned


class MeetingType(StrEnum):
    """Which meeting agrees this plan (seed 001)."""

    SAFER_ME = "safer_me"
    SAFER_ME_PLUS = "safer_me_plus"


class IdeaStatus(StrEnum):
    """A family member's idea in the draft, as the worker decided (None: not decided, or not an idea).

    Only an idea left as an idea stays out of an agreed version (app.plans.versions.agree_draft
    carries it to the next draft instead); an undecided one is agreed with the draft, as before.
    """

    IN_PLAN = "in_plan"
    IDEA = "idea"


class PlanStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Moment(StrEnum):
    """When a child's statement applies: day to day, or in an emergency."""

    EVERYDAY = "everyday"
    EMERGENCY = "emergency"


class StatementKind(StrEnum):
    """The four sentence starters of the child's part of the plan."""

    WILL = "will"
    CAN = "can"
    MIGHT = "might"
    NEED = "need"


class CommitmentKind(StrEnum):
    """Parent/carer sentence starters: "will ensure...", "will make...", "will do..."."""

    ENSURE = "ensure"
    MAKE = "make"
    DO = "do"


class AgencyActionKind(StrEnum):
    """Seed 003 splits agency actions into two lists."""

    INCREASE_SAFETY = "increase_safety"
    PREVENT_DISRUPT = "prevent_disrupt"


class Safety(StrEnum):
    """Network people and places: safe, not safe, or could be safe (agenda item 5)."""

    SAFE = "safe"
    NOT_SAFE = "not_safe"
    COULD_BE_SAFE = "could_be_safe"


class Plan(Timestamped, table=True):
    """One child's Safer Plan across all its versions."""

    # A case's open plan, read from the index alone by the work tray (migrations 0033, 0034).
    __table_args__ = (
        Index(
            "ix_plan_open_by_child",
            "child_id",
            postgresql_include=["id", "meeting_type", "review_on"],
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    meeting_type: str = Field(default=MeetingType.SAFER_ME, max_length=20)
    status: str = Field(default=PlanStatus.OPEN, max_length=10)
    closed_at: datetime | None = None
    # The review date as it stands: the latest agreed version's, or the sooner one an incident
    # brought it forward to; None before anything is agreed. Kept by the two writes that move it
    # (app.plans.versions.agree_draft, app.incidents.operations) for the work tray to sort and
    # filter by; pages work it out from the version and its incidents (app.incidents.queries.
    # review_on), and tests/functional/practitioner/test_review_on.py holds the two equal.
    review_on: date | None = None


class PlanVersion(Versioned, Timestamped, table=True):
    """One version of a plan: the single draft, or an agreed version that never changes again."""

    __tablename__ = "plan_version"
    # The work tray joins each plan to its latest agreed version on both (migration 0025); the
    # agreed versions alone, newest first, with the review date the tray sorts by (migration 0031).
    __table_args__ = (
        Index("ix_plan_version_plan_id_number", "plan_id", "number"),
        Index(
            "ix_plan_version_agreed",
            "plan_id",
            "number",
            postgresql_include=["id", "review_date"],
            postgresql_where=text("agreed_at IS NOT NULL"),
            sqlite_where=text("agreed_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    number: int  # 1, 2, 3 ... in the order versions were started
    agreed_at: datetime | None = None  # None while this is the draft

    # Emergency: the safe word, and where to take the child if found when missing.
    safe_word: str | None = Field(default=None, sa_type=EncryptedText)
    if_missing_take_to: str | None = Field(default=None, sa_type=EncryptedText)

    # A. Contingency plan.
    contingency_steps: str = Field(default="")  # what if things don't go to plan
    contingency_cover: str = Field(default="")  # who helps if someone is unavailable
    # B. Onward actions.
    onward_hub_context: str = Field(default="")  # pass to the Central Hub: peer group, place or space
    onward_complex_abuse: str = Field(default="")  # indication of complex or complicated abuse
    # C. Review.
    review_date: date | None = None
    review_trigger: str = Field(default="")  # e.g. "or sooner if a significant incident occurs"
    review_meanwhile: str = Field(default="")  # what if something happens in the meantime
    # AGREED BY ... DATE ... SHARED WITH ...
    agreed_by: str = Field(default="")
    agreed_on: date | None = None
    shared_with: str = Field(default="")
    # What changed in this version, in plain words, for the young person's "what's new".
    summary_of_changes: str = Field(default="")


class PlanItem(Versioned, Timestamped):
    """Columns shared by every list in a plan version: which version, and its place in the list."""

    version_id: int = Field(foreign_key="plan_version.id", index=True)
    position: int = 0


class PlanAction(PlanItem, table=True):
    """A prioritised action: 'A' will do ACTION to achieve AIM, shown by SUCCESS."""

    __tablename__ = "plan_action"

    id: int | None = Field(default=None, primary_key=True)
    who: str = Field(max_length=120)
    action: str
    aim: str
    success: str
    # The day a one-off action is due, so it can fall overdue (issue 10 item 4); None for one that
    # is ongoing or repeats ("every Wednesday"), which is never late by date alone. Kept, like an
    # agency action's, on the working draft's row, where the worker records the day it was done.
    due_on: date | None = None
    done_on: date | None = None

    def is_overdue(self, day: date) -> bool:
        """A dated action not done whose due date has passed."""
        return self.due_on is not None and self.done_on is None and self.due_on < day


class ChildStatement(PlanItem, table=True):
    """ "I will / I can / I might / I need", for everyday or for an emergency."""

    __tablename__ = "child_statement"

    id: int | None = Field(default=None, primary_key=True)
    moment: str = Field(max_length=10)  # Moment
    kind: str = Field(max_length=10)  # StatementKind
    text: str
    # True when the young person wrote these words themselves (not a worker's paraphrase).
    own_words: bool = False
    written_by_member_id: int | None = Field(default=None, foreign_key="family_member.id", index=True)
    idea_status: str | None = Field(default=None, max_length=10)  # IdeaStatus, for family ideas


class EmergencyContact(PlanItem, table=True):
    """Someone the young person can call; numbers are sensitive and encrypted."""

    __tablename__ = "emergency_contact"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=EncryptedText)
    relationship: str = Field(default="", max_length=80)
    phone: str = Field(sa_type=EncryptedText)
    notes: str = Field(default="")
    # The family member who added this contact to the draft (co-writing); None for the meeting's.
    written_by_member_id: int | None = Field(default=None, foreign_key="family_member.id", index=True)
    idea_status: str | None = Field(default=None, max_length=10)  # IdeaStatus, for family ideas


class ParentalResponsibility(PlanItem, table=True):
    """Who has parental responsibility, or can make decisions, for the child."""

    __tablename__ = "parental_responsibility"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=EncryptedText)
    relationship: str = Field(default="", max_length=80)
    has_parental_responsibility: bool = True
    can_make_decisions: bool = True
    notes: str = Field(default="")


class CarerCommitment(PlanItem, table=True):
    """A parent/carer's commitment: "when NAME returns home I will ... by/at ..."."""

    __tablename__ = "carer_commitment"

    id: int | None = Field(default=None, primary_key=True)
    who: str = Field(max_length=120)
    # Which family member this is, so they see it as their own; optional for absent carers.
    member_id: int | None = Field(default=None, foreign_key="family_member.id", index=True)
    kind: str = Field(max_length=10)  # CommitmentKind
    commitment: str
    by_when: str = Field(default="", max_length=200)
    # The day a one-off commitment is due, so it can fall overdue (issue 10 item 4); None for one
    # that is ongoing or repeats ("every time", "Sundays"), which is never late by date alone. The
    # carer marks it done in the family's version (app.commitments: its latest update says done).
    due_on: date | None = None

    def is_overdue(self, day: date, *, done: bool) -> bool:
        """A dated commitment not `done` (as its history says) whose due date has passed."""
        return self.due_on is not None and not done and self.due_on < day


class AgencyAction(PlanItem, table=True):
    """ "Agency will ... by/at ..." to increase safety or to prevent or disrupt harm."""

    __tablename__ = "agency_action"

    id: int | None = Field(default=None, primary_key=True)
    agency: str = Field(max_length=40)  # Agency
    kind: str = Field(max_length=20)  # AgencyActionKind
    action: str
    # The seed's "by/at" as a date, so overdue can be worked out: the day a one-off action is due,
    # or the day a repeating one starts. `repeats` says in words how often it happens ("every
    # Friday", "ongoing"); empty for a one-off action.
    due_on: date | None = None
    repeats: str = Field(default="", max_length=200)
    # The Police Trigger Plan is an increase-safety action the police hold.
    is_police_trigger_plan: bool = False
    # Marked done by the agency (issue 10): the day, and who (their name, as the audit labels them).
    done_on: date | None = None
    done_by: str = Field(default="", max_length=120)

    def is_overdue(self, day: date) -> bool:
        """A one-off action not done whose due date has passed; one that repeats is never late by date alone."""
        return self.due_on is not None and not self.repeats and self.done_on is None and self.due_on < day


class NetworkPerson(PlanItem, table=True):
    """Someone in the child's network; "not safe" people never leave the practitioner side."""

    __tablename__ = "network_person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=EncryptedText)
    relationship: str = Field(default="", max_length=80)
    safety: str = Field(max_length=20)  # Safety
    involvement: str | None = Field(default=None, sa_type=EncryptedText)


class Place(PlanItem, table=True):
    """A place the child goes or hangs out; unsafe places are flagged."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=EncryptedText)
    address: str | None = Field(default=None, sa_type=EncryptedText)
    safety: str = Field(max_length=20)  # Safety: NOT_SAFE is the "unsafe" flag of agenda item 6
    notes: str | None = Field(default=None, sa_type=EncryptedText)
    # The family member who added this place to the draft (co-writing: always "safe"); None for the meeting's.
    written_by_member_id: int | None = Field(default=None, foreign_key="family_member.id", index=True)
    idea_status: str | None = Field(default=None, max_length=10)  # IdeaStatus, for family ideas


# Every list that belongs to a version, in the order the plan template shows them.
PLAN_ITEM_MODELS: tuple[type[PlanItem], ...] = (
    PlanAction,
    ChildStatement,
    EmergencyContact,
    ParentalResponsibility,
    CarerCommitment,
    AgencyAction,
    NetworkPerson,
    Place,
)
