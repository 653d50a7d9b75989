"""What a practitioner may write into each list of the draft, typed and limited (see app.inputs).

One input model per list of seed 003's plan template. `PLAN_ITEM_INPUTS` pairs each with the
table its rows go into; nothing else of a request reaches the row (no mass assignment, R5).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import field_validator
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


class ActionInput(Input):
    """A prioritised action: WHO will do ACTION to achieve AIM, shown by SUCCESS."""

    who: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    action: Annotated[str, Words(MAX_ACTION_LENGTH)]
    aim: Annotated[str, Words(MAX_ACTION_LENGTH)]
    success: Annotated[str, Words(MAX_ACTION_LENGTH)]


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

    messages = {"kind": _l("Choose ensure, make or do.")}


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
            "year": _l("Check the year: enter a date like 2026-12-14."),
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
