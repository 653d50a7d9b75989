"""An incident on a young person's case (issue 10, item 6), and what it did to the review.

Seed 003's plan ends with "review: date, or on a significant incident": the meeting writes down
what counts (`PlanVersion.review_trigger`). Recording an incident is when the worker decides, on
the same form, whether to bring the review forward, and every incident keeps that decision: the
new date (and the one it replaced), or why the review stays where it is. What happened names
people and places, so it is encrypted (R27), like a concern's description.

A brought-forward review belongs to the agreed version whose review it moved
(`review_version_id`): agreed versions never change (app.plans.immutability), so the date the
caseload, the API and the family see is the earliest of the version's own review date and the
dates incidents moved it to (app.incidents.queries.review_on). A new agreement sets a new review.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field

from app.crypto import EncryptedText
from app.models_base import Timestamped
from app.timeutil import utcnow


class IncidentKind(StrEnum):
    """What happened (issue 10): the events a meeting usually names as a reason to review sooner."""

    MISSING_EPISODE = "missing_episode"
    ARREST = "arrest"
    EXCLUSION = "exclusion"
    NEW_CONCERN = "new_concern"
    OTHER = "other"


class ReviewChoice(StrEnum):
    """What the worker decided about the review when recording the incident."""

    BRING_FORWARD = "bring_forward"
    KEEP = "keep"
    # The case has no agreed plan with a review date: there was nothing to bring forward.
    NO_REVIEW = "no_review"


class Incident(Timestamped, table=True):
    """One incident; never edited (a correction is a new incident saying so)."""

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    kind: str = Field(max_length=20)  # IncidentKind
    # When it happened (UTC); never in the future. The work tray's flag counts days from it.
    occurred_at: datetime = Field(index=True)
    what_happened: str = Field(sa_type=EncryptedText)
    recorded_by_id: int = Field(foreign_key="practitioner.id", index=True)
    recorded_at: datetime = Field(default_factory=utcnow)
    review_choice: str = Field(max_length=20)  # ReviewChoice
    # The agreed version whose review the worker looked at (None when there was none).
    review_version_id: int | None = Field(default=None, foreign_key="plan_version.id", index=True)
    # The review date before, and the date it was brought forward to (BRING_FORWARD only).
    review_was: date | None = None
    review_moved_to: date | None = None
    # Why the review stays where it is (KEEP only); may name people, so encrypted.
    review_kept_because: str | None = Field(default=None, sa_type=EncryptedText)
