"""Passkeys through py_webauthn: registration and sign-in, with challenges kept server-side.

The rules from SECURITY.md R7-R9 live here: user verification is required, the origin and RP id are
exact, a credential must belong to the account that claims it, challenges are single use and
expire, and nothing in the options reveals the service's topic or the child's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, func, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app.auth.models import ChallengePurpose, Passkey, WebAuthnChallenge
from app.auth.tokens import token_hash
from app.db import keep_on_rollback
from app.errors import SignInFailed, ValidationFailed
from app.inputs import read_json
from app.timeutil import utcnow


@dataclass(frozen=True)
class RelyingParty:
    """Who we are to the authenticator: a neutral name, the exact RP id and origin."""

    rp_id: str
    rp_name: str
    origin: str
    challenge_ttl: timedelta


@dataclass(frozen=True)
class NewPasskeyOwner:
    """The account a passkey is being made for."""

    account_kind: str
    account_id: int | None  # None until an invitation is redeemed
    user_handle: bytes
    # Neutral words only (R9): the authenticator shows these, possibly on a lock screen.
    user_name: str


def _store_challenge(
    *,
    session: Session,
    rp: RelyingParty,
    challenge: bytes,
    purpose: ChallengePurpose,
    account_kind: str,
    account_id: int | None = None,
    invitation_id: int | None = None,
) -> None:
    now = utcnow()
    session.add(
        WebAuthnChallenge(
            challenge_hash=token_hash(challenge),
            purpose=purpose,
            account_kind=account_kind,
            account_id=account_id,
            invitation_id=invitation_id,
            created_at=now,
            expires_at=now + rp.challenge_ttl,
        )
    )
    session.flush()


def _execute(session: Session, statement: Any) -> None:
    session.execute(statement)


def _consume_challenge(
    *, session: Session, credential: dict[str, Any], purpose: ChallengePurpose, account_kind: str
) -> tuple[bytes, WebAuthnChallenge]:
    """Find the challenge the browser signed, and use it up before anything else happens (R8)."""
    try:
        # Bounded like every JSON we read (R29): py_webauthn parses these bytes again later, with
        # no bound of its own, so what is too deep must be refused here first.
        client_data = read_json(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        challenge = base64url_to_bytes(client_data["challenge"])
    except (KeyError, TypeError, ValueError, ValidationFailed) as exc:
        raise SignInFailed("malformed credential") from exc
    now = utcnow()
    # One conditional UPDATE decides who gets the challenge: of two racing requests only one
    # can change the row, so single use holds under concurrency too (R8).
    claim = (
        update(WebAuthnChallenge)
        .where(
            col(WebAuthnChallenge.challenge_hash) == token_hash(challenge),
            col(WebAuthnChallenge.used_at).is_(None),
            col(WebAuthnChallenge.expires_at) > now,
            col(WebAuthnChallenge.purpose) == purpose,
            col(WebAuthnChallenge.account_kind) == account_kind,
        )
        .values(used_at=now)
    )
    claimed = session.execute(claim)
    # The challenge stays used even if the rest of this request is refused and rolled back.
    keep_on_rollback(session, lambda s: _execute(s, claim))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise SignInFailed("unknown, used or expired challenge")
    record = session.exec(
        select(WebAuthnChallenge).where(WebAuthnChallenge.challenge_hash == token_hash(challenge))
    ).one()
    return challenge, record


def registration_options(
    *, session: Session, rp: RelyingParty, owner: NewPasskeyOwner, invitation_id: int | None = None
) -> str:
    """Options JSON for navigator.credentials.create(), with the challenge stored server-side."""
    existing: list[PublicKeyCredentialDescriptor] = []
    if owner.account_id is not None:
        existing = [
            PublicKeyCredentialDescriptor(id=pk.credential_id)
            for pk in active_passkeys(session=session, account_kind=owner.account_kind, account_id=owner.account_id)
        ]
    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=rp.rp_name,
        user_id=owner.user_handle,
        user_name=owner.user_name,
        user_display_name=owner.user_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=existing,
    )
    _store_challenge(
        session=session,
        rp=rp,
        challenge=options.challenge,
        purpose=ChallengePurpose.REGISTER,
        account_kind=owner.account_kind,
        account_id=owner.account_id,
        invitation_id=invitation_id,
    )
    return options_to_json(options)


def verify_registration(
    *, session: Session, rp: RelyingParty, credential: dict[str, Any], account_kind: str
) -> tuple[WebAuthnChallenge, Any]:
    """Check a new credential; returns (the challenge record, py_webauthn's verified result)."""
    challenge, record = _consume_challenge(
        session=session, credential=credential, purpose=ChallengePurpose.REGISTER, account_kind=account_kind
    )
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise SignInFailed("registration refused") from exc
    # A credential id is unique to one account: refuse one we already hold (WebAuthn §7.1 step 22).
    if session.exec(select(Passkey).where(Passkey.credential_id == verified.credential_id)).first():
        raise SignInFailed("credential already registered")
    return record, verified


def save_passkey(
    *, session: Session, account_kind: str, account_id: int, verified: Any, transports: list[str], label: str
) -> Passkey:
    passkey = Passkey(
        account_kind=account_kind,
        account_id=account_id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=",".join(t for t in transports if isinstance(t, str))[:200],
        label=label[:80],
    )
    session.add(passkey)
    session.flush()
    return passkey


def authentication_options(
    *, session: Session, rp: RelyingParty, account_kind: str, account_id: int | None = None
) -> str:
    """Options for a sign-in assertion.

    Without `account_id` the sign-in is discoverable: the phone offers whichever passkey it holds
    for us (the family side). With it, only that account's passkeys are allowed and the challenge
    is bound to the account (the practitioner's second factor).
    """
    allow = (
        [
            PublicKeyCredentialDescriptor(id=pk.credential_id)
            for pk in active_passkeys(session=session, account_kind=account_kind, account_id=account_id)
        ]
        if account_id is not None
        else None
    )
    options = generate_authentication_options(
        rp_id=rp.rp_id, user_verification=UserVerificationRequirement.REQUIRED, allow_credentials=allow
    )
    _store_challenge(
        session=session,
        rp=rp,
        challenge=options.challenge,
        purpose=ChallengePurpose.AUTHENTICATE,
        account_kind=account_kind,
        account_id=account_id,
    )
    return options_to_json(options)


def verify_authentication(
    *, session: Session, rp: RelyingParty, credential: dict[str, Any], account_kind: str, user_handle_of: Any
) -> Passkey:
    """Check a sign-in assertion; returns the passkey used.

    `user_handle_of(account_id)` gives the account's WebAuthn user handle: the handle the
    authenticator returns must be the one of the account that owns this credential (R7).
    """
    challenge, record = _consume_challenge(
        session=session, credential=credential, purpose=ChallengePurpose.AUTHENTICATE, account_kind=account_kind
    )
    try:
        credential_id = base64url_to_bytes(credential["rawId"])
        returned_handle = base64url_to_bytes(credential["response"].get("userHandle") or "")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SignInFailed("malformed credential") from exc
    passkey = session.exec(
        select(Passkey).where(
            Passkey.credential_id == credential_id,
            Passkey.account_kind == account_kind,
            col(Passkey.revoked_at).is_(None),
        )
    ).first()
    # A discoverable sign-in must return the owner's user handle. When the challenge was bound to
    # one account the authenticator may leave the handle out, but if it sends one it must match.
    handle_optional = record.account_id is not None and not returned_handle
    if passkey is None or (not handle_optional and returned_handle != user_handle_of(passkey.account_id)):
        raise SignInFailed("unknown credential")
    if record.account_id is not None and record.account_id != passkey.account_id:
        # A challenge issued to one account (a practitioner's second step) signs in no other.
        raise SignInFailed("challenge belongs to another account")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise SignInFailed("assertion refused") from exc
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    session.flush()
    return passkey


def device_number(*, session: Session, account_kind: str, account_id: int) -> int:
    """The number the account's next passkey goes by ("Phone or computer 3"): removed ones count too,
    so a name is never used twice and a list never shows two phones called the same."""
    made = session.exec(
        select(func.count())
        .select_from(Passkey)
        .where(Passkey.account_kind == account_kind, Passkey.account_id == account_id)
    ).one()
    return int(made) + 1


def active_passkeys(*, session: Session, account_kind: str, account_id: int) -> list[Passkey]:
    return list(
        session.exec(
            select(Passkey).where(
                Passkey.account_kind == account_kind,
                Passkey.account_id == account_id,
                col(Passkey.revoked_at).is_(None),
            )
        ).all()
    )


def credential_id_text(passkey: Passkey) -> str:
    """The credential id as base64url, for display in tests and logs (it is not secret)."""
    return bytes_to_base64url(passkey.credential_id)
