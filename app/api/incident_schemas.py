"""The API's shapes for incidents and the review they may bring forward (issue 10, item 6).

Filled from the rows and the `ReviewState` the practitioner pages show, never from hand-built
dicts; the body of a new incident is the page's own input model (app.incidents.inputs).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from app.api.problems import Problem
from app.incidents.inputs import KIND_NAMES
from app.incidents.models import IncidentKind, ReviewChoice
from app.incidents.queries import BRING_FORWARD_WITHIN, IncidentRow, ReviewState


class ReviewOut(BaseModel):
    """The review of the latest agreed plan as it stands, and what a new incident may do to it."""

    review_date: date = Field(description="The review date now (brought forward by an incident, or the agreed one).")
    review_trigger: str = Field(description="What the meeting agreed counts as a reason to review sooner.")
    review_revision: int = Field(description="State this as `review_revision` when recording an incident (R24).")
    review_version: int = Field(description="The agreed version's record number: state it as `review_version`.")
    latest_new_date: date = Field(
        description=f"The last day the review may be brought forward to: {BRING_FORWARD_WITHIN} working days on."
    )
    proposed_new_date: date | None = Field(description="The date the page proposes; null when none is sooner.")

    @classmethod
    def of(cls, state: ReviewState) -> ReviewOut:
        return cls(
            review_date=state.review_on or state.today,
            review_trigger=state.trigger,
            review_revision=state.revision,
            review_version=state.version_id,
            latest_new_date=state.latest_new_date,
            proposed_new_date=state.proposed,
        )


class IncidentOut(BaseModel):
    """One incident and the decision about the review made with it."""

    id: int
    kind: IncidentKind
    kind_name: str = Field(description="The kind in words, in the caller's language.")
    occurred_at: datetime
    what_happened: str
    recorded_by: str
    recorded_at: datetime
    review_choice: ReviewChoice
    review_was: date | None
    review_moved_to: date | None
    review_kept_because: str | None

    @classmethod
    def of(cls, row: IncidentRow) -> IncidentOut:
        i = row.incident
        return cls(
            id=i.id or 0,
            kind=IncidentKind(i.kind),
            kind_name=str(KIND_NAMES[IncidentKind(i.kind)]),
            occurred_at=i.occurred_at,
            what_happened=i.what_happened,
            recorded_by=row.recorded_by,
            recorded_at=i.recorded_at,
            review_choice=ReviewChoice(i.review_choice),
            review_was=i.review_was,
            review_moved_to=i.review_moved_to,
            review_kept_because=i.review_kept_because,
        )


class ChildIncidents(BaseModel):
    """A young person's incidents, newest first, and their review as it stands (null: none agreed)."""

    child_id: int
    review: ReviewOut | None
    items: list[IncidentOut]


class ReviewConflict(Problem):
    """409: the review changed since the caller read it; `review` is how it is now (null: none now)."""

    review: ReviewOut | None
