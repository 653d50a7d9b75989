"""R23: odd input to the passkey ceremonies is refused, never a server error."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

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
    passkeys_of,
    refused,
    registration_options,
    sign_in_options,
)
from tests.support.soft_authenticator import SoftAuthenticator

# R23: odd input to the ceremonies is refused, never a server error


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> None:
    """Jordan's case with his plan started (tests/factories): Sam invites people to it."""
    plans.plan(db, case.child, by=case.worker)


@pytest.fixture
def inviting(as_worker: CsrfClient, case: Case) -> Inviting:
    """`joined` invites people to Jordan's plan as Sam."""
    return Inviting(worker=as_worker, child_id=case.child_id)


# ---------------------------------------------------------------------------------------------


NOT_OBJECTS = [[], ["id"], "credential", 42, True, None]


def test_r23_sign_in_with_a_body_that_is_not_an_object_is_refused(family_client: CsrfClient, case: Case) -> None:
    for body in NOT_OBJECTS:
        response = family_client.post("/sign-in/verify", data=json.dumps(body), content_type="application/json")
        assert refused(response), body
    assert refused(family_client.post("/sign-in/verify", data="{not json", content_type="application/json"))


def test_r23_registration_with_a_body_that_is_not_an_object_is_refused(
    as_worker: CsrfClient, case: Case, family_client: CsrfClient
) -> None:
    token = invite(as_worker, case.child_id)

    for body in NOT_OBJECTS:
        response = family_client.post(f"/join/{token}/verify", data=json.dumps(body), content_type="application/json")
        assert refused(response), body


def test_r23_registration_with_a_bad_credential_field_is_refused(
    as_worker: CsrfClient,
    case: Case,
    db: Session,
    family_client: CsrfClient,
    phone: SoftAuthenticator,
) -> None:
    token = invite(as_worker, case.child_id)

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
