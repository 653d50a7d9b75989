"""Practitioner accounts: creating them and checking a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from app.auth.inputs import AccountInput, normalised_email
from app.auth.passwords import hash_password, verify_password
from app.errors import SignInFailed, ValidationFailed
from app.people.models import Practitioner


def create_practitioner(*, session: Session, account: AccountInput, password_hash: str | None = None) -> Practitioner:
    """Create an account. `password_hash`, if given, must be argon2 of the password (the demo reuses one)."""
    if session.exec(select(Practitioner).where(Practitioner.email == account.email)).first():
        raise ValidationFailed({"email": _l("Someone already uses this email address.")})
    practitioner = Practitioner(
        email=account.email,
        display_name=account.display_name,
        role=account.role,
        agency=account.agency,
        team=account.team,
        password_hash=password_hash or hash_password(account.password),
    )
    session.add(practitioner)
    session.flush()
    return practitioner


def authenticate_practitioner(*, session: Session, email: str, password: str) -> Practitioner:
    """The practitioner for this email and password; SignInFailed says nothing about which was wrong."""
    address = normalised_email(email)
    # An address that cannot be one is looked up as no one: the same argon2 effort, the same refusal.
    practitioner = (
        session.exec(select(Practitioner).where(func.lower(Practitioner.email) == address)).first()
        if address is not None
        else None
    )
    ok = verify_password(practitioner.password_hash if practitioner else None, password)
    if practitioner is None or not ok or not practitioner.active:
        raise SignInFailed("email or password not recognised")
    return practitioner
