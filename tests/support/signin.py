"""Sign a test client in as a person, through the real session service (no passkey ceremony)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.auth.models import AccountKind
from app.auth.sessions import SessionLimits, start_session
from tests.support.clients import CsrfClient


def sign_in_as(
    client: CsrfClient, *, session: Session, account_kind: AccountKind, account_id: int, passkey_id: int | None = None
) -> str:
    """Open a server-side session and put its token in the client's cookie; returns the raw token."""
    limits: SessionLimits = client.application.config["SESSION_LIMITS"]
    raw, _record = start_session(
        session=session,
        account_kind=account_kind,
        account_id=account_id,
        limits=limits or SessionLimits(idle=timedelta(minutes=30), absolute=timedelta(hours=12)),
        passkey_id=passkey_id,
    )
    session.commit()
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie["_user_id"] = raw
        cookie["_fresh"] = True
    return raw
