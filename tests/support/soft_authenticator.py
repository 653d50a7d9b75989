"""A software WebAuthn authenticator for tests: a phone's passkey store, in a few lines of Python.

It reads the options JSON our server sends (the input of `PublicKeyCredential.parseCreationOptionsFromJSON`
and `parseRequestOptionsFromJSON`) and returns what the browser would post back (the output of
`PublicKeyCredential.toJSON()`), with base64url fields and no padding.

Keys are EC P-256 (ES256), attestation is "none", and every credential is discoverable (a passkey).
The knobs on `create` and `get` let a test play a broken or hostile client: no user verification,
another origin, another RP id, another account's user handle, or an assertion sent twice (`replay`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

# Authenticator data flags (WebAuthn level 3, section 6.1).
FLAG_USER_PRESENT = 0x01
FLAG_USER_VERIFIED = 0x04
FLAG_ATTESTED_CREDENTIAL_DATA = 0x40

ES256 = -7
# A made-up AAGUID: "none" attestation says nothing about the make of authenticator anyway.
AAGUID = bytes.fromhex("5e7f0a11ce5e4ea9a5b1d0c0ffee0001")
TRANSPORTS = ["internal", "hybrid"]


def b64url(data: bytes) -> str:
    """base64url without padding, as WebAuthn's JSON forms use."""
    return urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class AuthenticatorRefused(Exception):
    """The authenticator would not make or use a credential (a browser raises a DOMException)."""


@dataclass
class StoredCredential:
    """One discoverable credential, as the phone keeps it."""

    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


class SoftAuthenticator:
    """A platform authenticator plus the browser's part (clientDataJSON) for one origin.

    `counts_signatures=False` behaves like synced passkeys, which always report a sign count of 0:
    then only the server's single-use challenge stops a replayed assertion.
    """

    def __init__(self, origin: str, *, counts_signatures: bool = True) -> None:
        self.origin = origin
        self.counts_signatures = counts_signatures
        self.credentials: list[StoredCredential] = []
        self.last_assertion: dict[str, Any] | None = None

    # navigator.credentials.create()

    def create(
        self,
        options: Mapping[str, Any],
        *,
        user_verified: bool = True,
        origin: str | None = None,
        rp_id: str | None = None,
        credential_id: bytes | None = None,
    ) -> dict[str, Any]:
        """Make a passkey from registration options; returns RegistrationResponseJSON.

        `origin` and `rp_id` replace the real ones in clientDataJSON and authenticatorData, as a
        phishing page or a confused client would; `credential_id` picks the new credential's id.
        """
        if not any(param.get("alg") == ES256 for param in options["pubKeyCredParams"]):
            raise AuthenticatorRefused("the server does not accept ES256")
        real_rp_id = options["rp"]["id"]
        excluded = {from_b64url(c["id"]) for c in options.get("excludeCredentials", [])}
        if any(c.credential_id in excluded for c in self.credentials):
            raise AuthenticatorRefused("this phone already holds a key for this account")

        private_key = ec.generate_private_key(ec.SECP256R1())
        credential = StoredCredential(
            credential_id=credential_id or secrets.token_bytes(32),
            private_key=private_key,
            rp_id=real_rp_id,
            user_handle=from_b64url(options["user"]["id"]),
        )
        cose_key = _cose_es256_public_key(private_key.public_key())
        attested = AAGUID + struct.pack(">H", len(credential.credential_id)) + credential.credential_id + cose_key
        auth_data = (
            _authenticator_data(
                rp_id or real_rp_id,
                flags=FLAG_USER_PRESENT | (FLAG_USER_VERIFIED if user_verified else 0) | FLAG_ATTESTED_CREDENTIAL_DATA,
                sign_count=credential.sign_count,
            )
            + attested
        )
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation_object = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        self.credentials.append(credential)
        public_key_der = private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation_object),
                "authenticatorData": b64url(auth_data),
                "transports": list(TRANSPORTS),
                "publicKey": b64url(public_key_der),
                "publicKeyAlgorithm": ES256,
            },
        }

    # navigator.credentials.get()

    def get(
        self,
        options: Mapping[str, Any],
        *,
        user_verified: bool = True,
        origin: str | None = None,
        rp_id: str | None = None,
        user_handle: bytes | None = None,
        credential_id: bytes | None = None,
    ) -> dict[str, Any]:
        """Sign in with a stored passkey; returns AuthenticationResponseJSON.

        `credential_id` chooses among several passkeys for the RP (the phone's account picker).
        `rp_id` puts another RP id's hash in authenticatorData; `user_handle` replaces the handle
        the credential was made with (the handle is not covered by the signature).
        """
        credential = self._choose(options, credential_id)
        if self.counts_signatures:
            credential.sign_count += 1
        auth_data = _authenticator_data(
            rp_id or credential.rp_id,
            flags=FLAG_USER_PRESENT | (FLAG_USER_VERIFIED if user_verified else 0),
            sign_count=credential.sign_count,
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = credential.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        assertion = {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(credential.user_handle if user_handle is None else user_handle),
            },
        }
        self.last_assertion = assertion
        return copy.deepcopy(assertion)

    def replay(self) -> dict[str, Any]:
        """The last assertion again, byte for byte, as an attacker who captured it would send it."""
        if self.last_assertion is None:
            raise AuthenticatorRefused("nothing to replay")
        return copy.deepcopy(self.last_assertion)

    def credential_for(self, credential_id: bytes) -> StoredCredential:
        return next(c for c in self.credentials if c.credential_id == credential_id)

    def _choose(self, options: Mapping[str, Any], credential_id: bytes | None) -> StoredCredential:
        rp_id = options.get("rpId")
        allowed = {from_b64url(c["id"]) for c in options.get("allowCredentials", [])}
        candidates = [
            c
            for c in self.credentials
            if c.rp_id == rp_id
            and (not allowed or c.credential_id in allowed)
            and (credential_id is None or c.credential_id == credential_id)
        ]
        if len(candidates) != 1:
            raise AuthenticatorRefused(f"{len(candidates)} passkeys match; choose one with credential_id")
        return candidates[0]

    def _client_data(self, ceremony: str, challenge: str, origin: str | None) -> bytes:
        # Browsers serialise these keys in this order; the server must parse, not compare, them.
        return json.dumps(
            {"type": ceremony, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False},
            separators=(",", ":"),
        ).encode()


def _authenticator_data(rp_id: str, *, flags: int, sign_count: int) -> bytes:
    return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", sign_count)


def _cose_es256_public_key(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """The public key as a COSE_Key map (RFC 9053): kty EC2, alg ES256, curve P-256, x, y."""
    numbers = public_key.public_numbers()
    return cbor2.dumps({1: 2, 3: ES256, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
