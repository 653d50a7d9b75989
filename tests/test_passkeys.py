"""Passkeys through the real endpoints, with a software authenticator (SECURITY.md R7-R10, R12).

Every test goes the way a phone does: a practitioner makes an invitation, the family client asks
for options, the soft authenticator answers, and the answer is posted back as JSON. Nothing in the
app is mocked; the knobs on the authenticator play the broken or hostile client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import AccountKind, ChallengePurpose, Invitation, Passkey, SignInSession, WebAuthnChallenge
from app.auth.sessions import revoke_sessions_for_passkey
from app.auth.tokens import token_hash
from app.demo.seed import DemoPeople
from app.people.models import FamilyMember
from app.timeutil import utcnow
from tests.support.clients import CsrfClient, make_client
from tests.support.soft_authenticator import SoftAuthenticator, b64url, from_b64url

RP_ID = "localhost"
EVIL_ORIGIN = "http://evil.example"

# Origins a browser could report that are not exactly ours: another site, port, scheme or host.
WRONG_ORIGINS = [
    EVIL_ORIGIN,
    "http://localhost:5001",
    "https://localhost:5000",
    "http://sub.localhost:5000",
    "http://localhost:5000.evil.example",
]
WRONG_RP_IDS = ["evil.example", "sub.localhost", "localhost.evil.example"]

# Words that would tell someone glancing at a lock screen or password manager what this app is.
TELLTALE_WORDS = [
    "safer", "safe", "safeguard", "exploit", "plan", "social", "abuse", "risk", "harm", "police",
    "child", "young", "care", "worker", "council",
]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Helpers: the steps a browser takes, and what the database says afterwards
# ---------------------------------------------------------------------------------------------


@dataclass
class Joined:
    """A family member who joined from an invitation: their phone, their signed-in client, their id."""

    client: CsrfClient
    phone: SoftAuthenticator
    token: str
    member_id: int


NewBrowser = Callable[[], CsrfClient]
JoinSomeone = Callable[..., Joined]


def invite(
    worker: CsrfClient,
    child_id: int,
    *,
    role: str = "young_person",
    display_name: str = "Jordan",
    relationship: str = "",
) -> str:
    """A practitioner creates an invitation; returns the raw token from the link on the page."""
    page = worker.post(
        f"/children/{child_id}/invitations",
        data={"role": role, "display_name": display_name, "relationship": relationship},
    )
    assert page.status_code == 200, page.status_code
    match = re.search(r"/join/([A-Za-z0-9_-]+)", page.get_data(as_text=True))
    assert match, "the invitation page shows no /join/<token> link"
    return match.group(1)


def registration_options(client: CsrfClient, token: str) -> dict[str, Any]:
    response = client.post(f"/join/{token}/options")
    assert response.status_code == 200, response.status_code
    options: dict[str, Any] = response.get_json()
    return options


def sign_in_options(client: CsrfClient) -> dict[str, Any]:
    response = client.post("/sign-in/options")
    assert response.status_code == 200, response.status_code
    options: dict[str, Any] = response.get_json()
    return options


def join(client: CsrfClient, token: str, phone: SoftAuthenticator, **knobs: Any) -> Any:
    """Open options, let the phone make a passkey, post it; returns the verify response."""
    credential = phone.create(registration_options(client, token), **knobs)
    return client.post(f"/join/{token}/verify", json=credential)


def sign_in(client: CsrfClient, phone: SoftAuthenticator, **knobs: Any) -> Any:
    """Ask for a challenge, let the phone sign it, post the assertion; returns the verify response."""
    assertion = phone.get(sign_in_options(client), **knobs)
    return client.post("/sign-in/verify", json=assertion)


def is_signed_in(client: CsrfClient) -> bool:
    """What a browser sees on /: the plan (signed in) or a redirect to the sign-in page."""
    response = client.get("/", headers={"Accept": "text/html"})
    if response.status_code == 302:
        assert response.headers["Location"].endswith("/sign-in")
        return False
    assert response.status_code == 200, response.status_code
    return True


def invitation_for(db: Session, token: str) -> Invitation:
    db.expire_all()
    return db.exec(select(Invitation).where(Invitation.token_hash == token_hash(token))).one()


def passkeys_of(db: Session, member_id: int) -> list[Passkey]:
    db.expire_all()
    return list(
        db.exec(
            select(Passkey).where(Passkey.account_kind == AccountKind.FAMILY, Passkey.account_id == member_id)
        ).all()
    )


def challenge_row(db: Session, options: dict[str, Any]) -> WebAuthnChallenge:
    db.expire_all()
    return db.exec(
        select(WebAuthnChallenge).where(
            WebAuthnChallenge.challenge_hash == token_hash(from_b64url(options["challenge"]))
        )
    ).one()


def refused(response: Any) -> bool:
    """A 400 with a JSON error and no redirect: the ceremony was refused, not crashed."""
    body = response.get_json(silent=True) or {}
    return response.status_code == 400 and "error" in body and "redirect" not in body


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def family_app(application: SaferPlan) -> Flask:
    return application.family


@pytest.fixture
def origin(application: SaferPlan) -> str:
    return application.settings.public_origin


@pytest.fixture
def phone(origin: str) -> SoftAuthenticator:
    return SoftAuthenticator(origin)


@pytest.fixture
def new_family_client(family_app: Flask) -> NewBrowser:
    """Make another browser: each has its own cookie jar."""
    return lambda: make_client(family_app)


@pytest.fixture
def joined(
    allocated_worker: CsrfClient, demo: DemoPeople, db: Session, origin: str, new_family_client: NewBrowser
) -> JoinSomeone:
    """Invite someone for Jordan and have them join on a new phone; returns a `Joined`."""

    def make(
        *,
        role: str = "young_person",
        display_name: str = "Jordan",
        relationship: str = "",
        counts_signatures: bool = True,
    ) -> Joined:
        token = invite(
            allocated_worker, demo.jordan_id, role=role, display_name=display_name, relationship=relationship
        )
        client = new_family_client()
        phone = SoftAuthenticator(origin, counts_signatures=counts_signatures)
        response = join(client, token, phone)
        assert response.status_code == 200, response.get_json()
        member_id = invitation_for(db, token).member_id
        assert member_id is not None
        return Joined(client=client, phone=phone, token=token, member_id=member_id)

    return make


# ---------------------------------------------------------------------------------------------
# The happy path: join from an invitation, then sign in again on a fresh browser
# ---------------------------------------------------------------------------------------------


def test_join_from_invitation_then_sign_in_with_the_passkey(
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
    new_family_client: NewBrowser,
) -> None:
    token = invite(allocated_worker, demo.jordan_id, display_name="Jordan", relationship="")
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
# R7: user verification required, exact origin and RP id, the credential belongs to the user
# ---------------------------------------------------------------------------------------------


def test_r7_options_ask_for_user_verification_and_a_discoverable_key(
    allocated_worker: CsrfClient, demo: DemoPeople, family_client: CsrfClient
) -> None:
    token = invite(allocated_worker, demo.jordan_id)
    creation = registration_options(family_client, token)
    request = sign_in_options(family_client)

    assert creation["rp"]["id"] == RP_ID
    assert creation["authenticatorSelection"]["userVerification"] == "required"
    assert creation["authenticatorSelection"]["residentKey"] == "required"
    assert request["rpId"] == RP_ID
    assert request["userVerification"] == "required"
    assert request.get("allowCredentials", []) == []  # discoverable: the server names no account


def test_r7_user_verification_required_on_registration(
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(allocated_worker, demo.jordan_id)

    response = join(family_client, token, phone, user_verified=False)

    assert refused(response)
    invitation = invitation_for(db, token)
    assert passkeys_of(db, invitation.member_id or 0) == []
    assert invitation.used_at is None
    assert not is_signed_in(family_client)


def test_r7_refused_key_leaves_the_invitation_usable(
    allocated_worker: CsrfClient, demo: DemoPeople, db: Session, family_client: CsrfClient, origin: str
) -> None:
    token = invite(allocated_worker, demo.jordan_id)
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
# and one demo database per test keeps the suite quick (loading it hashes three passwords).


def test_r7_wrong_origin_refused_on_registration(
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(allocated_worker, demo.jordan_id)

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
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(allocated_worker, demo.jordan_id)

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
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
    new_family_client: NewBrowser,
) -> None:
    """A passkey the phone made but never registered (the verify step was not posted) opens nothing."""
    token = invite(allocated_worker, demo.jordan_id)
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
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    new_family_client: NewBrowser,
    origin: str,
) -> None:
    """WebAuthn 7.1 step 22: a credential id registered to anyone else must be refused."""
    jordan = joined()
    token = invite(allocated_worker, demo.jordan_id, role="trusted_adult", display_name="Denise Carter")
    client = new_family_client()

    response = join(client, token, SoftAuthenticator(origin), credential_id=jordan.phone.credentials[0].credential_id)

    assert refused(response)
    assert passkeys_of(db, invitation_for(db, token).member_id or 0) == []


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
    allocated_worker: CsrfClient, demo: DemoPeople, db: Session, family_client: CsrfClient
) -> None:
    token = invite(allocated_worker, demo.jordan_id)
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
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(allocated_worker, demo.jordan_id)
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
    joined: JoinSomeone, allocated_worker: CsrfClient, demo: DemoPeople, new_family_client: NewBrowser
) -> None:
    jordan = joined()
    browser = new_family_client()
    other_token = invite(allocated_worker, demo.jordan_id, role="trusted_adult", display_name="Denise Carter")
    creation = registration_options(browser, other_token)

    assertion = jordan.phone.get({"challenge": creation["challenge"], "rpId": creation["rp"]["id"]})
    response = browser.post("/sign-in/verify", json=assertion)

    assert refused(response)
    assert not is_signed_in(browser)


def test_r8_sign_in_challenge_cannot_be_used_to_register(
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(allocated_worker, demo.jordan_id)
    creation = registration_options(family_client, token)
    creation["challenge"] = sign_in_options(family_client)["challenge"]

    response = family_client.post(f"/join/{token}/verify", json=phone.create(creation))

    assert refused(response)
    assert passkeys_of(db, invitation_for(db, token).member_id or 0) == []


def test_r8_challenge_from_another_invitation_refused(
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    mine = invite(allocated_worker, demo.jordan_id)
    theirs = invite(allocated_worker, demo.jordan_id, role="trusted_adult", display_name="Denise Carter")
    credential = phone.create(registration_options(family_client, theirs))

    response = family_client.post(f"/join/{mine}/verify", json=credential)

    assert refused(response)
    for token in (mine, theirs):
        invitation = invitation_for(db, token)
        assert invitation.used_at is None
        assert passkeys_of(db, invitation.member_id or 0) == []


def test_r8_replayed_registration_cannot_join_twice(
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
    new_family_client: NewBrowser,
) -> None:
    token = invite(allocated_worker, demo.jordan_id)
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
    application: SaferPlan, allocated_worker: CsrfClient, demo: DemoPeople, family_client: CsrfClient
) -> None:
    neutral = application.settings.neutral_app_name
    for word in TELLTALE_WORDS:
        assert word not in neutral.lower(), word

    for role, display_name, relationship in INVITED_PEOPLE:
        token = invite(
            allocated_worker, demo.jordan_id, role=role, display_name=display_name, relationship=relationship
        )
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
    allocated_worker: CsrfClient, demo: DemoPeople, db: Session, family_client: CsrfClient
) -> None:
    first = invite(allocated_worker, demo.jordan_id)
    second = invite(allocated_worker, demo.jordan_id, role="parent_carer", display_name="Lisa Ellis")

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
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(allocated_worker, demo.jordan_id)
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
    allocated_worker: CsrfClient, demo: DemoPeople, db: Session, family_client: CsrfClient
) -> None:
    token = invite(allocated_worker, demo.jordan_id)
    invitation = invitation_for(db, token)
    invitation.cancelled_at = utcnow()
    db.add(invitation)
    db.commit()

    assert family_client.get(f"/join/{token}").status_code == 404
    assert family_client.post(f"/join/{token}/options").status_code == 404


def test_made_up_invitation_is_not_found(family_client: CsrfClient, demo: DemoPeople) -> None:
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
# R23: odd input to the ceremonies is refused, never a server error
# ---------------------------------------------------------------------------------------------


NOT_OBJECTS = [[], ["id"], "credential", 42, True, None]


def test_r23_sign_in_with_a_body_that_is_not_an_object_is_refused(family_client: CsrfClient, demo: DemoPeople) -> None:
    for body in NOT_OBJECTS:
        response = family_client.post("/sign-in/verify", data=json.dumps(body), content_type="application/json")
        assert refused(response), body
    assert refused(family_client.post("/sign-in/verify", data="{not json", content_type="application/json"))


def test_r23_registration_with_a_body_that_is_not_an_object_is_refused(
    allocated_worker: CsrfClient, demo: DemoPeople, family_client: CsrfClient
) -> None:
    token = invite(allocated_worker, demo.jordan_id)

    for body in NOT_OBJECTS:
        response = family_client.post(f"/join/{token}/verify", data=json.dumps(body), content_type="application/json")
        assert refused(response), body


def test_r23_registration_with_a_bad_credential_field_is_refused(
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(allocated_worker, demo.jordan_id)

    for field in ("type", "authenticatorAttachment"):
        credential = phone.create(registration_options(family_client, token))
        credential[field] = "something-else"
        response = family_client.post(f"/join/{token}/verify", json=credential)
        assert refused(response), field

    assert passkeys_of(db, invitation_for(db, token).member_id or 0) == []


def test_r23_sign_in_with_a_bad_credential_field_is_refused(joined: JoinSomeone, new_family_client: NewBrowser) -> None:
    jordan = joined()
    browser = new_family_client()

    for field in ("type", "authenticatorAttachment"):
        assertion = jordan.phone.get(sign_in_options(browser))
        assertion[field] = "something-else"
        response = browser.post("/sign-in/verify", json=assertion)
        assert refused(response), field

    assert not is_signed_in(browser)
