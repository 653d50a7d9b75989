"""Sign-in records: passkeys, WebAuthn challenges, invitations and server-side sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.crypto import EncryptedText
from app.timeutil import utcnow


class AccountKind(StrEnum):
    """Which front door an account belongs to."""

    FAMILY = "family"
    PRACTITIONER = "practitioner"


class ChallengePurpose(StrEnum):
    REGISTER = "register"
    AUTHENTICATE = "authenticate"


class Passkey(SQLModel, table=True):
    """A WebAuthn credential. Family members use one to sign in; practitioners as a second factor."""

    id: int | None = Field(default=None, primary_key=True)
    account_kind: str = Field(max_length=20)  # AccountKind
    account_id: int = Field(index=True)
    credential_id: bytes = Field(unique=True, index=True)
    public_key: bytes
    sign_count: int = 0
    transports: str = Field(default="", max_length=200)
    # A neutral device label the person can recognise ("Phone added 3 Nov"); never plan content.
    label: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class WebAuthnChallenge(SQLModel, table=True):
    """A challenge kept server-side: single use and short-lived (SECURITY.md R8)."""

    __tablename__ = "webauthn_challenge"

    id: int | None = Field(default=None, primary_key=True)
    # Only a hash of the challenge is kept; the browser echoes the challenge back in clientDataJSON.
    challenge_hash: str = Field(max_length=64, unique=True, index=True)
    purpose: str = Field(max_length=20)  # ChallengePurpose
    account_kind: str = Field(max_length=20)
    account_id: int | None = None
    invitation_id: int | None = Field(default=None, foreign_key="invitation.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class Invitation(SQLModel, table=True):
    """A one-time, expiring link a practitioner gives a young person, parent/carer or trusted adult."""

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    role: str = Field(max_length=20)  # FamilyRole
    # The invitee's name is personal data like the same name on family_member: encrypted (R27).
    display_name: str = Field(sa_type=EncryptedText)
    relationship: str = Field(default="", max_length=80)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_by_practitioner_id: int = Field(foreign_key="practitioner.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    cancelled_at: datetime | None = None
    # Set when the invitation is used: the member it created or joined.
    member_id: int | None = Field(default=None, foreign_key="family_member.id")


class SignInSession(SQLModel, table=True):
    """A server-side session record: revocable, with idle and absolute limits (SECURITY.md R12)."""

    __tablename__ = "sign_in_session"

    id: int | None = Field(default=None, primary_key=True)
    # The cookie carries a random token; only its hash is stored, so a database leak signs no one in.
    token_hash: str = Field(max_length=64, unique=True, index=True)
    account_kind: str = Field(max_length=20)  # AccountKind
    account_id: int = Field(index=True)
    passkey_id: int | None = Field(default=None, foreign_key="passkey.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    # Practitioners sign in in two steps; until the second factor is done the session is partial.
    second_factor_done: bool = False
    # Set when the family app locks after inactivity; until the passkey is used again, pages stay shut.
    locked_at: datetime | None = None
