"""Development-only sign-in links for the demo people, printed by `make run`.

They are signed with the door's secret, expire after a few hours and work once: the first use is
written to the append-only audit log (a hash of the link, never the link itself), and a link
whose hash is there already signs no one in, so a link left in a terminal's scrollback or a
browser's history is dead after use. Each link carries a random nonce, so every `make run` prints
fresh ones. The routes that accept them exist only in development (app.family.dev_views,
app.practitioner.dev_views).
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session, select

from app.actors import Actor
from app.audit.models import AuditEvent, AuditKind
from app.audit.operations import record_access
from app.auth.models import AccountKind
from app.errors import NotFound
from app.people.models import FamilyMember, Practitioner

LINK_MAX_AGE_SECONDS = 12 * 60 * 60
_SALT = "dev-sign-in"
# The audit log's name for a use of a development link (its "permission").
DEV_LINK_USE = "dev_link.sign_in"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def make_dev_link_token(*, secret_key: str, account_kind: str, account_id: int) -> str:
    nonce = secrets.token_urlsafe(9)
    return _serializer(secret_key).dumps({"kind": account_kind, "id": account_id, "nonce": nonce})


def link_fingerprint(raw_token: str) -> str:
    """What the audit log keeps of a used link: enough to recognise it, useless to sign in with."""
    return "dev-link:" + hashlib.sha256(raw_token.encode()).hexdigest()


def _lock_account(session: Session, account_kind: str, account_id: int) -> int | None:
    """The account's id if it exists, its row locked to the end of the request: two uses of one
    link at once queue here on PostgreSQL, so the second sees the first's audit row (on SQLite,
    where a link's GET reads without the write lock, this read takes it first: app.db.ReadsFirst)."""
    if account_kind == AccountKind.FAMILY:
        query = select(FamilyMember.id).where(FamilyMember.id == account_id)
    else:
        query = select(Practitioner.id).where(Practitioner.id == account_id)
    return session.exec(query.with_for_update()).first()


def redeem_dev_link(*, session: Session, raw_token: str, account_kind: str) -> int | None:
    """The account id a dev link names, the first time it is used; None if it is forged, expired,
    for the other door, for no account, or used before. Each use of a genuine link is audited."""
    settings = current_app.config["SAFER_PLAN"]
    if not settings.is_development:
        return None
    try:
        data = _serializer(current_app.config["SECRET_KEY"]).loads(raw_token, max_age=LINK_MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("kind") != account_kind or not isinstance(data.get("id"), int):
        return None
    account_id = _lock_account(session, account_kind, data["id"])
    if account_id is None:
        return None
    fingerprint = link_fingerprint(raw_token)
    used_before = session.exec(
        select(AuditEvent.id).where(
            AuditEvent.action == DEV_LINK_USE, AuditEvent.kind == AuditKind.READ, AuditEvent.detail == fingerprint
        )
    ).first()
    actor = Actor(kind=AccountKind(account_kind), account_id=account_id)
    allowed = used_before is None
    record_access(
        session=session, actor=actor, child_id=None, permission=DEV_LINK_USE, allowed=allowed, detail=fingerprint
    )
    return account_id if allowed else None


# The name development API tokens carry: `make run` revokes the last run's before making new ones.
DEV_TOKEN_NAME = "Development (make run)"  # noqa: S105  # a label, not a secret


def make_dev_api_tokens(*, session: Session, emails: tuple[str, ...]) -> list[tuple[Practitioner, str]]:
    """One read-only API token, good for a day, for each practitioner named (development only)."""
    from datetime import timedelta

    from sqlmodel import col

    from app.api.inputs import TokenInput
    from app.api.models import ApiToken, TokenScope
    from app.api.operations import create_token, revoke_token
    from app.timeutil import today

    made = []
    for email in emails:
        practitioner = session.exec(select(Practitioner).where(Practitioner.email == email)).first()
        if practitioner is None or not practitioner.active:
            continue
        actor = Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0)
        earlier = session.exec(
            select(ApiToken.id).where(
                ApiToken.practitioner_id == practitioner.id,
                ApiToken.name == DEV_TOKEN_NAME,
                col(ApiToken.revoked_at).is_(None),
            )
        ).all()
        for token_id in earlier:
            try:
                revoke_token(session=session, actor=actor, token_id=token_id or 0)
            except NotFound:  # expired already
                continue
        token = TokenInput(name=DEV_TOKEN_NAME, scope=TokenScope.READ, expires_on=today() + timedelta(days=1))
        made.append((practitioner, create_token(session=session, actor=actor, token=token).raw))
    return made
