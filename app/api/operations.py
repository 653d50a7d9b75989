"""Making, revoking and checking personal access tokens. The door owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.api.inputs import TokenInput
from app.api.models import ApiToken
from app.audit.operations import record_access, record_change
from app.auth.models import AccountKind
from app.auth.tokens import new_token, token_hash
from app.errors import NotFound
from app.people.models import Practitioner
from app.timeutil import utcnow

# Tokens start with this, so a leaked one is recognisable (secret scanners, logs) for what it is.
TOKEN_PREFIX = "sp_pat_"  # noqa: S105  # a public marker, not a secret
# `last_used_at` is for "is this token still in use?": a minute's precision is plenty, and it
# spares a write on every call of a busy sync.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    """A token just made: `raw` is shown once and never kept."""

    token: ApiToken
    raw: str


def create_token(*, session: Session, actor: Actor, token: TokenInput) -> NewToken:
    """A new token for the signed-in practitioner; the raw token is in the answer only."""
    policy.require("api_tokens.manage", session=session, actor=actor)
    raw = TOKEN_PREFIX + new_token()
    # It stops working at the start of the chosen day (UTC): at most MAX_TOKEN_DAYS from today.
    row = ApiToken(
        practitioner_id=actor.account_id,
        name=token.name,
        scope=token.scope,
        token_hash=token_hash(raw),
        expires_at=datetime.combine(token.expires_on, time(0), tzinfo=UTC),
    )
    session.add(row)
    session.flush()
    record_change(session=session, actor=actor, child_id=None, entity="api_token", entity_id=row.id, action="created")
    return NewToken(token=row, raw=raw)


def my_tokens(*, session: Session, actor: Actor) -> list[ApiToken]:
    """The signed-in practitioner's own tokens, newest first (revoked and expired ones too)."""
    policy.require("api_tokens.manage", session=session, actor=actor)
    query = select(ApiToken).where(ApiToken.practitioner_id == actor.account_id)
    return list(session.exec(query.order_by(col(ApiToken.id).desc())).all())


def my_live_token(*, session: Session, actor: Actor, token_id: int) -> ApiToken:
    """One of the practitioner's own tokens that still works; NotFound for anyone else's (R2)."""
    policy.require("api_tokens.manage", session=session, actor=actor)
    row = session.get(ApiToken, token_id)
    if row is not None and row.practitioner_id != actor.account_id:
        # Someone else's token: refused as if missing (R2), and the attempt is audited (R21).
        record_access(
            session=session,
            actor=actor,
            child_id=None,
            permission="api_tokens.manage",
            allowed=False,
            detail=f"api_token:{token_id}",
        )
        raise NotFound()
    if row is None or not row.is_live(utcnow()):
        raise NotFound()
    return row


def revoke_token(*, session: Session, actor: Actor, token_id: int) -> ApiToken:
    """Stop one of the practitioner's own tokens working, at once and for good."""
    row = my_live_token(session=session, actor=actor, token_id=token_id)
    row.revoked_at = utcnow()
    session.add(row)
    record_change(session=session, actor=actor, child_id=None, entity="api_token", entity_id=row.id, action="revoked")
    return row


def authenticate(*, session: Session, raw: str) -> tuple[ApiToken, Actor] | None:
    """The live token `raw` names and the practitioner it acts for; None for anything else."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(raw))).first()
    now = utcnow()
    if row is None or not row.is_live(now):
        return None
    practitioner = session.get(Practitioner, row.practitioner_id)
    if practitioner is None or not practitioner.active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        row.last_used_at = now
        session.add(row)
    actor = Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0, token_id=row.id)
    return row, actor
