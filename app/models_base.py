"""Small building blocks shared by every feature's models."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import MetaData
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow

# Stable constraint names so Alembic migrations (and SQLite batch mode) can name what they alter.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def choices(enum: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of an enum, for validation."""
    return tuple(member.value for member in enum)


class Timestamped(SQLModel):
    """Who created and last changed a row, and when (issue: every change records who and when)."""

    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    # A short actor label such as "practitioner:3" or "family:7"; never a name or any plan text.
    created_by: str = Field(default="system", max_length=40)
    updated_by: str = Field(default="system", max_length=40)
    # Optimistic concurrency: a writer states the revision it saw; a mismatch is a conflict (R24).
    revision: int = Field(default=1, nullable=False)


def stamp(row: Timestamped, actor_label: str, *, new: bool) -> None:
    """Record who created or changed `row`, and when; a change also moves its revision on (R24)."""
    now = utcnow()
    if new:
        row.created_at = now
        row.created_by = actor_label
    else:
        row.revision = (row.revision or 0) + 1
    row.updated_at = now
    row.updated_by = actor_label
