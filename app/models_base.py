"""Small building blocks shared by every feature's models."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import declared_attr
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


class Versioned:
    """A row people edit from a form that states the revision it started from (R24).

    SQLAlchemy then makes the check and the write one step: every UPDATE and DELETE of the row
    carries `WHERE revision = <the revision loaded>`, and a row someone else changed (or took out)
    in between matches nothing, which ends the flush with StaleDataError (on PostgreSQL the second
    writer first waits for the first one's row lock). `app.db.flush_or_conflict` turns that into a
    Conflict. `stamp` sets the new revision itself; SQLAlchemy writes that value and still checks the
    loaded one, so a change moves the revision on by one (per flush: stamp once per request).

    Only for rows that two people can edit at once from a stale form: plan items, plan versions
    and sharing choices. Rows edited last-write-wins on purpose (accounts, children, people, the
    plan's own status) stay plain Timestamped: versioning them would turn an admin's second save
    into an error no form is ready to explain. Bulk Core statements (the purge, key rotation) skip
    the check by design.
    """

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # The column object, not the name "revision": the mapper needs the table's own column.
        return {"version_id_col": cls.__table__.c.revision}  # type: ignore[attr-defined]


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
