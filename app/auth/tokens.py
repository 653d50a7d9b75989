"""Random tokens and their hashes: the raw token goes to the person, only the hash is stored."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A 256-bit random token, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str | bytes) -> str:
    data = token.encode() if isinstance(token, str) else token
    return hashlib.sha256(data).hexdigest()
