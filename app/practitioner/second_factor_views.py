"""The practitioner's second step after the password: a passkey (SECURITY.md R11).

A correct password opens only a partial session. The first time, the practitioner registers a
passkey here; afterwards they confirm with it. Only then does the session count as signed in,
and it is replaced by a fresh one (a new session id at the moment of full sign-in, R12).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import passkeys
from app.auth.models import AccountKind
from app.db import request_session
from app.errors import SignInFailed
from app.people.models import Practitioner
from app.web import ceremony, signin
from app.web.ceremony import relying_party
from app.web.limits import PASSKEY_LIMIT, practitioner_limiter
from app.web.users import PractitionerUser

blueprint = Blueprint("practitioner_2fa", __name__)


def _partial_user() -> PractitionerUser | None:
    """The practitioner who has passed the password step but not yet the passkey step."""
    user = current_user._get_current_object() if current_user else None
    if isinstance(user, PractitionerUser) and not user.record.second_factor_done:
        return user
    return None


@blueprint.get("/sign-in/passkey")
def confirm() -> Any:
    """Ask for the passkey (or, the first time, to make one)."""
    if current_user.is_authenticated:
        return redirect(url_for("practitioner.caseload"))
    user = _partial_user()
    if user is None:
        return redirect(url_for("practitioner.sign_in"))
    enrolled = bool(
        passkeys.active_passkeys(
            session=request_session(), account_kind=AccountKind.PRACTITIONER, account_id=user.practitioner.id or 0
        )
    )
    return render_template("practitioner/second_factor.html", enrolled=enrolled)


@blueprint.post("/sign-in/passkey/options")
@practitioner_limiter.limit(PASSKEY_LIMIT)
def options() -> Response:
    user = _partial_user()
    if user is None:
        return ceremony.refused(_("Sign in with your email and password first."), 401)
    db = request_session()
    practitioner = user.practitioner
    if passkeys.active_passkeys(session=db, account_kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0):
        body = passkeys.authentication_options(
            session=db, rp=relying_party(), account_kind=AccountKind.PRACTITIONER, account_id=practitioner.id
        )
    else:
        body = passkeys.registration_options(
            session=db,
            rp=relying_party(),
            owner=passkeys.NewPasskeyOwner(
                account_kind=AccountKind.PRACTITIONER,
                account_id=practitioner.id,
                user_handle=practitioner.webauthn_user_handle,
                user_name=practitioner.email,
            ),
        )
    return ceremony.options_answer(body)


@blueprint.post("/sign-in/passkey/verify")
@practitioner_limiter.limit(PASSKEY_LIMIT)
def verify() -> Response:
    user = _partial_user()
    if user is None:
        return ceremony.refused(_("Sign in with your email and password first."), 401)
    db = request_session()
    practitioner = user.practitioner
    with ceremony.refusing(_("That passkey did not work. Try again.")):
        passkey = _verify_or_enrol(db, practitioner, ceremony.credential())
    # The partial session ends; a fresh, fully signed-in one replaces it.
    signin.end(user)
    signin.begin(
        account_kind=AccountKind.PRACTITIONER,
        account_id=practitioner.id or 0,
        passkey_id=passkey.id,
        make_user=lambda record, raw: PractitionerUser(practitioner, record, raw),
    )
    return jsonify(redirect=url_for("practitioner.caseload"))


def _verify_or_enrol(db: Any, practitioner: Practitioner, body: dict[str, Any]) -> Any:
    """Check an assertion from an enrolled passkey, or register the first one."""
    if "attestationObject" in (body.get("response") or {}):
        if passkeys.active_passkeys(session=db, account_kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0):
            # Adding another passkey needs a full sign-in first, never just a password.
            raise SignInFailed("already enrolled")
        challenge, verified = passkeys.verify_registration(
            session=db, rp=relying_party(), credential=body, account_kind=AccountKind.PRACTITIONER
        )
        if challenge.account_id != practitioner.id:
            raise SignInFailed("challenge belongs to another account")
        return passkeys.save_passkey(
            session=db,
            account_kind=AccountKind.PRACTITIONER,
            account_id=practitioner.id or 0,
            verified=verified,
            transports=[],
            label=_("Work passkey"),
        )
    passkey = passkeys.verify_authentication(
        session=db,
        rp=relying_party(),
        credential=body,
        account_kind=AccountKind.PRACTITIONER,
        user_handle_of=lambda account_id: practitioner.webauthn_user_handle if account_id == practitioner.id else None,
    )
    if passkey.account_id != practitioner.id:
        raise SignInFailed("passkey belongs to another account")
    return passkey
