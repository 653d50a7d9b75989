"""Personal access tokens: how a practitioner's own scripts and case systems reach the API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class TokenScope(StrEnum):
    """What a token may do: read only, or read and change what its practitioner may change."""

    READ = "read"
    READ_WRITE = "read_write"


class ApiToken(SQLModel, table=True):
    """One named token of one practitioner. Only a hash of the token is kept: it is shown once."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    practitioner_id: int = Field(foreign_key="practitioner.id", index=True)
    name: str = Field(max_length=80)
    scope: str = Field(max_length=12)  # TokenScope
    # sha256 of the raw token (app.auth.tokens.token_hash): 256 random bits need no slow hash.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Every token ends: at most MAX_TOKEN_DAYS after it is made (app.api.operations).
    expires_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    def is_live(self, now: datetime) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and self.expires_at > now
