"""Opaque cursors for the changes feed: where in the audit log a caller has read to, signed (HMAC).

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


def make_cursor(actor: Actor, position: tuple[int, int]) -> str:
    """A cursor at `position` (app.api.changes: the last row's transaction and id) for this practitioner."""
    return str(_serializer().dumps({"a": actor.label, "t": position[0], "e": position[1]}))


def read_cursor(actor: Actor, cursor: str) -> tuple[int, int]:
    """The position a cursor names; BadCursor if it was changed or made for someone else."""
    try:
        payload = _serializer().loads(cursor)
    except BadSignature:
        raise BadCursor() from None
    if not isinstance(payload, dict) or payload.get("a") != actor.label:
        raise BadCursor()
    tx, last = payload.get("t"), parse_id(payload.get("e"))
    if not isinstance(tx, int) or isinstance(tx, bool) or tx < 0 or last is None:
        raise BadCursor()
    return tx, last
