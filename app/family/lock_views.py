"""Lock after inactivity (discretion): the app hides itself until the passkey is used again.

static/js/lock.js counts minutes without input and calls POST /lock; from then on the session
serves no family page except the lock screen, the unlock ceremony, quick exit and sign-out.
Without JavaScript nothing locks early; the server's idle timeout (30 minutes) still applies.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import passkeys
from app.auth.models import AccountKind
from app.auth.sessions import lock_session, unlock_session
from app.db import request_session
from app.errors import SignInFailed
from app.inputs import parse_id
from app.web import ceremony
from app.web.ceremony import relying_party
from app.web.limits import PASSKEY_LIMIT, family_limiter
from app.web.users import FamilyUser

blueprint = Blueprint("family_lock", __name__)

LOCK_AFTER_SECONDS = 5 * 60
# Tests may shorten the timer with ?lock_after=<seconds> (test environment only; never longer).
_TEST_MIN_SECONDS = 1

# What a locked session may still reach: the lock itself, leaving, and the files pages need.
OPEN_WHILE_LOCKED = frozenset(
    {
        "static",
        "family_pwa.manifest",
        "family_pwa.service_worker",
        "family_lock.locked",
        "family_lock.lock",
        "family_lock.unlock_options",
        "family_lock.unlock_verify",
        "family.quick_exit",
        "family.sign_out",
    }
)


def _family_user() -> FamilyUser | None:
    user = current_user._get_current_object() if current_user else None
    return user if isinstance(user, FamilyUser) else None


def refuse_while_locked() -> Response | None:
    """before_request: a locked session sees the lock screen, nothing else (runs after R1's check)."""
    user = _family_user()
    if user is None or user.record.locked_at is None or request.endpoint in OPEN_WHILE_LOCKED:
        return None
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return redirect(url_for("family_lock.locked"))  # type: ignore[return-value]
    response = jsonify(error="locked")
    response.status_code = 423
    return response


def lock_after_seconds() -> int:
    # Only the tests may shorten it (?lock_after=): anywhere else the query string is not read.
    if current_app.config["SAFER_PLAN"].environment != "test":
        return LOCK_AFTER_SECONDS
    asked = parse_id(request.args.get("lock_after", ""))
    return LOCK_AFTER_SECONDS if asked is None else max(_TEST_MIN_SECONDS, min(asked, LOCK_AFTER_SECONDS))


@blueprint.app_context_processor
def lock_settings() -> dict[str, Any]:
    return {"lock_after_seconds": lock_after_seconds}


@blueprint.post("/lock")
def lock() -> Any:
    """Lock this session now (lock.js calls it after minutes without input)."""
    user = _family_user()
    if user is not None:
        lock_session(session=request_session(), record=user.record)
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(redirect=url_for("family_lock.locked"))
    return redirect(url_for("family_lock.locked"), code=303)


@blueprint.get("/locked")
def locked() -> Any:
    """The neutral lock screen: the app's name and one button."""
    user = _family_user()
    if user is None or user.record.locked_at is None:
        return redirect(url_for("family.home"))
    return render_template("family/locked.html")


@blueprint.post("/unlock/options")
@family_limiter.limit(PASSKEY_LIMIT)
def unlock_options() -> Response:
    user = _family_user()
    if user is None:
        return ceremony.refused(_("Please sign in again."), 401)
    return ceremony.options_answer(
        passkeys.authentication_options(
            session=request_session(), rp=relying_party(), account_kind=AccountKind.FAMILY, account_id=user.member.id
        )
    )


@blueprint.post("/unlock/verify")
@family_limiter.limit(PASSKEY_LIMIT)
def unlock_verify() -> Response:
    user = _family_user()
    if user is None:
        return ceremony.refused(_("Please sign in again."), 401)
    db = request_session()
    member = user.member
    with ceremony.refusing(_("That key did not work. Try again.")):
        passkey = passkeys.verify_authentication(
            session=db,
            rp=relying_party(),
            credential=ceremony.credential(),
            account_kind=AccountKind.FAMILY,
            user_handle_of=lambda account_id: member.webauthn_user_handle if account_id == member.id else None,
        )
        if passkey.account_id != member.id:
            raise SignInFailed("passkey belongs to another account")
    unlock_session(session=db, record=user.record)
    return jsonify(redirect=url_for("family.home"))
