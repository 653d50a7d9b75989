"""Append-only records of changes (and, later, reads and denials)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class ChangeRecord(SQLModel, table=True):
    """One change to a plan or a link: who, whose record, what, when. Never holds the values."""

    __tablename__ = "change_record"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=40)  # "practitioner:3", "family:7", "system"
    child_id: int | None = Field(default=None, foreign_key="child.id", index=True)
    entity: str = Field(max_length=40)  # table name, e.g. "child_statement"
    entity_id: int | None = None
    action: str = Field(max_length=20)  # created / updated / deleted / agreed / invited ...
