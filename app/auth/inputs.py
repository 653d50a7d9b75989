"""What a practitioner fills in to invite someone, and what an admin fills in to add an account.

Typed and limited like every input (app.inputs); the HTML forms and the API validate with these.
"""

from __future__ import annotations

import re
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from app.auth.passwords import MIN_PASSWORD_LENGTH
from app.inputs import Id, Input, Words
from app.people.models import Agency, FamilyRole, PractitionerRole
from app.plans.inputs import MAX_NAME_LENGTH, MAX_RELATIONSHIP_LENGTH

MAX_EMAIL_LENGTH = 254
# The sign-in form reads at most this much of a password, so no account may have a longer one.
MAX_PASSWORD_LENGTH = 1024
# Something, one @, something: the address is checked for real by the person who receives mail there.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def _email(value: str) -> str:
    # Lowercase, so one address is one account however it is typed. Lowercasing can lengthen a
    # string ("İ" becomes two characters): the column's limit is checked after it.
    value = value.lower()
    if len(value) > MAX_EMAIL_LENGTH:
        raise PydanticCustomError("too_long", "too_long", {"max_length": MAX_EMAIL_LENGTH})
    if not _EMAIL.fullmatch(value):
        raise PydanticCustomError("not_email", "not_email")
    return value


Email = Annotated[str, Words(MAX_EMAIL_LENGTH, single_line=True), AfterValidator(_email)]
_EMAIL_ADAPTER: TypeAdapter[str] = TypeAdapter(Email)


def normalised_email(value: str) -> str | None:
    """The address as accounts store it, or None if it cannot be one (sign-in then just fails)."""
    try:
        return _EMAIL_ADAPTER.validate_python(value)
    except ValidationError:
        return None


def _password(value: str) -> str:
    # Kept exactly as typed (no trimming or normalising): it is only ever hashed.
    if len(value) < MIN_PASSWORD_LENGTH:
        raise PydanticCustomError("too_short", "too_short")
    if len(value) > MAX_PASSWORD_LENGTH:
        raise PydanticCustomError("too_long", "too_long", {"max_length": MAX_PASSWORD_LENGTH})
    return value


class AccountInput(Input):
    """A new practitioner account; they make their passkey at first sign-in."""

    email: Email
    display_name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    role: PractitionerRole
    agency: Agency
    team: Annotated[str, Words(MAX_NAME_LENGTH, required=False, name=True)] = ""
    password: Annotated[str, AfterValidator(_password)]

    messages = {
        "email": {"blank": _l("Enter a work email address."), "not_email": _l("Enter a work email address.")},
        "display_name": {"blank": _l("Enter a name.")},
        "role": _l("Choose a role."),
        "agency": _l("Choose an agency."),
        "password": {
            "too_short": _l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            "missing": _l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            "string_type": _l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
        },
    }


class InvitationInput(Input):
    """Someone new to invite: who they are to the young person, and the name they like."""

    role: FamilyRole
    display_name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    relationship: Annotated[str, Words(MAX_RELATIONSHIP_LENGTH, required=False, single_line=True)] = ""

    messages = {
        "role": _l("Choose who you are inviting."),
        "display_name": {"blank": _l("Enter the name they like to be called.")},
    }


class NewPhoneInvitation(Input):
    """A new key for someone already linked to the child (a new phone): nothing more to fill in."""

    member_id: Id

    messages = {"member_id": _l("Choose someone who is already in the plan, or someone new.")}


InvitationRequest = InvitationInput | NewPhoneInvitation
