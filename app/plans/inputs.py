"""What a practitioner may write into each list of the draft, typed and limited (see app.inputs).

One input model per list of seed 003's plan template. `PLAN_ITEM_INPUTS` pairs each with the
table its rows go into; nothing else of a request reaches the row (no mass assignment, R5).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from app.inputs import Checkbox, Input, OptionalDay, OptionalId, Words
from app.people.models import Agency
from app.plans.models import (
    AgencyAction,
    AgencyActionKind,
    CarerCommitment,
    ChildStatement,
    CommitmentKind,
    EmergencyContact,
    Moment,
    NetworkPerson,
    ParentalResponsibility,
    Place,
    PlanAction,
    PlanItem,
    Safety,
    StatementKind,
)

MAX_STATEMENT_LENGTH = 500
MAX_NAME_LENGTH = 120
MAX_RELATIONSHIP_LENGTH = 80
MAX_NOTE_LENGTH = 500
MAX_ACTION_LENGTH = 1000
MAX_BY_WHEN_LENGTH = 200
# Due dates a plan can hold: a mistyped year (0226, 20266) is refused rather than kept.
EARLIEST_DUE = date(2000, 1, 1)
LATEST_DUE = date(2099, 12, 31)
# The days EARLIEST_DUE to LATEST_DUE (2000 to 2099) as real calendar dates, leap days included:
# the validators' range, stated in the API's document so a client can know it (app.api.schemas).
DUE_DAY_PATTERN = (
    r"^(20[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))|20(0[048]|[2468][048]|[13579][26])-02-29)$"
)


def _a_plausible_day(value: date | None) -> date | None:
    if value is not None and not EARLIEST_DUE <= value <= LATEST_DUE:
        raise PydanticCustomError("year", "year")
    return value


# A date a plan item may leave empty (an ongoing or repeating action has none): None, or a day
# between 2000 and 2099. An empty date box and JSON null or "" are all None.
OptionalDueDay = Annotated[
    OptionalDay,
    AfterValidator(_a_plausible_day),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date", "pattern": DUE_DAY_PATTERN},
                {"type": "string", "maxLength": 0},
                {"type": "null"},
            ]
        }
    ),
]
CHECK_THE_YEAR = _l("Check the year: enter a date like 2026-12-14.")
DUE_DATE_MESSAGES = {
    "due_on": {
        "bad_date": _l("Enter the date it is due, like 2026-12-14, or leave the date empty."),
        "year": CHECK_THE_YEAR,
    },
}


class ActionInput(Input):
    """A prioritised action: WHO will do ACTION to achieve AIM, shown by SUCCESS."""

    who: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    action: Annotated[str, Words(MAX_ACTION_LENGTH)]
    aim: Annotated[str, Words(MAX_ACTION_LENGTH)]
    success: Annotated[str, Words(MAX_ACTION_LENGTH)]
    # The day a one-off action is due (empty if it is ongoing or repeats), and the day it was done.
    due_on: OptionalDueDay = None
    done_on: OptionalDueDay = None

    messages = {
        **DUE_DATE_MESSAGES,
        "done_on": {
            "bad_date": _l("Enter the day it was done, like 2026-12-14, or leave it empty."),
            "year": CHECK_THE_YEAR,
        },
    }


class StatementInput(Input):
    """ "I will / I can / I might / I need", every day or in an emergency."""

    moment: Moment
    kind: StatementKind
    text: Annotated[str, Words(MAX_STATEMENT_LENGTH)]
    # True when these are the young person's own words (not a worker's paraphrase).
    own_words: Checkbox = False
    written_by_member_id: OptionalId = None

    messages = {
        "moment": _l("Choose every day or emergency."),
        "kind": _l("Choose I will, I can, I might or I need."),
        "text": {"blank": _l("Write something first.")},
    }


class ContactInput(Input):
    name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    relationship: Annotated[str, Words(MAX_RELATIONSHIP_LENGTH, required=False, single_line=True)] = ""
    phone: Annotated[str, Words(40, single_line=True)]
    notes: Annotated[str, Words(MAX_NOTE_LENGTH, required=False)] = ""


class ParentalResponsibilityInput(Input):
    name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    relationship: Annotated[str, Words(MAX_RELATIONSHIP_LENGTH, required=False, single_line=True)] = ""
    has_parental_responsibility: Checkbox = True
    can_make_decisions: Checkbox = True
    notes: Annotated[str, Words(MAX_NOTE_LENGTH, required=False)] = ""


class CommitmentInput(Input):
    """A parent/carer's commitment: WHO will ensure/make/do COMMITMENT by/at BY_WHEN."""

    who: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    member_id: OptionalId = None
    kind: CommitmentKind
    commitment: Annotated[str, Words(MAX_ACTION_LENGTH)]
    by_when: Annotated[str, Words(MAX_BY_WHEN_LENGTH, required=False, single_line=True)] = ""
    # The day a one-off commitment is due (empty if it is ongoing or repeats: "every time").
    due_on: OptionalDueDay = None

    messages = {**DUE_DATE_MESSAGES, "kind": _l("Choose ensure, make or do.")}


class AgencyActionWhen(Input):
    """The seed's "by/at" of an agency action: the date it is due (or, if it repeats, starts), and
    how often it repeats in words ("every Friday"). A date is required so overdue can be worked out."""

    due_on: OptionalDay  # an empty date box arrives as None, and is refused below with words for it
    repeats: Annotated[str, Words(MAX_BY_WHEN_LENGTH, required=False, single_line=True)] = ""

    @field_validator("due_on")
    @classmethod
    def _a_plausible_day(cls, value: date | None) -> date | None:
        if value is None:
            raise PydanticCustomError("no_date", "no_date")
        if not EARLIEST_DUE <= value <= LATEST_DUE:
            raise PydanticCustomError("year", "year")
        return value

    messages = {
        "due_on": {
            "no_date": _l("Choose the date this is due. If it repeats, choose the date it starts."),
            "missing": _l("Choose the date this is due. If it repeats, choose the date it starts."),
            "year": CHECK_THE_YEAR,
        },
    }


class AgencyActionInput(AgencyActionWhen):
    """ "AGENCY will ACTION by/at DATE", to increase safety or to prevent or disrupt harm."""

    agency: Agency
    kind: AgencyActionKind
    action: Annotated[str, Words(MAX_ACTION_LENGTH)]
    is_police_trigger_plan: Checkbox = False

    messages = {
        **AgencyActionWhen.messages,
        "agency": _l("Choose an agency."),
        "kind": _l("Choose increase safety or prevent and disrupt."),
    }


class NetworkPersonInput(Input):
    name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    relationship: Annotated[str, Words(MAX_RELATIONSHIP_LENGTH, required=False, single_line=True)] = ""
    safety: Safety
    involvement: Annotated[str, Words(MAX_NOTE_LENGTH, required=False)] = ""

    messages = {"safety": _l("Choose safe, not safe or could be safe.")}


class PlaceInput(Input):
    name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    address: Annotated[str, Words(300, required=False)] = ""
    safety: Safety
    notes: Annotated[str, Words(MAX_NOTE_LENGTH, required=False)] = ""

    messages = {"safety": _l("Choose safe, not safe or could be safe.")}


ItemInput = (
    ActionInput
    | StatementInput
    | ContactInput
    | ParentalResponsibilityInput
    | CommitmentInput
    | AgencyActionInput
    | NetworkPersonInput
    | PlaceInput
)

PLAN_ITEM_INPUTS: dict[type[Input], type[PlanItem]] = {
    ActionInput: PlanAction,
    StatementInput: ChildStatement,
    ContactInput: EmergencyContact,
    ParentalResponsibilityInput: ParentalResponsibility,
    CommitmentInput: CarerCommitment,
    AgencyActionInput: AgencyAction,
    NetworkPersonInput: NetworkPerson,
    PlaceInput: Place,
}


def row_values(item: Input) -> dict[str, Any]:
    """The input's values as the table stores them: empty optional encrypted text is NULL."""
    values = item.model_dump()
    for field in ("involvement", "address", "notes"):
        if field in values and values[field] == "" and isinstance(item, NetworkPersonInput | PlaceInput):
            values[field] = None
    return values
