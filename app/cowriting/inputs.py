"""What a family member may write into the draft: an idea, a safe place, someone to call."""

from __future__ import annotations

import re
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator

from app.inputs import Input, Words
from app.plans.inputs import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, MAX_RELATIONSHIP_LENGTH, MAX_STATEMENT_LENGTH
from app.plans.models import Moment, StatementKind

MIN_PHONE_LENGTH = 7
MAX_PHONE_LENGTH = 20
# A UK-style number: digits and spaces, optionally starting with + ("07700 900123", "+44 7700 900123").
_PHONE = re.compile(r"\+?[0-9][0-9 ]*")

_STATEMENT_MESSAGES = {
    "moment": _l("Choose every day or emergency."),
    "kind": _l("Choose I will, I can, I might or I need."),
    "text": {"blank": _l("Write something first.")},
}


class IdeaInput(Input):
    """A new idea: "I will / I can / I might / I need", every day or in an emergency."""

    moment: Moment
    kind: StatementKind
    text: Annotated[str, Words(MAX_STATEMENT_LENGTH)]

    messages = _STATEMENT_MESSAGES


class IdeaEdit(Input):
    """New words (and, optionally, a new moment or starter) with the revision the writer started from."""

    expected_revision: int
    text: Annotated[str, Words(MAX_STATEMENT_LENGTH)]
    moment: Moment | None = None
    kind: StatementKind | None = None

    messages = _STATEMENT_MESSAGES


def _phone(value: str) -> str:
    if not (MIN_PHONE_LENGTH <= len(value) <= MAX_PHONE_LENGTH and _PHONE.fullmatch(value)):
        raise ValueError("not a phone number")
    return value


class SafePlaceInput(Input):
    """A place that feels safe. Family never say a place is not safe: that is for practitioners."""

    name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    notes: Annotated[str, Words(MAX_NOTE_LENGTH, required=False)] = ""

    messages = {"name": {"blank": _l("Write a name first.")}}


class PersonToCallInput(Input):
    """Someone the young person would call."""

    name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    phone: Annotated[str, Words(40, single_line=True), AfterValidator(_phone)]
    relationship: Annotated[str, Words(MAX_RELATIONSHIP_LENGTH, required=False, single_line=True)] = ""

    messages = {
        "name": {"blank": _l("Write a name first.")},
        "phone": {
            "blank": _l("Write their phone number."),
            "value_error": _l("Write a phone number using numbers and spaces, like 07700 900123."),
            "too_long": _l("Write a phone number using numbers and spaces, like 07700 900123."),
        },
    }
