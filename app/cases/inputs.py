"""What a worker writes to open a young person's case, and to change who is on it.

Typed and limited like every input (app.inputs). The date of birth is checked against today in
England: a Safer Plan is for young people aged 11 to 18, and a refusal says how old the date
given would make them, so a slip of the year is easy to see.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator, field_validator
from pydantic_core import PydanticCustomError

from app.inputs import Checkbox, Day, Input, Words
from app.people.inputs import ChildInput
from app.plans.inputs import MAX_NAME_LENGTH
from app.plans.models import MeetingType
from app.timeutil import today

# The framework's age range (DOMAIN.md): from 11 until their 19th birthday.
YOUNGEST, OLDEST = 11, 18
MAX_SCHOOL_LENGTH = 120


class YesNo(StrEnum):
    """A question that must be answered either way (a checkbox cannot tell "no" from "not asked")."""

    YES = "yes"
    NO = "no"


def age_on(born: date, on: date) -> int:
    """Whole years from `born` to `on` (a 29 February birthday comes on 1 March in other years)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _required_day(value: object) -> object:
    # An empty date box sends "": say "enter it", not "that is not a date".
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError("blank", "blank")
    return value


class NewYoungPerson(Input):
    """A young person new to the service: who they are, their school, and which meeting they need."""

    first_name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    last_name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    # The name they want used; their first name when left empty.
    preferred_name: Annotated[str, Words(MAX_NAME_LENGTH, required=False, name=True)] = ""
    date_of_birth: Annotated[Day, BeforeValidator(_required_day)]
    # Optional: some young people are not in school, and that is worth knowing, not a blocker.
    school: Annotated[str, Words(MAX_SCHOOL_LENGTH, required=False, single_line=True)] = ""
    meeting_type: MeetingType
    open_to_csw: YesNo
    # Ticked after the duplicate warning: "this is a different young person, add them anyway".
    different_person: Checkbox = False

    messages = {
        "first_name": {"blank": _l("Enter the young person's first name.")},
        "last_name": {"blank": _l("Enter the young person's last name.")},
        "date_of_birth": {
            "blank": _l("Enter their date of birth."),
            "future": _l("The date of birth cannot be in the future. Check the year."),
            "too_young": _l(
                "On that date of birth they are %(age)s today. A Safer Plan is for young people aged 11 to 18."
            ),
            "too_old": _l(
                "On that date of birth they are %(age)s today. A Safer Plan is for young people aged 11 to 18."
            ),
        },
        "meeting_type": _l("Choose Safer Me or Safer Me Plus."),
        "open_to_csw": _l("Say whether they are open to Children's Social Work."),
    }

    @field_validator("date_of_birth")
    @classmethod
    def _eleven_to_eighteen(cls, born: date) -> date:
        now = today()
        if born > now:
            raise PydanticCustomError("future", "future")
        age = age_on(born, now)
        if age < YOUNGEST:
            raise PydanticCustomError("too_young", "too_young", {"age": age})
        if age > OLDEST:
            raise PydanticCustomError("too_old", "too_old", {"age": age})
        return born

    @classmethod
    def message_for(cls, field: str, code: str, context: Mapping[str, Any]) -> Any:
        message = super().message_for(field, code, context)
        # The age refusals name the age the date gives; other messages take no values.
        return message % {"age": context["age"]} if "age" in context else message

    def child(self) -> ChildInput:
        """The child record these answers make (people.operations.create_child takes it)."""
        return ChildInput(
            first_name=self.first_name,
            last_name=self.last_name,
            preferred_name=self.preferred_name,
            date_of_birth=self.date_of_birth,
            school=self.school,
            open_to_csw=self.open_to_csw == YesNo.YES,
        )
