"""Joining from an invitation and signing in again with the passkey.

Invitations run out, and sessions end for real (R10, R12).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlmodel import Session, select

from app.auth.models import AccountKind, SignInSession
from app.auth.sessions import revoke_sessions_for_passkey
from app.auth.tokens import token_hash
from app.timeutil import utcnow
from tests.factories import plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient
from tests.support.passkey_flows import (
    Inviting,
    JoinSomeone,
    NewBrowser,
    invitation_for,
    invite,
    is_signed_in,
    join,
    passkeys_of,
    refused,
    registration_options,
    sign_in,
)
from tests.support.soft_authenticator import SoftAuthenticator


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> None:
    """Jordan's plan is started, so Sam can invite people to it."""
    plans.plan(db, case.child, by=case.worker)


@pytest.fixture
def inviting(as_worker: CsrfClient, case: Case) -> Inviting:
    """`joined` invites people to Jordan's plan as Sam."""
    return Inviting(worker=as_worker, child_id=case.child.id or 0)


# ---------------------------------------------------------------------------------------------
# The happy path: join from an invitation, then sign in again on a fresh browser
# ---------------------------------------------------------------------------------------------


def test_join_from_invitation_then_sign_in_with_the_passkey(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
    new_family_client: NewBrowser,
) -> None:
    token = invite(as_worker, case.child.id or 0, display_name="Jordan", relationship="")
    assert family_client.get(f"/join/{token}").status_code == 200

    joined_response = join(family_client, token, phone)

    assert joined_response.status_code == 200
    assert joined_response.get_json() == {"redirect": "/"}
    home = family_client.get("/")
    assert home.status_code == 200
    assert "Hi Jordan" in home.get_data(as_text=True)

    invitation = invitation_for(db, token)
    assert invitation.used_at is not None
    [passkey] = passkeys_of(db, invitation.member_id or 0)
    assert passkey.credential_id == phone.credentials[0].credential_id
    assert passkey.revoked_at is None
    assert passkey.transports == "internal,hybrid"
    # Named like every later key, and "last used" now: it has just signed this phone in.
    assert passkey.label == "Phone or computer 1" and passkey.last_used_at is not None

    browser = new_family_client()
    assert not is_signed_in(browser)
    signed_in = sign_in(browser, phone)

    assert signed_in.status_code == 200
    assert signed_in.get_json() == {"redirect": "/"}
    page = browser.get("/")
    assert page.status_code == 200
    assert "Hi Jordan" in page.get_data(as_text=True)
    [passkey] = passkeys_of(db, invitation.member_id or 0)
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None


def test_each_person_signs_in_to_their_own_account(
    joined: JoinSomeone, new_family_client: NewBrowser, db: Session
) -> None:
    joined(display_name="Jordan")
    mum = joined(role="parent_carer", display_name="Lisa Ellis", relationship="Mum")

    browser = new_family_client()
    assert sign_in(browser, mum.phone).status_code == 200

    assert "Hi Jordan" not in browser.get("/").get_data(as_text=True)  # a carer's view, not Jordan's own
    with browser.session_transaction() as cookie:
        raw = cookie["_user_id"]
    db.expire_all()
    record = db.exec(select(SignInSession).where(SignInSession.token_hash == token_hash(raw))).one()
    [mums_passkey] = passkeys_of(db, mum.member_id)
    assert (record.account_kind, record.account_id, record.passkey_id) == (
        AccountKind.FAMILY,
        mum.member_id,
        mums_passkey.id,
    )


# ---------------------------------------------------------------------------------------------
# Invitations: one use, and they run out
# ---------------------------------------------------------------------------------------------


def test_invitation_link_works_once(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    someone_else = new_family_client()

    assert someone_else.get(f"/join/{jordan.token}").status_code == 404
    assert someone_else.post(f"/join/{jordan.token}/options").status_code == 404
    assert jordan.client.get(f"/join/{jordan.token}").status_code == 404


def test_expired_invitation_is_not_found(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(as_worker, case.child.id or 0)
    options = registration_options(family_client, token)  # opened in time, finished too late
    invitation = invitation_for(db, token)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.add(invitation)
    db.commit()

    assert family_client.get(f"/join/{token}").status_code == 404
    assert family_client.post(f"/join/{token}/options").status_code == 404
    assert family_client.post(f"/join/{token}/verify", json=phone.create(options)).status_code == 404
    assert passkeys_of(db, invitation.member_id or 0) == []


def test_cancelled_invitation_is_not_found(
    as_worker: CsrfClient, case: Case, db: Session, family_client: CsrfClient
) -> None:
    token = invite(as_worker, case.child.id or 0)
    invitation = invitation_for(db, token)
    invitation.cancelled_at = utcnow()
    db.add(invitation)
    db.commit()

    assert family_client.get(f"/join/{token}").status_code == 404
    assert family_client.post(f"/join/{token}/options").status_code == 404


def test_made_up_invitation_is_not_found(family_client: CsrfClient) -> None:
    assert family_client.get("/join/not-a-real-token").status_code == 404
    assert family_client.post("/join/not-a-real-token/options").status_code == 404


# ---------------------------------------------------------------------------------------------
# R10 and R12: sessions end for real
# ---------------------------------------------------------------------------------------------


def test_r12_copied_cookie_rejected_after_sign_out(
    joined: JoinSomeone, family_app: Flask, new_family_client: NewBrowser
) -> None:
    jordan = joined()
    cookie_name = family_app.config["SESSION_COOKIE_NAME"]
    jordan.client.csrf_token()  # what the page would do before posting sign-out
    cookie = jordan.client.get_cookie(cookie_name)
    assert cookie is not None
    copy = new_family_client()
    copy.set_cookie(cookie_name, cookie.value)
    assert is_signed_in(copy)  # the copy really is a working session before sign-out

    signed_out = jordan.client.post("/sign-out")

    assert signed_out.status_code == 302
    assert not is_signed_in(jordan.client)
    assert not is_signed_in(copy)


def test_r12_sign_in_starts_a_new_session(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    browser = new_family_client()
    browser.csrf_token()  # an anonymous session with its own CSRF secret
    with browser.session_transaction() as before:
        anonymous = dict(before)

    assert sign_in(browser, jordan.phone).status_code == 200
    with browser.session_transaction() as after:
        first = after["_user_id"]
        assert after.get("csrf_token") != anonymous["csrf_token"]
    assert sign_in(browser, jordan.phone).status_code == 200
    with browser.session_transaction() as again:
        assert again["_user_id"] != first
    with jordan.client.session_transaction() as joined_session:
        assert joined_session["_user_id"] not in {first, again["_user_id"]}


def test_r10_sessions_opened_with_a_revoked_passkey_end(
    joined: JoinSomeone, new_family_client: NewBrowser, db: Session
) -> None:
    """The building blocks of 'lost phone': revoke the passkey and the sessions opened with it."""
    jordan = joined()
    browser = new_family_client()
    assert sign_in(browser, jordan.phone).status_code == 200
    [passkey] = passkeys_of(db, jordan.member_id)

    passkey.revoked_at = utcnow()
    db.add(passkey)
    ended = revoke_sessions_for_passkey(session=db, passkey_id=passkey.id or 0)
    db.commit()

    assert ended == 2  # the session from joining and the one from signing in
    assert not is_signed_in(jordan.client)
    assert not is_signed_in(browser)
    assert refused(sign_in(new_family_client(), jordan.phone))


# ---------------------------------------------------------------------------------------------
