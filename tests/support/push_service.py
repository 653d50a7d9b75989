"""A phone and its push service, made in the test: a P-256 key pair and auth secret (RFC 8291) whose
endpoint is a local receiver (pytest-httpserver). What the receiver got is checked as a real push
service and phone would: the VAPID header verified (RFC 8292), the aes128gcm body decrypted."""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from werkzeug.wrappers import Request


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Phone:
    """A browser's push subscription: what pushManager.subscribe() would give the page."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def subscription_json(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth_secret)}}

    def read(self, body: bytes) -> dict[str, Any]:
        """Decrypt a pushed message as the phone would; its JSON."""
        clear = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        result: dict[str, Any] = json.loads(clear)
        return result


def new_phone(endpoint: str) -> Phone:
    return Phone(endpoint=endpoint, private_key=ec.generate_private_key(ec.SECP256R1()), auth_secret=os.urandom(16))


def vapid_claims(request: Request, *, public_key: str) -> dict[str, Any]:
    """Check `Authorization: vapid t=<JWT>,k=<key>` as a push service does; the JWT's claims."""
    scheme, _space, params = request.headers["Authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    assert parts["k"] == public_key, "signed with another key than the one phones subscribed with"
    header_b64, claims_b64, signature_b64 = parts["t"].split(".")
    assert json.loads(unb64url(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = unb64url(signature_b64)
    assert len(signature) == 64  # JWS ES256: r and s, 32 bytes each (not DER)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    key.verify(  # raises InvalidSignature
        encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")),
        f"{header_b64}.{claims_b64}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    claims: dict[str, Any] = json.loads(unb64url(claims_b64))
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600, "RFC 8292: at most 24 hours ahead"
    return claims
