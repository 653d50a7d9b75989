"""A phone that asked to be told when something new is in the plan."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.crypto import EncryptedText
from app.timeutil import utcnow

# Push services' endpoints are URLs of a few hundred characters (FCM ~ 190, Mozilla ~ 250).
ENDPOINT_MAX = 800


class PushSubscription(SQLModel, table=True):
    """One phone's push subscription, for one family member (R18, R27)."""

    __tablename__ = "push_subscription"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="family_member.id", index=True)
    # The phone: removing it (its passkey) removes the subscription with it (R10).
    passkey_id: int | None = Field(default=None, foreign_key="passkey.id", index=True)
    # The sign-in on that phone when it subscribed: signing out (or quick exit) there removes it.
    session_id: int | None = Field(default=None, foreign_key="sign_in_session.id", index=True)
    # The push service's address for this phone: where to send, unique per browser profile.
    endpoint: str = Field(max_length=ENDPOINT_MAX, unique=True)
    # The phone's keys: anyone holding them and the endpoint could write to the phone.
    p256dh: str = Field(sa_type=EncryptedText)
    auth: str = Field(sa_type=EncryptedText)
    created_at: datetime = Field(default_factory=utcnow)
    last_sent_at: datetime | None = None
