"""Add another phone or computer: a signed-in family member makes a second passkey (issue 4, R10).

The ceremony is the same as joining (app.js runs it from a `data-passkey="register"` button), but
the challenge is bound to the signed-in person and to no invitation, and the new key must be
theirs. A phone picked up while unlocked must not become a way in for someone else, so a key can
only be added soon after this session was opened with a key (FRESH_SIGN_IN); the new key is also
listed on the devices page and in the plan's history, where it can be removed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import policy
from app.audit.operations import record_change
from app.auth import passkeys
from app.auth.models import AccountKind
from app.db import request_session
from app.errors import NotFound, SignInFailed
from app.people.queries import children_of_family_member
from app.timeutil import utcnow
from app.web import ceremony
from app.web.ceremony import relying_party
from app.web.limits import PASSKEY_LIMIT, family_limiter

blueprint = Blueprint("family_passkeys", __name__)

# How long after opening the app with a key someone may add another key.
FRESH_SIGN_IN = timedelta(minutes=15)


def _is_fresh() -> bool:
    return bool(utcnow() - current_user.record.created_at <= FRESH_SIGN_IN)


def _too_late() -> Response:
    return ceremony.refused(
        _("For your safety, do this just after opening the app with your key. Sign out, sign in again, then try.")
    )


def _after(access: policy.Access, child_id: int) -> str:
    """Where the person lands once the key is made: their list of phones, if they have one."""
    if access.holds("devices.revoke"):
        return url_for("family_privacy.device_list", child_id=child_id, added=1)
    return url_for("family_passkeys.add_device", child_id=child_id, added=1)


@blueprint.get("/c/<int:child_id>/devices/new")
def add_device(child_id: int) -> Any:
    """A page with the one button, for everyone in the family (parents have no devices list)."""
    db = request_session()
    policy.require("devices.add_own", session=db, actor=current_user.actor, child_id=child_id)
    child = next(
        (c for c, _link in children_of_family_member(session=db, actor=current_user.actor) if c.id == child_id),
        None,
    )
    if child is None:
        raise NotFound()
    return render_template("family/add_device.html", child=child, added=request.args.get("added") == "1")


@blueprint.post("/c/<int:child_id>/devices/new/options")
@family_limiter.limit(PASSKEY_LIMIT)
def add_options(child_id: int) -> Response:
    db = request_session()
    policy.require("devices.add_own", session=db, actor=current_user.actor, child_id=child_id)
    if not _is_fresh():
        return _too_late()
    member = current_user.member
    options = passkeys.registration_options(
        session=db,
        rp=relying_party(),
        owner=passkeys.NewPasskeyOwner(
            account_kind=AccountKind.FAMILY,
            account_id=member.id,
            user_handle=member.webauthn_user_handle,
            # Neutral words only: a lock screen or password manager may show them (R9).
            user_name=current_app.config["SAFER_PLAN"].neutral_app_name,
        ),
    )
    return ceremony.options_answer(options)


@blueprint.post("/c/<int:child_id>/devices/new/verify")
@family_limiter.limit(PASSKEY_LIMIT)
def add_verify(child_id: int) -> Response:
    db = request_session()
    actor = current_user.actor
    access = policy.require("devices.add_own", session=db, actor=actor, child_id=child_id)
    if not _is_fresh():
        return _too_late()
    member = current_user.member
    with ceremony.refusing(_("Your phone could not make a key. Try again.")):
        body = ceremony.credential()
        challenge, verified = passkeys.verify_registration(
            session=db, rp=relying_party(), credential=body, account_kind=AccountKind.FAMILY
        )
        # The challenge must have been made for this person here, not for an invitation or anyone else.
        if challenge.account_id != member.id or challenge.invitation_id is not None:
            raise SignInFailed("challenge for another account")
    number = passkeys.device_number(session=db, account_kind=AccountKind.FAMILY, account_id=member.id or 0)
    passkey = passkeys.save_passkey(
        session=db,
        account_kind=AccountKind.FAMILY,
        account_id=member.id or 0,
        verified=verified,
        transports=ceremony.transports(body),
        label=_("Phone or computer %(number)s", number=number),
    )
    record_change(session=db, actor=actor, child_id=child_id, entity="passkey", entity_id=passkey.id, action="created")
    return jsonify(redirect=_after(access, child_id))
