"""The signed-in person as the service layer sees them, whichever door they came through."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.models import AccountKind


@dataclass(frozen=True)
class Actor:
    """A signed-in person. `label` goes into change records; it names no one."""

    kind: AccountKind
    account_id: int
    session_id: int | None = None
    # Set when the person came through the API door with a personal access token (app.api).
    token_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.kind.value}:{self.account_id}"


SYSTEM = Actor(kind=AccountKind.PRACTITIONER, account_id=0)
