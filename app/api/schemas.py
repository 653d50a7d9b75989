"""The API's request and response shapes: pydantic models, from which the OpenAPI document is made.

Each response model is filled from the same service objects the web pages render (caseload rows,
`PlanView`), never from a hand-built dict, so what a field means is defined here once.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from app.api.etags import etag_of
from app.api.problems import Problem
from app.drafting.inputs import LISTS, ListKey, ListSpec
from app.inputs import MAX_ID
from app.plans.inputs import DUE_DAY_PATTERN, AgencyActionWhen
from app.plans.models import MeetingType, PlanItem

# The most rows one page of a list holds: a sync pages through a long caseload instead.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50


class PageQuery(BaseModel):
    """Which page of a list: page `page` (from 1) of `per_page` rows (at most MAX_PAGE_SIZE)."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1, le=MAX_ID, description="The page, from 1; past the last, no items.")
    per_page: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows a page.")


class CaseloadQuery(PageQuery):
    """A page of the caseload, narrowed as the practitioner home page's filters narrow it."""

    overdue: bool = Field(
        default=False,
        description="Only cases with something overdue: the review, an agency action, a carer's commitment, "
        "a priority action or a framework deadline.",
    )
    meeting_type: MeetingType | None = Field(default=None, description="Only plans agreed at this kind of meeting.")
    role: Literal["allocated_worker", "team_member", "chair", "agency_partner", "team"] | None = Field(
        default=None,
        description="Only cases where your part is this; `team` for your team's cases you hold no part in (managers).",
    )


class ChildPath(BaseModel):
    child_id: int = Field(ge=0, le=MAX_ID, description="The child's record number.")


class VersionPath(ChildPath):
    number: int = Field(ge=0, le=MAX_ID, description="The plan version's number (1, 2, 3 ...).")


class StatementPath(ChildPath):
    statement_id: int = Field(ge=0, le=MAX_ID, description="The statement's record number.")


class IfMatch(BaseModel):
    """The precondition every change and removal states (R24): the ETag the caller last read."""

    if_match: str = Field(
        alias="If-Match",
        max_length=200,
        description="The item's ETag as last read (from its `etag` or the ETag header). Missing or `*`: 428; "
        "not the current one: 412 with the item as it is now.",
    )


def body_of(spec: ListSpec) -> type[BaseModel]:
    """A list's JSON body: the fields its web form sends, with the form's own input model's rules.

    Made from the input model's fields (never declared twice), and only the form's fields: the
    rest of the input (who wrote a family idea) is not the caller's to set (R5).
    """
    return body_from(spec.input, spec.fields)


def body_from(model: type[BaseModel], names: tuple[str, ...]) -> type[BaseModel]:
    """The JSON body of `names`, the fields of an input model a form sends (body_of; the meetings' bodies)."""
    model_fields = model.model_fields
    fields: dict[str, Any] = {name: (model_fields[name].annotation, model_fields[name]) for name in names}
    due = issubclass(model, AgencyActionWhen)
    config = ConfigDict(json_schema_extra=lambda schema, _model: _as_the_input_reads(schema, due=due))
    return create_model(model.__name__.removesuffix("Input") + "Body", __config__=config, **fields)


def _as_the_input_reads(schema: dict[str, Any], *, due: bool) -> None:
    """Say in the document what the input model does beyond its types (the contract fuzz checks it).

    An optional text may be null, or only spaces of any length: both are read as empty, as a
    form's missing field is. A due date is required, never null, and between 2000 and 2099.
    """
    properties: dict[str, Any] = schema["properties"]
    for name, prop in properties.items():
        if "default" in prop and prop.get("type") == "string":
            text = {key: value for key, value in prop.items() if key not in ("default", "title")}
            # The optional-text pattern is "^(<spaces>*|<words>)$": its first branch is the blank one.
            blank = {"type": "string", "pattern": "^" + text["pattern"][2 : text["pattern"].index("]*|") + 2] + "$"}
            options = [text, blank, {"type": "null"}]
            properties[name] = {"anyOf": options, "default": prop["default"], "title": prop["title"]}
    if due:
        properties["due_on"] = {"type": "string", "format": "date", "pattern": DUE_DAY_PATTERN, "title": "Due On"}


StatementBody = body_of(LISTS[ListKey.STATEMENTS])


class _Row(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class _Item(_Row):
    """A plan item: `etag` is its ETag, to send back as If-Match when changing or removing it."""

    etag: str = Field(description="The item's strong ETag (quoted), naming its id and revision.")

    @model_validator(mode="before")
    @classmethod
    def _with_etag(cls, data: Any) -> Any:
        if isinstance(data, PlanItem):
            return {**{name: getattr(data, name) for name in cls.model_fields if name != "etag"}, "etag": etag_of(data)}
        return data


class ChildSummary(BaseModel):
    """One child on the caseload."""

    id: int
    preferred_name: str
    meeting_type: str | None = Field(description="safer_me or safer_me_plus; null before a plan is open.")
    case_role: str | None = Field(description="Your part in the case; null for a case on your team's caseload.")
    allocated_worker: str
    last_agreed: date | None
    review_date: date | None = Field(description="When the latest agreed plan is due for review.")
    overdue: bool = Field(description="True when the review date has passed.")


class CaseloadPage(BaseModel):
    """A page of the caseload, soonest review first."""

    items: list[ChildSummary]
    total: int = Field(description="Children on the caseload, on every page.")
    page: int
    pages: int = Field(description="How many pages there are (at least 1).")
    per_page: int


class ChildCase(ChildSummary):
    """A child's case as the caller may see it."""

    first_name: str
    last_name: str
    date_of_birth: date | None
    open_to_csw: bool
    is_care_leaver: bool
    may_edit: bool = Field(description="Whether the caller may change the plan.")


class Statement(_Item):
    id: int
    moment: str
    kind: str
    text: str
    own_words: bool


class Action(_Item):
    id: int
    who: str
    action: str
    aim: str
    success: str
    due_on: date | None = Field(description="The day a one-off action is due; null if it is ongoing or repeats.")
    done_on: date | None = Field(description="The day it was done; null while it is not.")


class Contact(_Item):
    id: int
    name: str
    relationship: str
    phone: str
    notes: str


class ParentalResponsibilityRow(_Item):
    id: int
    name: str
    relationship: str
    has_parental_responsibility: bool
    can_make_decisions: bool
    notes: str


class Commitment(_Item):
    id: int
    who: str
    kind: str
    commitment: str
    by_when: str
    due_on: date | None = Field(description="The day a one-off commitment is due; null if it is ongoing or repeats.")


class AgencyActionRow(_Item):
    id: int
    agency: str
    kind: str
    action: str
    due_on: date | None
    repeats: str


class NetworkPersonRow(_Item):
    id: int
    name: str
    relationship: str
    safety: str
    involvement: str | None


class PlaceRow(_Item):
    id: int
    name: str
    address: str | None
    safety: str
    notes: str | None


class VersionSummary(_Row):
    """One version in the plan's history."""

    number: int
    agreed_on: date | None
    agreed_by: str
    review_date: date | None


class Version(BaseModel):
    """One version of the plan (the draft, or an agreed one), every section."""

    number: int
    agreed: bool
    agreed_on: date | None
    agreed_by: str
    review_date: date | None
    review_trigger: str
    safe_word: str | None
    if_missing_take_to: str | None
    statements: list[Statement]
    actions: list[Action]
    emergency_contacts: list[Contact]
    parental_responsibility: list[ParentalResponsibilityRow]
    carer_commitments: list[Commitment]
    agency_actions: list[AgencyActionRow]
    network: list[NetworkPersonRow]
    places: list[PlaceRow]
    contingency_steps: str
    contingency_cover: str
    summary_of_changes: str


class PlanOut(BaseModel):
    """A child's open plan: the working draft and the agreed versions, newest first."""

    child_id: int
    meeting_type: str
    draft: Version
    agreed_versions: list[VersionSummary]


class StatementConflict(Problem):
    """412: the statement changed since the caller read it; `current` is how it is now."""

    current: Statement


class ItemPath(ChildPath):
    item_id: int = Field(ge=0, le=MAX_ID, description="The item's record number (its `id`).")


def _conflict(row: type[_Item]) -> type[Problem]:
    """412 for one list: the item changed since the caller read it; `current` is how it is now."""
    name = row.__name__.removesuffix("Row") + "Conflict"
    return create_model(name, __base__=Problem, __doc__=_conflict.__doc__, current=(row, ...))


# The draft's lists, written over the API (app.api.draft_items): each list's row and its 412.
LIST_ROWS: dict[ListKey, type[_Item]] = {
    ListKey.STATEMENTS: Statement,
    ListKey.ACTIONS: Action,
    ListKey.CONTACTS: Contact,
    ListKey.PARENTAL_RESPONSIBILITY: ParentalResponsibilityRow,
    ListKey.COMMITMENTS: Commitment,
    ListKey.AGENCY_ACTIONS: AgencyActionRow,
    ListKey.NETWORK: NetworkPersonRow,
    ListKey.PLACES: PlaceRow,
}
LIST_CONFLICTS: dict[ListKey, type[Problem]] = {
    key: StatementConflict if key == ListKey.STATEMENTS else _conflict(row) for key, row in LIST_ROWS.items()
}
