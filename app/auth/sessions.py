"""Server-side sign-in sessions (SECURITY.md R12): revocable, with idle and absolute limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TypeVar

from sqlalchemy import bindparam, delete, or_
from sqlmodel import Session, SQLModel, col, select

from app.auth.models import SignInSession, WebAuthnChallenge
from app.auth.tokens import new_token, token_hash
from app.db_reads import SideBySide, side_by_side, side_by_side_first, table_of
from app.timeutil import utcnow

# Don't write last_seen_at on every request: a phone on poor signal should not pay for it.
_TOUCH_EVERY = timedelta(seconds=60)

Account = TypeVar("Account", bound=SQLModel)


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    absolute: timedelta


def start_session(
    *,
    session: Session,
    account_kind: str,
    account_id: int,
    limits: SessionLimits,
    passkey_id: int | None = None,
    second_factor_done: bool = True,
) -> tuple[str, SignInSession]:
    """Open a new session and return (raw token for the cookie, record)."""
    raw = new_token()
    now = utcnow()
    record = SignInSession(
        token_hash=token_hash(raw),
        account_kind=account_kind,
        account_id=account_id,
        passkey_id=passkey_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + limits.absolute,
        second_factor_done=second_factor_done,
    )
    session.add(record)
    session.flush()
    return raw, record


@cache
def _session_and_account(account: type[SQLModel]) -> SideBySide:
    """The session a token hash opens and the account it belongs to (a table of people with an
    `id`), in one statement built once: every signed-in request asks it. Read by hand into the
    session's objects (app.db_reads.side_by_side), which costs less than the ORM's loading."""
    signed_in, person = table_of(SignInSession).c, table_of(account).c
    return side_by_side(
        (SignInSession, account),
        lambda statement: (
            statement.select_from(table_of(SignInSession))
            .outerjoin(table_of(account), person.id == signed_in.account_id)
            .where(signed_in.token_hash == bindparam("token_hash"), signed_in.account_kind == bindparam("account_kind"))
        ),
    )


def load_session(
    *, session: Session, raw_token: str, account_kind: str, account: type[Account], limits: SessionLimits
) -> tuple[SignInSession, Account | None] | None:
    """The live session for this token and its account (None if that row is gone), or None if the
    token is unknown, revoked, idle too long or expired."""
    params = {"token_hash": token_hash(raw_token), "account_kind": account_kind}
    found = side_by_side_first(session, _session_and_account(account), params)
    if found is None:
        return None
    record, row = found
    person: Account | None = row if isinstance(row, account) else None
    if record.revoked_at is not None:
        return None
    now = utcnow()
    if now >= record.expires_at or now - record.last_seen_at >= limits.idle:
        # Written with the request (the door commits it); a refused request finds it idle again next time.
        record.revoked_at = now
        return None
    if now - record.last_seen_at >= _TOUCH_EVERY:
        record.last_seen_at = now
    return record, person


def revoke_session(*, session: Session, record_id: int) -> None:
    record = session.get(SignInSession, record_id)
    if record is not None and record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()


def revoke_sessions_for_passkey(*, session: Session, passkey_id: int) -> int:
    """End every session opened with one passkey (a lost or seized phone, R10)."""
    now = utcnow()
    rows = session.exec(
        select(SignInSession).where(SignInSession.passkey_id == passkey_id, col(SignInSession.revoked_at).is_(None))
    ).all()
    for row in rows:
        row.revoked_at = now
    session.flush()
    return len(rows)


def lock_session(*, session: Session, record: SignInSession) -> None:
    """Lock a live session after inactivity: pages stay shut until the passkey is used again."""
    if record.locked_at is None:
        record.locked_at = utcnow()
        session.add(record)
        session.flush()


def unlock_session(*, session: Session, record: SignInSession) -> None:
    """Open a locked session again (after a verified passkey assertion by its owner)."""
    record.locked_at = None
    record.last_seen_at = utcnow()
    session.add(record)
    session.flush()


# Ended sessions and used or expired challenges are kept a day (a refused cookie or a replayed
# assertion is still recognised as such in the logs of that day), then deleted by a job (app/jobs).
KEEP_ENDED = timedelta(days=1)


def purge_ended(*, session: Session, now: datetime) -> int:
    """Delete sign-in sessions and passkey challenges that ended before `now - KEEP_ENDED`; how many."""
    cutoff = now - KEEP_ENDED
    sessions = session.execute(
        delete(SignInSession).where(or_(col(SignInSession.expires_at) < cutoff, col(SignInSession.revoked_at) < cutoff))
    )
    challenges = session.execute(delete(WebAuthnChallenge).where(col(WebAuthnChallenge.expires_at) < cutoff))
    return int(sessions.rowcount + challenges.rowcount)  # type: ignore[attr-defined]
