"""Sharing choices and break-glass grants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.crypto import EncryptedText
from app.models_base import Timestamped, Versioned
from app.timeutil import utcnow


class SectionShare(Versioned, Timestamped, table=True):
    """Whether one family member may see one section of a child's plan.

    The young person sets `visible`; a practitioner may set `locked` for safety, which hides the
    section from that person whatever the young person chooses (and shows the young person why).
    """

    __tablename__ = "section_share"
    __table_args__ = (UniqueConstraint("child_id", "member_id", "section", name="uq_section_share_person_section"),)

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    member_id: int = Field(foreign_key="family_member.id", index=True)
    section: str = Field(max_length=40)  # app.plans.sections.Section
    visible: bool = False
    locked: bool = False


class BreakGlassGrant(SQLModel, table=True):
    """Emergency read access to a child a practitioner is not linked to: reasoned, short, audited (R3)."""

    __tablename__ = "break_glass_grant"

    id: int | None = Field(default=None, primary_key=True)
    practitioner_id: int = Field(foreign_key="practitioner.id", index=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    # The reason can name the child's circumstances, so it is kept encrypted like other sensitive text.
    reason: str = Field(sa_type=EncryptedText)
    granted_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    ended_at: datetime | None = None
