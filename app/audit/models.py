"""The audit log: append-only records of every read, write and denial (SECURITY.md R21)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, FetchedValue, Index
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class AuditKind(StrEnum):
    READ = "read"
    WRITE = "write"
    DENIED = "denied"


class AuditEvent(SQLModel, table=True):
    """Who did what to whose record, when, and whether it was allowed. Never holds plan values."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_txid_id", "txid", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=40, index=True)  # "practitioner:3", "family:7", "system"
    session_id: int | None = None  # the sign-in session, to tell devices apart
    # The personal access token an API call came with (app.api); NULL for the web doors. No
    # foreign key, as for child_id: the log outlives revoked and deleted tokens.
    api_token_id: int | None = None
    # No foreign key on purpose: denials can name records that do not exist, and the log must
    # outlive records purged under the retention rule (R28).
    child_id: int | None = Field(default=None, index=True)
    kind: str = Field(default=AuditKind.WRITE, max_length=10)  # AuditKind
    # A permission name for reads and denials ("plan.read"), a verb for writes ("created").
    action: str = Field(max_length=40)
    entity: str = Field(default="", max_length=40)  # table name, e.g. "child_statement"
    entity_id: int | None = None
    # Non-sensitive context only, e.g. "break-glass:4" (a grant id, never the reason text).
    detail: str = Field(default="", max_length=80)
    # PostgreSQL's id of the transaction that wrote the row: the column's server default
    # (pg_current_xact_id(), migration 0029), never set here, so never in an INSERT. The changes
    # feed (app.api.changes) orders by (txid, id) and hands out only rows of transactions older
    # than every open one, so it never skips a row that commits late. NULL on SQLite (one writer
    # at a time: ids are in commit order) and on rows written before migration 0029.
    txid: int | None = Field(default=None, sa_type=BigInteger, sa_column_kwargs={"server_default": FetchedValue()})
