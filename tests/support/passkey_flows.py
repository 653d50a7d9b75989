"""Passkey ceremonies the way a phone goes through them, for the passkey tests (R7-R10, R12, R23).

A practitioner makes an invitation, the family client asks for options, the software authenticator
answers, and the answer is posted back as JSON. Nothing in the app is mocked; the knobs on the
authenticator play the broken or hostile client. A pytest plugin (tests/conftest.py loads it) for
its fixtures.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import AccountKind, Invitation, Passkey, WebAuthnChallenge
from app.auth.tokens import token_hash
from app.demo.seed import DemoPeople
from tests.support.clients import CsrfClient, make_client
from tests.support.soft_authenticator import SoftAuthenticator, from_b64url

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


@dataclass(frozen=True)
class Inviting:
    """Who sends the invitations `joined` makes, and to whose plan."""

    worker: CsrfClient
    child_id: int


@pytest.fixture
def inviting(allocated_worker: CsrfClient, demo: DemoPeople) -> Inviting:
    """Sam, to Jordan's plan in the demo. A test module that builds its own case with
    tests/factories overrides this fixture with its own worker and child."""
    return Inviting(worker=allocated_worker, child_id=demo.jordan_id)


@pytest.fixture
def joined(inviting: Inviting, db: Session, origin: str, new_family_client: NewBrowser) -> JoinSomeone:
    """Invite someone for Jordan and have them join on a new phone; returns a `Joined`."""

    def make(
        *,
        role: str = "young_person",
        display_name: str = "Jordan",
        relationship: str = "",
        counts_signatures: bool = True,
    ) -> Joined:
        token = invite(
            inviting.worker, inviting.child_id, role=role, display_name=display_name, relationship=relationship
        )
        client = new_family_client()
        phone = SoftAuthenticator(origin, counts_signatures=counts_signatures)
        response = join(client, token, phone)
        assert response.status_code == 200, response.get_json()
        member_id = invitation_for(db, token).member_id
        assert member_id is not None
        return Joined(client=client, phone=phone, token=token, member_id=member_id)

    return make
