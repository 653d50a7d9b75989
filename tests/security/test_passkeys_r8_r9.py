"""R8: challenges are stored server-side, single use and short-lived.

R9: nothing the authenticator shows names the topic or the child.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import Session

from app import SaferPlan
from app.auth.models import ChallengePurpose
from app.people.models import FamilyMember
from app.timeutil import utcnow
from tests.factories import plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient
from tests.support.passkey_flows import (
    RP_ID,
    TELLTALE_WORDS,
    Inviting,
    JoinSomeone,
    NewBrowser,
    challenge_row,
    invitation_for,
    invite,
    is_signed_in,
    passkeys_of,
    refused,
    registration_options,
    sign_in,
    sign_in_options,
)
from tests.support.soft_authenticator import SoftAuthenticator, b64url, from_b64url


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> None:
    """Jordan's case with his plan started (tests/factories): Sam invites people to it."""
    plans.plan(db, case.child, by=case.worker)


@pytest.fixture
def inviting(as_worker: CsrfClient, case: Case) -> Inviting:
    """`joined` invites people to Jordan's plan as Sam."""
    return Inviting(worker=as_worker, child_id=case.child_id)


# ---------------------------------------------------------------------------------------------
# R8: challenges stored server-side, single use, expire within 5 minutes
# ---------------------------------------------------------------------------------------------


def test_r8_replayed_assertion_refused(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    # A synced passkey reports sign count 0 every time, so only the single-use challenge can stop this.
    jordan = joined(counts_signatures=False)
    browser = new_family_client()
    assert sign_in(browser, jordan.phone).status_code == 200

    same_browser_again = browser.post("/sign-in/verify", json=jordan.phone.replay())
    attacker = new_family_client()
    from_another_browser = attacker.post("/sign-in/verify", json=jordan.phone.replay())

    assert refused(same_browser_again)
    assert refused(from_another_browser)
    assert not is_signed_in(attacker)


def test_r8_refused_attempt_still_uses_up_the_challenge(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    browser = new_family_client()
    options = sign_in_options(browser)
    assert refused(browser.post("/sign-in/verify", json=jordan.phone.get(options, user_verified=False)))

    second_try = browser.post("/sign-in/verify", json=jordan.phone.get(options))

    assert refused(second_try)
    assert not is_signed_in(browser)


def test_r8_challenge_the_server_never_issued_refused(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    browser = new_family_client()
    made_up = {"challenge": b64url(b"\x00" * 32), "rpId": RP_ID}

    response = browser.post("/sign-in/verify", json=jordan.phone.get(made_up))

    assert refused(response)
    assert not is_signed_in(browser)


def test_r8_challenges_are_stored_hashed_and_expire_within_five_minutes(
    as_worker: CsrfClient, case: Case, db: Session, family_client: CsrfClient
) -> None:
    token = invite(as_worker, case.child_id)
    for options, purpose in [
        (registration_options(family_client, token), ChallengePurpose.REGISTER),
        (sign_in_options(family_client), ChallengePurpose.AUTHENTICATE),
    ]:
        row = challenge_row(db, options)
        assert row.purpose == purpose
        assert row.used_at is None
        assert timedelta(0) < row.expires_at - row.created_at <= timedelta(minutes=5)
        assert options["challenge"] not in row.challenge_hash
        assert len(from_b64url(options["challenge"])) >= 16  # at least 128 bits


def test_r8_expired_challenge_refused_on_sign_in(
    joined: JoinSomeone, new_family_client: NewBrowser, db: Session
) -> None:
    jordan = joined()
    browser = new_family_client()
    options = sign_in_options(browser)
    row = challenge_row(db, options)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()

    response = browser.post("/sign-in/verify", json=jordan.phone.get(options))

    assert refused(response)
    assert not is_signed_in(browser)


def test_r8_expired_challenge_refused_on_registration(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(as_worker, case.child_id)
    options = registration_options(family_client, token)
    row = challenge_row(db, options)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()

    response = family_client.post(f"/join/{token}/verify", json=phone.create(options))

    assert refused(response)
    invitation = invitation_for(db, token)
    assert invitation.used_at is None
    assert passkeys_of(db, invitation.member_id or 0) == []


def test_r8_registration_challenge_cannot_be_used_to_sign_in(
    joined: JoinSomeone, as_worker: CsrfClient, case: Case, new_family_client: NewBrowser
) -> None:
    jordan = joined()
    browser = new_family_client()
    other_token = invite(as_worker, case.child_id, role="trusted_adult", display_name="Denise Carter")
    creation = registration_options(browser, other_token)

    assertion = jordan.phone.get({"challenge": creation["challenge"], "rpId": creation["rp"]["id"]})
    response = browser.post("/sign-in/verify", json=assertion)

    assert refused(response)
    assert not is_signed_in(browser)


def test_r8_sign_in_challenge_cannot_be_used_to_register(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(as_worker, case.child_id)
    creation = registration_options(family_client, token)
    creation["challenge"] = sign_in_options(family_client)["challenge"]

    response = family_client.post(f"/join/{token}/verify", json=phone.create(creation))

    assert refused(response)
    assert passkeys_of(db, invitation_for(db, token).member_id or 0) == []


def test_r8_challenge_from_another_invitation_refused(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    mine = invite(as_worker, case.child_id)
    theirs = invite(as_worker, case.child_id, role="trusted_adult", display_name="Denise Carter")
    credential = phone.create(registration_options(family_client, theirs))

    response = family_client.post(f"/join/{mine}/verify", json=credential)

    assert refused(response)
    for token in (mine, theirs):
        invitation = invitation_for(db, token)
        assert invitation.used_at is None
        assert passkeys_of(db, invitation.member_id or 0) == []


def test_r8_replayed_registration_cannot_join_twice(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
    new_family_client: NewBrowser,
) -> None:
    token = invite(as_worker, case.child_id)
    credential = phone.create(registration_options(family_client, token))
    assert family_client.post(f"/join/{token}/verify", json=credential).status_code == 200

    attacker = new_family_client()
    again = attacker.post(f"/join/{token}/verify", json=credential)

    assert again.status_code == 404
    assert not is_signed_in(attacker)
    assert len(passkeys_of(db, invitation_for(db, token).member_id or 0)) == 1


# ---------------------------------------------------------------------------------------------
# R9: nothing the authenticator shows reveals the topic or the child's name
# ---------------------------------------------------------------------------------------------


INVITED_PEOPLE = [
    ("young_person", "Jordan Ellis", ""),
    ("parent_carer", "Lisa Ellis", "Mum"),
    ("trusted_adult", "Denise Carter", "Aunt Dee"),
]


def test_r9_registration_options_show_only_the_neutral_name(
    application: SaferPlan, as_worker: CsrfClient, case: Case, family_client: CsrfClient
) -> None:
    neutral = application.settings.neutral_app_name
    for word in TELLTALE_WORDS:
        assert word not in neutral.lower(), word

    for role, display_name, relationship in INVITED_PEOPLE:
        token = invite(as_worker, case.child_id, role=role, display_name=display_name, relationship=relationship)
        options = registration_options(family_client, token)

        # The allowlist: the only words an authenticator can show are the neutral app name.
        assert options["rp"]["name"] == neutral
        assert options["user"]["name"] == neutral
        assert options["user"]["displayName"] == neutral
        # Everything else readable in the options (random ids left out), checked for telltale words.
        readable = {k: v for k, v in options.items() if k not in {"challenge", "excludeCredentials"}}
        readable["user"] = {k: v for k, v in options["user"].items() if k != "id"}
        text = json.dumps(readable).lower()
        names = {"jordan", "ellis", *display_name.lower().split(), *relationship.lower().split()}
        for word in [*TELLTALE_WORDS, *names]:
            assert word not in text, (role, word)


def test_r9_user_handle_is_random_and_differs_per_person(
    as_worker: CsrfClient, case: Case, db: Session, family_client: CsrfClient
) -> None:
    first = invite(as_worker, case.child_id)
    second = invite(as_worker, case.child_id, role="parent_carer", display_name="Lisa Ellis")

    handles = []
    for token in (first, second):
        handle = from_b64url(registration_options(family_client, token)["user"]["id"])
        member_id = invitation_for(db, token).member_id or 0
        member = db.get(FamilyMember, member_id)
        assert member is not None
        assert handle == member.webauthn_user_handle  # what sign-in checks the returned handle against
        assert len(handle) >= 16  # 128 bits or more: random, not a counter
        encodings_of_id = {str(member_id).encode(), member_id.to_bytes(8, "big"), member_id.to_bytes(8, "little")}
        assert handle not in encodings_of_id
        assert not handle.startswith(str(member_id).encode() + b":")
        handles.append(handle)
    assert handles[0] != handles[1]
    # Asking again for the same person gives the same handle (one account, one handle).
    assert from_b64url(registration_options(family_client, first)["user"]["id"]) == handles[0]
