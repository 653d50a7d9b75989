"""The API's request and response shapes: pydantic models, from which the OpenAPI document is made.

Each response model is filled from the same service objects the web pages render (caseload rows,
`PlanView`), never from a hand-built dict, so what a field means is defined here once.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.inputs import MAX_ID

# The most rows one page of a list holds: a sync pages through a long caseload instead.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50


class PageQuery(BaseModel):
    """Which page of a list: `limit` rows (at most MAX_PAGE_SIZE) after skipping `offset`."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(default=0, ge=0, le=MAX_ID)


class ChildPath(BaseModel):
    child_id: int = Field(ge=0, le=MAX_ID, description="The child's record number.")


class VersionPath(ChildPath):
    number: int = Field(ge=0, le=MAX_ID, description="The plan version's number (1, 2, 3 ...).")


class _Row(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ChildSummary(BaseModel):
    """One child on the caseload."""

    id: int
    preferred_name: str
    meeting_type: str | None = Field(description="safer_me or safer_me_plus; null before a plan is open.")
    case_role: str | None = Field(description="Your part in the case; null for a case on your team's caseload.")
    allocated_worker: str
    last_agreed: date | None
    review_date: date | None = Field(description="When the latest agreed plan is due for review.")
    overdue: bool = Field(description="True when the review date has passed.")


class CaseloadPage(BaseModel):
    """A page of the caseload, soonest review first."""

    items: list[ChildSummary]
    total: int
    limit: int
    offset: int


class ChildCase(ChildSummary):
    """A child's case as the caller may see it."""

    first_name: str
    last_name: str
    date_of_birth: date | None
    open_to_csw: bool
    is_care_leaver: bool
    may_edit: bool = Field(description="Whether the caller may change the plan.")


class Statement(_Row):
    id: int
    moment: str
    kind: str
    text: str
    own_words: bool


class Action(_Row):
    id: int
    who: str
    action: str
    aim: str
    success: str


class Contact(_Row):
    id: int
    name: str
    relationship: str
    phone: str
    notes: str


class ParentalResponsibilityRow(_Row):
    id: int
    name: str
    relationship: str
    has_parental_responsibility: bool
    can_make_decisions: bool
    notes: str


class Commitment(_Row):
    id: int
    who: str
    kind: str
    commitment: str
    by_when: str


class AgencyActionRow(_Row):
    id: int
    agency: str
    kind: str
    action: str
    due_on: date | None
    repeats: str


class NetworkPersonRow(_Row):
    id: int
    name: str
    relationship: str
    safety: str
    involvement: str | None


class PlaceRow(_Row):
    id: int
    name: str
    address: str | None
    safety: str
    notes: str | None


class VersionSummary(_Row):
    """One version in the plan's history."""

    number: int
    agreed_on: date | None
    agreed_by: str
    review_date: date | None


class Version(BaseModel):
    """One version of the plan (the draft, or an agreed one), every section."""

    number: int
    agreed: bool
    agreed_on: date | None
    agreed_by: str
    review_date: date | None
    review_trigger: str
    safe_word: str | None
    if_missing_take_to: str | None
    statements: list[Statement]
    actions: list[Action]
    emergency_contacts: list[Contact]
    parental_responsibility: list[ParentalResponsibilityRow]
    carer_commitments: list[Commitment]
    agency_actions: list[AgencyActionRow]
    network: list[NetworkPersonRow]
    places: list[PlaceRow]
    contingency_steps: str
    contingency_cover: str
    summary_of_changes: str


class PlanOut(BaseModel):
    """A child's open plan: the working draft and the agreed versions, newest first."""

    child_id: int
    meeting_type: str
    draft: Version
    agreed_versions: list[VersionSummary]
