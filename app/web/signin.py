"""Starting and ending a signed-in session, the same way on both doors."""

from __future__ import annotations

from typing import Any

from flask import current_app, session
from flask_login import login_user, logout_user

from app.auth.models import SignInSession
from app.auth.sessions import Account, load_session, revoke_session, start_session
from app.db import request_session


def begin(
    *,
    account_kind: str,
    account_id: int,
    make_user: Any,
    passkey_id: int | None = None,
    second_factor_done: bool = True,
) -> Any:
    """Open a server-side session and put its token in a fresh cookie (new id at sign-in, R12)."""
    db = request_session()
    raw, record = start_session(
        session=db,
        account_kind=account_kind,
        account_id=account_id,
        limits=current_app.config["SESSION_LIMITS"],
        passkey_id=passkey_id,
        second_factor_done=second_factor_done,
    )
    # Drop whatever the anonymous cookie held (including its CSRF secret) before signing in.
    session.clear()
    user = make_user(record, raw)
    login_user(user)
    session.permanent = True
    return user


def end(user: Any) -> None:
    """Revoke the session record server-side (the door commits it), then clear the cookie."""
    record = getattr(user, "record", None)  # anonymous users have no session record
    if record is not None and record.id is not None:
        revoke_session(session=request_session(), record_id=record.id)
    logout_user()
    session.clear()


def load(raw_token: str, account_kind: str, account: type[Account]) -> tuple[SignInSession, Account | None] | None:
    """The live session record for a cookie token and its account (read together), or None."""
    return load_session(
        session=request_session(),
        raw_token=raw_token,
        account_kind=account_kind,
        account=account,
        limits=current_app.config["SESSION_LIMITS"],
    )
