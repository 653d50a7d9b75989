"""What every passkey ceremony view shares, on both doors: family sign-in, joining from an
invitation, unlocking, adding a phone, and the practitioner's second step.

Each ceremony is two JSON calls: options (a challenge), then verify (what the phone signed). The
checks themselves live in app/auth/passkeys.py and raise SignInFailed; here is how a view gets the
relying party, reads the phone's answer, and refuses in one way everywhere: inside
`with refusing(words):` a SignInFailed answers 400 with `words` (which app.js shows the person),
and the door undoes the request's writes. Why the check failed is never said (it would help an attacker).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from pydantic import ConfigDict

from app.auth import passkeys
from app.errors import SignInFailed, ValidationFailed
from app.inputs import MAX_JSON_BYTES, Input, read_json


class CeremonyRefused(Exception):
    """A ceremony step refused; `words` are for the person, `status` for the answer."""

    def __init__(self, words: str, status: int = 400) -> None:
        super().__init__(words)
        self.words = words
        self.status = status


def relying_party() -> passkeys.RelyingParty:
    rp: passkeys.RelyingParty = current_app.config["RELYING_PARTY"]
    return rp


def options_answer(options_json: str) -> Response:
    """Send the options to the browser (the door commits the new challenge with the answer)."""
    return Response(options_json, mimetype="application/json")


class _PhoneAnswerPart(Input):
    """`response` of a PublicKeyCredential in its JSON form (WebAuthn §5.1): base64url strings."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)

    clientDataJSON: str
    attestationObject: str | None = None  # registration
    transports: list[str] | None = None  # registration
    authenticatorData: str | None = None  # sign-in
    signature: str | None = None  # sign-in
    userHandle: str | None = None  # sign-in


class PhoneAnswer(Input):
    """A PublicKeyCredential in its JSON form, as app.js sends it; strict, so 1 is never "1"."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)

    id: str
    rawId: str
    type: str
    response: _PhoneAnswerPart
    authenticatorAttachment: str | None = None


def credential() -> dict[str, Any]:
    """The phone's answer, bounded in size and depth before it is parsed, then checked for shape.

    Anything else is refused (SignInFailed) before py_webauthn or our own checks see it: both
    index into the answer, so a `"response": 1` would otherwise be a TypeError (a server error).
    What is returned holds only the parts named above, none of them None.
    """
    if not request.is_json or (request.content_length or 0) > MAX_JSON_BYTES:
        raise SignInFailed("not a passkey answer")
    try:
        answer = PhoneAnswer.parse(read_json(request.get_data()))
    except ValidationFailed as exc:
        raise SignInFailed("not a passkey answer") from exc
    return answer.model_dump(exclude_none=True)


def transports(body: dict[str, Any]) -> list[str]:
    """How the new key can be reached ("internal", "hybrid"...), if the browser said."""
    response_part = body.get("response")
    named = response_part.get("transports") if isinstance(response_part, dict) else None
    return [t for t in named if isinstance(t, str)] if isinstance(named, list) else []


def refused(words: str, status: int = 400) -> Response:
    response = jsonify(error=words)
    response.status_code = status
    return response


@contextmanager
def refusing(words: str) -> Iterator[None]:
    """A SignInFailed inside refuses with `words`; the door rolls back this request's writes."""
    try:
        yield
    except SignInFailed as exc:
        raise CeremonyRefused(words) from exc


def install(app: Flask) -> None:
    @app.errorhandler(CeremonyRefused)
    def ceremony_refused(exc: CeremonyRefused) -> Response:
        return refused(exc.words, exc.status)
