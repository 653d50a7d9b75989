"""Turning notices on and off for one phone, and forgetting a phone's subscription with the phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, delete, select

from app.actors import Actor
from app.auth.models import AccountKind, SignInSession
from app.config import Settings
from app.errors import NotFound, ValidationFailed
from app.push.inputs import EndpointInput, SubscriptionInput
from app.push.models import PushSubscription
from app.push.sending import endpoint_allowed


def _member_of(actor: Actor) -> int:
    if actor.kind != AccountKind.FAMILY:
        raise NotFound()
    return actor.account_id


def subscribe(*, session: Session, actor: Actor, settings: Settings, wanted: SubscriptionInput) -> PushSubscription:
    """Keep this phone's subscription for the signed-in member (again: the same endpoint is updated)."""
    member_id = _member_of(actor)
    if not settings.web_push:
        raise NotFound()
    if not endpoint_allowed(wanted.endpoint, settings):
        raise ValidationFailed({"endpoint": _l("This phone gave an address notices cannot be sent to.")})
    record = session.get(SignInSession, actor.session_id) if actor.session_id is not None else None
    existing = session.exec(select(PushSubscription).where(PushSubscription.endpoint == wanted.endpoint)).first()
    if existing is not None and existing.member_id != member_id:
        # The same browser, now signed in as someone else (a shared family phone): it becomes theirs,
        # so the one who signed out there is no longer told on it.
        session.delete(existing)
        session.flush()
        existing = None
    row = existing or PushSubscription(member_id=member_id, endpoint=wanted.endpoint, p256dh="", auth="")
    row.p256dh = wanted.keys.p256dh
    row.auth = wanted.keys.auth
    row.passkey_id = record.passkey_id if record is not None else None
    row.session_id = actor.session_id
    session.add(row)
    session.flush()
    return row


def unsubscribe(*, session: Session, actor: Actor, which: EndpointInput) -> None:
    """Stop notices to one of the signed-in member's phones; someone else's looks like no subscription."""
    member_id = _member_of(actor)
    row = session.exec(
        select(PushSubscription).where(
            PushSubscription.endpoint == which.endpoint, PushSubscription.member_id == member_id
        )
    ).first()
    if row is None:
        raise NotFound()
    session.delete(row)
    session.flush()


def forget_phone(*, session: Session, passkey_id: int) -> None:
    """The phone was removed (R10): its subscriptions go with its key."""
    session.exec(delete(PushSubscription).where(col(PushSubscription.passkey_id) == passkey_id))


def forget_session(*, session: Session, session_id: int) -> None:
    """Signed out or quick exit on this phone: the browser drops its worker, we drop the subscription."""
    session.exec(delete(PushSubscription).where(col(PushSubscription.session_id) == session_id))
