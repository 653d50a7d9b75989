"""What each family member last looked at, for "what's new"."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class PlanSeen(SQLModel, table=True):
    """The agreed version a family member last looked at, per child, for "what's new".

    Not plan content: a bookmark. `changes_since_version_id` is the version they had seen before
    `version_id` while the "what's new" card is still showing; None once they press "Got it".
    `review_on` is the review date as they last saw it; an incident can bring it forward without a
    new version, and then `review_moved_from` keeps the date it was until they press "Got it".
    """

    __tablename__ = "plan_seen"
    __table_args__ = (UniqueConstraint("member_id", "child_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # Rows go with the person, the child or the version (retention purges through Core deletes).
    member_id: int = Field(foreign_key="family_member.id", ondelete="CASCADE", index=True)
    child_id: int = Field(foreign_key="child.id", ondelete="CASCADE", index=True)
    version_id: int = Field(foreign_key="plan_version.id", ondelete="CASCADE")
    changes_since_version_id: int | None = Field(default=None, foreign_key="plan_version.id", ondelete="CASCADE")
    seen_at: datetime = Field(default_factory=utcnow)
    review_on: date | None = None
    review_moved_from: date | None = None
