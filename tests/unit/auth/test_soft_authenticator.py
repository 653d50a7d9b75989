"""The soft authenticator itself: py_webauthn accepts what it makes, and each knob breaks one thing only.

Without these, a refusal in the passkey tests (tests/security/test_passkeys_*.py) could come from
a broken test tool rather than from the rule the test names.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from tests.support.soft_authenticator import AuthenticatorRefused, SoftAuthenticator, b64url, from_b64url

ORIGIN = "http://localhost:5000"
RP_ID = "localhost"
HANDLE = b"\x01" * 32


def _creation_options(exclude: list[bytes] | None = None) -> dict[str, Any]:
    options = generate_registration_options(
        rp_id=RP_ID,
        rp_name="Daybook",
        user_id=HANDLE,
        user_name="Daybook",
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.REQUIRED
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=i) for i in exclude or []],
    )
    parsed: dict[str, Any] = json.loads(options_to_json(options))
    return parsed


def _request_options() -> dict[str, Any]:
    options = generate_authentication_options(rp_id=RP_ID, user_verification=UserVerificationRequirement.REQUIRED)
    parsed: dict[str, Any] = json.loads(options_to_json(options))
    return parsed


def _register(credential: dict[str, Any], options: dict[str, Any], *, require_uv: bool = True) -> Any:
    return verify_registration_response(
        credential=credential,
        expected_challenge=from_b64url(options["challenge"]),
        expected_rp_id=RP_ID,
        expected_origin=ORIGIN,
        require_user_verification=require_uv,
    )


def _authenticate(assertion: dict[str, Any], options: dict[str, Any], public_key: bytes, count: int) -> Any:
    return verify_authentication_response(
        credential=assertion,
        expected_challenge=from_b64url(options["challenge"]),
        expected_rp_id=RP_ID,
        expected_origin=ORIGIN,
        credential_public_key=public_key,
        credential_current_sign_count=count,
        require_user_verification=True,
    )


def test_registration_and_assertion_verify_with_py_webauthn() -> None:
    phone = SoftAuthenticator(ORIGIN)
    creation = _creation_options()
    credential = phone.create(creation)

    registered = _register(credential, creation)

    assert registered.user_verified
    assert registered.fmt == "none"
    assert registered.credential_id == phone.credentials[0].credential_id
    assert credential["id"] == credential["rawId"] == b64url(registered.credential_id)
    assert "=" not in json.dumps(credential)  # base64url without padding throughout

    request = _request_options()
    assertion = phone.get(request)
    authenticated = _authenticate(assertion, request, registered.credential_public_key, registered.sign_count)
    assert authenticated.new_sign_count == 1
    assert from_b64url(assertion["response"]["userHandle"]) == HANDLE


def test_user_verified_off_clears_only_the_uv_flag() -> None:
    phone = SoftAuthenticator(ORIGIN)
    creation = _creation_options()
    credential = phone.create(creation, user_verified=False)

    with pytest.raises(InvalidRegistrationResponse, match="User verification"):
        _register(credential, creation)
    registered = _register(credential, creation, require_uv=False)

    request = _request_options()
    with pytest.raises(InvalidAuthenticationResponse, match="User verification"):
        _authenticate(phone.get(request, user_verified=False), request, registered.credential_public_key, 0)


@pytest.mark.parametrize(
    ("knob", "message"),
    [({"origin": "http://evil.example"}, "origin"), ({"rp_id": "evil"}, "RP ID")],
    ids=["origin", "rp_id"],
)
def test_origin_and_rp_id_overrides_break_only_that_check(knob: dict[str, Any], message: str) -> None:
    phone = SoftAuthenticator(ORIGIN)
    creation = _creation_options()
    with pytest.raises(InvalidRegistrationResponse, match=message):
        _register(phone.create(creation, **knob), creation)

    registered = _register(phone.create(creation), creation)  # the phone now holds two keys: name one
    request = _request_options()
    with pytest.raises(InvalidAuthenticationResponse, match=message):
        _authenticate(
            phone.get(request, credential_id=registered.credential_id, **knob),
            request,
            registered.credential_public_key,
            0,
        )


def test_user_handle_override_and_replay() -> None:
    phone = SoftAuthenticator(ORIGIN, counts_signatures=False)
    phone.create(_creation_options())

    assertion = phone.get(_request_options(), user_handle=b"someone else")

    assert from_b64url(assertion["response"]["userHandle"]) == b"someone else"
    assert phone.replay() == assertion
    assert phone.credentials[0].sign_count == 0  # a synced passkey's counter stays at 0


def test_refuses_what_a_real_authenticator_refuses() -> None:
    phone = SoftAuthenticator(ORIGIN)
    with pytest.raises(AuthenticatorRefused):
        phone.replay()
    with pytest.raises(AuthenticatorRefused):
        phone.get(_request_options())  # no passkey for this RP yet
    phone.create(_creation_options())
    with pytest.raises(AuthenticatorRefused):
        phone.create(_creation_options(exclude=[phone.credentials[0].credential_id]))
    with pytest.raises(AuthenticatorRefused):
        phone.get({**_request_options(), "rpId": "elsewhere.example"})
