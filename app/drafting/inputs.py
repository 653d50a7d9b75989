"""What a worker sends when writing the draft: which list, which item, and the typed words.

The words of each list are the plan's own inputs (app.plans.inputs); this module names the lists
as the draft page shows them (seed 003's order) and adds the typed references a change, a
removal, a move or a decision about a family idea states (the item, and the revision seen).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.inputs import Id, Input
from app.plans.edits import DraftUpdate
from app.plans.inputs import (
    ActionInput,
    AgencyActionInput,
    CommitmentInput,
    ContactInput,
    NetworkPersonInput,
    ParentalResponsibilityInput,
    PlaceInput,
    StatementInput,
)
from app.plans.models import (
    AgencyAction,
    CarerCommitment,
    ChildStatement,
    EmergencyContact,
    IdeaStatus,
    NetworkPerson,
    ParentalResponsibility,
    Place,
    PlanAction,
    PlanItem,
)


class ListKey(StrEnum):
    """The lists of the draft a worker writes, by the name forms send."""

    ACTIONS = "actions"
    STATEMENTS = "statements"
    CONTACTS = "contacts"
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    COMMITMENTS = "commitments"
    AGENCY_ACTIONS = "agency_actions"
    NETWORK = "network"
    PLACES = "places"


@dataclass(frozen=True)
class ListSpec:
    """One list: its input, its table, and the form fields a worker writes (in form order)."""

    input: type[Input]
    model: type[PlanItem]
    fields: tuple[str, ...]
    checkboxes: tuple[str, ...] = ()


LISTS: dict[ListKey, ListSpec] = {
    ListKey.ACTIONS: ListSpec(ActionInput, PlanAction, ("who", "action", "aim", "success", "due_on", "done_on")),
    # The moment (every day or emergency) comes from the section the form is in.
    ListKey.STATEMENTS: ListSpec(
        StatementInput, ChildStatement, ("moment", "kind", "text", "own_words"), ("own_words",)
    ),
    ListKey.CONTACTS: ListSpec(ContactInput, EmergencyContact, ("name", "relationship", "phone", "notes")),
    ListKey.PARENTAL_RESPONSIBILITY: ListSpec(
        ParentalResponsibilityInput,
        ParentalResponsibility,
        ("name", "relationship", "has_parental_responsibility", "can_make_decisions", "notes"),
        ("has_parental_responsibility", "can_make_decisions"),
    ),
    ListKey.COMMITMENTS: ListSpec(CommitmentInput, CarerCommitment, ("who", "kind", "commitment", "by_when", "due_on")),
    ListKey.AGENCY_ACTIONS: ListSpec(
        AgencyActionInput,
        AgencyAction,
        ("agency", "kind", "action", "due_on", "repeats", "is_police_trigger_plan"),
        ("is_police_trigger_plan",),
    ),
    ListKey.NETWORK: ListSpec(NetworkPersonInput, NetworkPerson, ("name", "relationship", "safety", "involvement")),
    ListKey.PLACES: ListSpec(PlaceInput, Place, ("name", "address", "safety", "notes")),
}

# Lists a family member adds ideas to (app.cowriting): the worker brings these into the plan or not.
IDEA_LISTS = (ListKey.STATEMENTS, ListKey.CONTACTS, ListKey.PLACES)


class ItemRef(Input):
    """One item of a list in the draft, and the revision the worker's form started from (R24)."""

    item_id: Id
    expected_revision: int

    messages = {"item_id": _l("Choose an item of the plan first.")}


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


class Move(ItemRef):
    """Move an item one place up (higher priority) or down its list."""

    direction: Direction

    messages = {**ItemRef.messages, "direction": _l("Choose up or down.")}


class IdeaDecision(ItemRef):
    """Bring a family idea into the plan, or leave it as an idea."""

    status: IdeaStatus

    messages = {**ItemRef.messages, "status": _l("Choose to bring it into the plan or leave it as an idea.")}


# The draft's own fields, in groups of the page: each group's form sends only its own fields.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "safe_word": ("safe_word",),
    "if_missing": ("if_missing_take_to",),
    "contingency": ("contingency_steps", "contingency_cover"),
    "onward": ("onward_hub_context", "onward_complex_abuse"),
    "review": ("review_date", "review_trigger", "review_meanwhile"),
}


class DraftFields(DraftUpdate):
    """The draft's own fields as the page's forms send them (a group at a time)."""

    messages = {
        "review_date": _l("Enter the review date, like 2026-12-14."),
        "safe_word": {"too_long": _l("Keep the safe word short: 60 characters at most.")},
    }
