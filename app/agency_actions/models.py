"""How an agency's action is going, in its own words: an append-only history of updates.

The partner marks an action done on the action itself (`AgencyAction.done_on`); before that, and
after, they say how it is going ("Spoke to the school on Tuesday; the pass is ready"). Updates only
ever add a row, so two partners writing at once both keep their words and nothing is overwritten.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.crypto import EncryptedText
from app.timeutil import utcnow


class AgencyActionUpdate(SQLModel, table=True):
    """One update on an agency action in a draft. A new draft copies its actions (app.plans.versions),
    so the history of an action is every update on its copies: the rows created at the same moment by
    the same person (their lineage, as app.plans.diff matches them)."""

    __tablename__ = "agency_action_update"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="agency_action.id", ondelete="CASCADE", index=True)
    # Who wrote it, as the page names them then; the account may be closed later (the history stays).
    practitioner_id: int | None = Field(default=None, foreign_key="practitioner.id", ondelete="SET NULL")
    written_by: str = Field(max_length=120)
    note: str = Field(sa_type=EncryptedText)
    at: datetime = Field(default_factory=utcnow)
