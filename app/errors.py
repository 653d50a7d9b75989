"""Domain errors the service layer raises; each front door turns them into responses."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base for errors a person can act on."""


class NotFound(DomainError):
    """The thing does not exist, or this person may not know that it does (SECURITY.md R2)."""


class ValidationFailed(DomainError):
    """Input was refused; `errors` maps a field name to a message a person can act on."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Conflict(DomainError):
    """Someone else changed this first; nothing was overwritten (SECURITY.md R24)."""


class Frozen(DomainError):
    """An agreed plan version never changes; edits go to the draft."""


class SignInFailed(DomainError):
    """Sign-in was refused. The message is deliberately the same whatever the reason."""
