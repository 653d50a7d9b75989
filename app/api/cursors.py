"""Opaque cursors for the changes feed: the last audit event a caller was given, signed (HMAC).

A cursor is an itsdangerous token (HMAC-SHA1 over the payload, keyed by the practitioner door's
secret with a salt of its own): the caller can read nothing they did not already know and can
change nothing without the signature failing. It names the practitioner it was made for, so a
cursor passed between accounts is refused too. Changing PRACTITIONER_SECRET_KEY refuses every
cursor given before (a client then starts again without one).
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.actors import Actor
from app.inputs import parse_id

_SALT = "api.changes.cursor"


class BadCursor(Exception):
    """The cursor was not made by this API for this practitioner."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SAFER_PLAN"].practitioner.secret_key, salt=_SALT)


def make_cursor(actor: Actor, last_event_id: int) -> str:
    return str(_serializer().dumps({"a": actor.label, "e": last_event_id}))


def read_cursor(actor: Actor, cursor: str) -> int:
    """The last event id a cursor names; BadCursor if it was changed or made for someone else."""
    try:
        payload = _serializer().loads(cursor)
    except BadSignature:
        raise BadCursor() from None
    last = parse_id(payload.get("e")) if isinstance(payload, dict) else None
    if last is None or payload.get("a") != actor.label:
        raise BadCursor()
    return last
