"""R7: passkeys need user verification, the exact origin and RP id, and a credential that belongs to the user."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.people.models import FamilyMember
from app.timeutil import utcnow
from tests.factories import plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient
from tests.support.passkey_flows import (
    RP_ID,
    WRONG_ORIGINS,
    WRONG_RP_IDS,
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
    sign_in_options,
)
from tests.support.soft_authenticator import SoftAuthenticator, b64url


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> None:
    """Jordan's case with his plan started (tests/factories): Sam invites people to it."""
    plans.plan(db, case.child, by=case.worker)


@pytest.fixture
def inviting(as_worker: CsrfClient, case: Case) -> Inviting:
    """`joined` invites people to Jordan's plan as Sam."""
    return Inviting(worker=as_worker, child_id=case.child_id)


# ---------------------------------------------------------------------------------------------
# R7: user verification required, exact origin and RP id, the credential belongs to the user
# ---------------------------------------------------------------------------------------------


def test_r7_options_ask_for_user_verification_and_a_discoverable_key(
    as_worker: CsrfClient, case: Case, family_client: CsrfClient
) -> None:
    token = invite(as_worker, case.child_id)
    creation = registration_options(family_client, token)
    request = sign_in_options(family_client)

    assert creation["rp"]["id"] == RP_ID
    assert creation["authenticatorSelection"]["userVerification"] == "required"
    assert creation["authenticatorSelection"]["residentKey"] == "required"
    assert request["rpId"] == RP_ID
    assert request["userVerification"] == "required"
    assert request.get("allowCredentials", []) == []  # discoverable: the server names no account


def test_r7_user_verification_required_on_registration(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(as_worker, case.child_id)

    response = join(family_client, token, phone, user_verified=False)

    assert refused(response)
    invitation = invitation_for(db, token)
    assert passkeys_of(db, invitation.member_id or 0) == []
    assert invitation.used_at is None
    assert not is_signed_in(family_client)


def test_r7_refused_key_leaves_the_invitation_usable(
    as_worker: CsrfClient, case: Case, db: Session, family_client: CsrfClient, origin: str
) -> None:
    token = invite(as_worker, case.child_id)
    assert refused(join(family_client, token, SoftAuthenticator(origin), user_verified=False))

    retry = join(family_client, token, SoftAuthenticator(origin))

    assert retry.status_code == 200
    assert len(passkeys_of(db, invitation_for(db, token).member_id or 0)) == 1


def test_r7_user_verification_required_on_sign_in(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    browser = new_family_client()

    response = sign_in(browser, jordan.phone, user_verified=False)

    assert refused(response)
    assert not is_signed_in(browser)


# Each attack below loops over its variants inside one test: every attempt gets a fresh challenge,
# and one case per test keeps the suite quick.


def test_r7_wrong_origin_refused_on_registration(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(as_worker, case.child_id)

    for wrong_origin in WRONG_ORIGINS:
        response = join(family_client, token, phone, origin=wrong_origin)
        assert refused(response), wrong_origin

    assert passkeys_of(db, invitation_for(db, token).member_id or 0) == []
    assert not is_signed_in(family_client)


def test_r7_wrong_origin_refused_on_sign_in(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    browser = new_family_client()

    for wrong_origin in WRONG_ORIGINS:
        response = sign_in(browser, jordan.phone, origin=wrong_origin)
        assert refused(response), wrong_origin

    assert not is_signed_in(browser)


def test_r7_wrong_rp_id_refused_on_registration(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(as_worker, case.child_id)

    for wrong_rp_id in WRONG_RP_IDS:
        response = join(family_client, token, phone, rp_id=wrong_rp_id)
        assert refused(response), wrong_rp_id

    assert passkeys_of(db, invitation_for(db, token).member_id or 0) == []
    assert not is_signed_in(family_client)


def test_r7_wrong_rp_id_refused_on_sign_in(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    browser = new_family_client()

    for wrong_rp_id in WRONG_RP_IDS:
        response = sign_in(browser, jordan.phone, rp_id=wrong_rp_id)
        assert refused(response), wrong_rp_id

    assert not is_signed_in(browser)


def test_r7_another_accounts_user_handle_refused(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    mum = joined(role="parent_carer", display_name="Lisa Ellis", relationship="Mum")
    mums_handle = mum.phone.credentials[0].user_handle
    assert mums_handle != jordan.phone.credentials[0].user_handle

    browser = new_family_client()
    response = sign_in(browser, jordan.phone, user_handle=mums_handle)

    assert refused(response)
    assert not is_signed_in(browser)
    # The same phone with its own handle still works: the refusal was about the handle.
    assert sign_in(browser, jordan.phone).status_code == 200


def test_r7_assertion_signed_by_another_key_refused(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    """Jordan's phone signs, but the assertion claims Mum's credential (and handle): the key must match."""
    jordan = joined()
    mum = joined(role="parent_carer", display_name="Lisa Ellis", relationship="Mum")
    mums_key = mum.phone.credentials[0]
    browser = new_family_client()

    assertion = jordan.phone.get(sign_in_options(browser))
    assertion["id"] = assertion["rawId"] = b64url(mums_key.credential_id)
    assertion["response"]["userHandle"] = b64url(mums_key.user_handle)
    response = browser.post("/sign-in/verify", json=assertion)

    assert refused(response)
    assert not is_signed_in(browser)


def test_r7_unknown_credential_refused(
    as_worker: CsrfClient,
    case: Case,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
    new_family_client: NewBrowser,
) -> None:
    """A passkey the phone made but never registered (the verify step was not posted) opens nothing."""
    token = invite(as_worker, case.child_id)
    phone.create(registration_options(family_client, token))
    browser = new_family_client()

    response = sign_in(browser, phone)

    assert refused(response)
    assert not is_signed_in(browser)


def test_r7_revoked_passkey_refused(joined: JoinSomeone, new_family_client: NewBrowser, db: Session) -> None:
    jordan = joined()
    [passkey] = passkeys_of(db, jordan.member_id)
    passkey.revoked_at = utcnow()
    db.add(passkey)
    db.commit()
    browser = new_family_client()

    response = sign_in(browser, jordan.phone)

    assert refused(response)
    assert not is_signed_in(browser)


def test_r7_disabled_member_cannot_sign_in(joined: JoinSomeone, new_family_client: NewBrowser, db: Session) -> None:
    jordan = joined()
    member = db.get(FamilyMember, jordan.member_id)
    assert member is not None
    member.disabled_at = utcnow()
    db.add(member)
    db.commit()
    browser = new_family_client()

    assert refused(sign_in(browser, jordan.phone))
    assert not is_signed_in(browser)
    assert not is_signed_in(jordan.client)  # the session opened at join time ends too


def test_r7_credential_id_already_registered_is_refused(
    joined: JoinSomeone,
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    new_family_client: NewBrowser,
    origin: str,
) -> None:
    """WebAuthn 7.1 step 22: a credential id registered to anyone else must be refused."""
    jordan = joined()
    token = invite(as_worker, case.child_id, role="trusted_adult", display_name="Denise Carter")
    client = new_family_client()

    response = join(client, token, SoftAuthenticator(origin), credential_id=jordan.phone.credentials[0].credential_id)

    assert refused(response)
    assert passkeys_of(db, invitation_for(db, token).member_id or 0) == []
