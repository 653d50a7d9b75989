"""Family-side pages: sign in with a passkey, join from an invitation, see my plan, quick exit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import invitations, passkeys
from app.auth.models import AccountKind
from app.db import request_session
from app.errors import NotFound, SignInFailed
from app.family.plan_page import plan_page_answer
from app.people.models import FamilyMember
from app.people.queries import children_of_family_member
from app.push.operations import forget_session
from app.web import ceremony, signin
from app.web.ceremony import relying_party
from app.web.limits import PASSKEY_LIMIT, family_limiter
from app.web.users import FamilyUser

blueprint = Blueprint("family", __name__)

# Where quick exit lands: an ordinary, busy, neutral page (R16).
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def _user_handle_of(account_id: int) -> bytes | None:
    member = request_session().get(FamilyMember, account_id)
    return member.webauthn_user_handle if member is not None else None


@blueprint.get("/")
def home() -> Any:
    """My plan (the first child linked to me; nearly everyone has exactly one)."""
    links = children_of_family_member(session=request_session(), actor=current_user.actor)
    if not links:
        return render_template("family/no_plan.html")
    if len(links) > 1:
        return render_template("family/choose_child.html", links=links)
    child, _link = links[0]
    return plan_page_answer(child.id or 0, request.args)


@blueprint.get("/c/<int:child_id>")
def plan(child_id: int) -> Any:
    """The plan as this person may see it (?add=... opens one of the co-writing forms)."""
    return plan_page_answer(child_id, request.args)


@blueprint.get("/sign-in")
def sign_in() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("family.home"))
    return render_template("family/sign_in.html")


@blueprint.post("/sign-in/options")
@family_limiter.limit(PASSKEY_LIMIT)
def sign_in_options() -> Response:
    return ceremony.options_answer(
        passkeys.authentication_options(session=request_session(), rp=relying_party(), account_kind=AccountKind.FAMILY)
    )


@blueprint.post("/sign-in/verify")
@family_limiter.limit(PASSKEY_LIMIT)
def sign_in_verify() -> Response:
    db = request_session()
    with ceremony.refusing(_("That key did not work. Try again, or ask your worker for a new link.")):
        passkey = passkeys.verify_authentication(
            session=db,
            rp=relying_party(),
            credential=ceremony.credential(),
            account_kind=AccountKind.FAMILY,
            user_handle_of=_user_handle_of,
        )
        member = db.get(FamilyMember, passkey.account_id)
        if member is None or member.disabled_at is not None:
            raise SignInFailed("no such member, or switched off")
    signin.begin(
        account_kind=AccountKind.FAMILY,
        account_id=member.id or 0,
        passkey_id=passkey.id,
        make_user=lambda record, raw: FamilyUser(member, record, raw),
    )
    return jsonify(redirect=url_for("family.home"))


@blueprint.get("/join/<token>")
def join(token: str) -> Any:
    """Open an invitation: explain what happens, then make a passkey."""
    try:
        invitation = invitations.open_invitation(session=request_session(), raw_token=token)
    except NotFound:
        return render_template("family/join_expired.html"), 404
    return render_template("family/join.html", invitation=invitation, token=token)


@blueprint.post("/join/<token>/options")
@family_limiter.limit(PASSKEY_LIMIT)
def join_options(token: str) -> Response:
    db = request_session()
    invitation = invitations.open_invitation(session=db, raw_token=token)
    member = db.get(FamilyMember, invitation.member_id)
    if member is None:
        raise NotFound()
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
        invitation_id=invitation.id,
    )
    return ceremony.options_answer(options)


@blueprint.post("/join/<token>/verify")
@family_limiter.limit(PASSKEY_LIMIT)
def join_verify(token: str) -> Response:
    db = request_session()
    invitation = invitations.open_invitation(session=db, raw_token=token)
    with ceremony.refusing(_("Your phone could not make a key. Try again.")):
        body = ceremony.credential()
        challenge, verified = passkeys.verify_registration(
            session=db, rp=relying_party(), credential=body, account_kind=AccountKind.FAMILY
        )
        if challenge.invitation_id != invitation.id:
            raise SignInFailed("challenge from another invitation")
    member, passkey = invitations.redeem_invitation(
        session=db,
        invitation=invitation,
        verified=verified,
        transports=ceremony.transports(body),
        label=_(
            "Phone or computer %(number)s",
            number=passkeys.device_number(
                session=db, account_kind=AccountKind.FAMILY, account_id=invitation.member_id or 0
            ),
        ),
    )
    signin.begin(
        account_kind=AccountKind.FAMILY,
        account_id=member.id or 0,
        passkey_id=passkey.id,
        make_user=lambda record, raw: FamilyUser(member, record, raw),
    )
    return jsonify(redirect=url_for("family.home"))


def _end_session_here() -> None:
    """Sign this phone out server-side, and stop notices to it (its worker is wiped too)."""
    record = getattr(current_user, "record", None)
    if record is not None and record.id is not None:
        forget_session(session=request_session(), session_id=record.id)
    signin.end(current_user)


@blueprint.post("/sign-out")
def sign_out() -> Any:
    _end_session_here()
    response = redirect(url_for("family.sign_in"))
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@blueprint.get("/exit")
def quick_exit() -> Any:
    """Leave at once: end the session server-side, wipe this site's data, show a neutral page.

    A plain link (GET) so it works without JavaScript; the cookie is SameSite=Strict, so another
    site cannot use this link to sign someone out.
    """
    if current_user.is_authenticated:
        _end_session_here()
    response = redirect(NEUTRAL_SITE, code=303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
