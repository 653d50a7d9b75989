"""How a carer's commitments are going: an append-only history beside the (frozen) plan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.crypto import EncryptedText
from app.timeutil import utcnow


class CommitmentUpdate(SQLModel, table=True):
    """A parent/carer marks their commitment done (or not done any more) or comments on it.

    Commitments in an agreed version never change, so progress is kept beside them: an
    append-only history where the latest row for a commitment is its status now.
    """

    __tablename__ = "commitment_update"
    # The history is a line, never a fork: each update takes the place after the latest one its
    # writer saw, and only one writer can take a place. Two phones writing from the same latest
    # update (a comment each, or "done" twice) cannot both be added: the second insert is refused
    # by the database itself, on SQLite and PostgreSQL alike, whatever order they commit in (R24).
    __table_args__ = (UniqueConstraint("commitment_id", "number", name="uq_commitment_update_number"),)

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="carer_commitment.id", ondelete="CASCADE", index=True)
    # Its place in the commitment's history: 1 for the first update, then 2, 3...
    number: int = 1
    # The carer who wrote it; NULL once retention deletes their account (the history stays).
    member_id: int | None = Field(default=None, foreign_key="family_member.id", ondelete="SET NULL")
    done: bool = False
    comment: str | None = Field(default=None, sa_type=EncryptedText)
    at: datetime = Field(default_factory=utcnow)
