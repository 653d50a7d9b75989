"""Practitioner accounts: creating them and checking a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from app.auth.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from app.errors import SignInFailed, ValidationFailed
from app.models_base import choices
from app.people.models import Agency, Practitioner, PractitionerRole
from app.text import clean_text


def normalise_email(email: str) -> str:
    return clean_text(email, max_length=254, single_line=True).lower()


def create_practitioner(
    *,
    session: Session,
    email: str,
    display_name: str,
    role: str,
    agency: str,
    password: str,
    team: str = "",
    password_hash: str | None = None,
) -> Practitioner:
    """Create an account. `password_hash`, if given, must be argon2 of `password` (the demo reuses one)."""
    errors: dict[str, str] = {}
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        errors["email"] = _l("Enter a work email address.")
    if not display_name.strip():
        errors["display_name"] = _l("Enter a name.")
    if role not in choices(PractitionerRole):
        errors["role"] = _l("Choose a role.")
    if agency not in choices(Agency):
        errors["agency"] = _l("Choose an agency.")
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = _l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
    if not errors and session.exec(select(Practitioner).where(Practitioner.email == email)).first():
        errors["email"] = _l("Someone already uses this email address.")
    if errors:
        raise ValidationFailed(errors)
    practitioner = Practitioner(
        email=email,
        display_name=display_name.strip(),
        role=role,
        agency=agency,
        team=team.strip(),
        password_hash=password_hash or hash_password(password),
    )
    session.add(practitioner)
    session.flush()
    return practitioner


def authenticate_practitioner(*, session: Session, email: str, password: str) -> Practitioner:
    """The practitioner for this email and password; SignInFailed says nothing about which was wrong."""
    practitioner = session.exec(
        select(Practitioner).where(func.lower(Practitioner.email) == normalise_email(email))
    ).first()
    ok = verify_password(practitioner.password_hash if practitioner else None, password)
    if practitioner is None or not ok or not practitioner.active:
        raise SignInFailed("email or password not recognised")
    return practitioner
