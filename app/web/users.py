"""Flask-Login users for each door, backed by server-side session records."""

from __future__ import annotations

from flask_login import UserMixin

from app.actors import Actor
from app.auth.models import AccountKind, SignInSession
from app.people.models import FamilyMember, Practitioner


class FamilyUser(UserMixin):
    """A family member signed in with a passkey."""

    def __init__(self, member: FamilyMember, record: SignInSession, raw_token: str) -> None:
        self.member = member
        self.record = record
        self._raw_token = raw_token

    def get_id(self) -> str:
        # Flask-Login keeps this in the signed cookie; it is the session token, not an account id,
        # so revoking the session record signs the cookie out (R12).
        return self._raw_token

    @property
    def actor(self) -> Actor:
        return Actor(kind=AccountKind.FAMILY, account_id=self.member.id or 0, session_id=self.record.id)


class PractitionerUser(UserMixin):
    """A practitioner signed in with a password (and, once enrolled, a passkey)."""

    def __init__(self, practitioner: Practitioner, record: SignInSession, raw_token: str) -> None:
        self.practitioner = practitioner
        self.record = record
        self._raw_token = raw_token

    def get_id(self) -> str:
        return self._raw_token

    @property
    def is_authenticated(self) -> bool:
        return bool(self.record.second_factor_done)

    @property
    def actor(self) -> Actor:
        return Actor(kind=AccountKind.PRACTITIONER, account_id=self.practitioner.id or 0, session_id=self.record.id)
