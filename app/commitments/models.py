"""How a carer's commitments are going: an append-only history beside the (frozen) plan."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.crypto import EncryptedText
from app.timeutil import utcnow


class CommitmentUpdate(SQLModel, table=True):
    """A parent/carer marks their commitment done (or not done any more) or comments on it.

    Commitments in an agreed version never change, so progress is kept beside them: an
    append-only history where the latest row for a commitment is its status now.
    """

    __tablename__ = "commitment_update"

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="carer_commitment.id", ondelete="CASCADE", index=True)
    # The carer who wrote it; NULL once retention deletes their account (the history stays).
    member_id: int | None = Field(default=None, foreign_key="family_member.id", ondelete="SET NULL")
    done: bool = False
    comment: str | None = Field(default=None, sa_type=EncryptedText)
    at: datetime = Field(default_factory=utcnow)
