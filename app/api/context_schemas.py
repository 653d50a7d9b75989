"""The API's shapes for mapping meetings and context conferences (issue 12 parts 5 and 6), with their
due dates computed in England's working days.

Each model is filled from the object the web page renders (`MappingRow`, `MappingPage`,
`ConferenceRow`, `ConferencePage`). A conference's answer, like its page, names the group's members
and nothing of any child's own plan.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from pydantic import BaseModel, Field

from app.conferences.agenda import STEPS
from app.conferences.models import ConferenceKind, Domain
from app.conferences.queries import ConferencePage, ConferenceRow
from app.inputs import MAX_ID
from app.mapping.models import Weighting
from app.mapping.queries import MappingPage, MappingRow

State = Literal["late", "today", "later", "done"]


class MappingPath(BaseModel):
    mapping_id: int = Field(ge=0, le=MAX_ID, description="The mapping meeting's record number.")


class ConferencePath(BaseModel):
    conference_id: int = Field(ge=0, le=MAX_ID, description="The context conference's record number.")


class _Due(BaseModel):
    due: date = Field(description="The deadline, counted in England's working days.")
    state: State = Field(description="Against today: late, due today, later, or done (held).")
    late: bool
    working_days_late: int = Field(ge=0, description="Working days after `due`; 0 when not late.")


class MappingOut(_Due):
    """A mapping meeting: due within 10 working days of the route decision; its context weighting."""

    id: int
    concern_id: int
    name: str | None = Field(description="The peer group's or place's name.")
    decided_on: date = Field(description="The day the route decision opened it.")
    held_on: date | None
    weighting: Weighting | None = Field(description="Null until weighed.")
    conference_to_follow: bool | None

    @classmethod
    def of(cls, row: MappingRow) -> MappingOut:
        m = row.mapping
        return cls(
            id=m.id or 0,
            concern_id=m.concern_id,
            name=row.concern.name,
            decided_on=m.decided_on,
            due=m.due_on,
            state=row.state,  # type: ignore[arg-type]  # one of State, by MappingRow's contract
            late=row.state == "late",
            working_days_late=row.late_by,
            held_on=m.held_on,
            weighting=Weighting(m.weighting) if m.weighting else None,
            conference_to_follow=m.conference_to_follow,
        )


class MemberOut(BaseModel):
    """A member of the group or a user of the place."""

    child_id: int | None = Field(description="A young person known to the service whom the caller may read.")
    description: str | None


class MappingDetail(MappingOut):
    weighting_reasons: str | None
    members: list[MemberOut]

    @classmethod
    def of_page(cls, page: MappingPage) -> MappingDetail:
        return cls(
            **MappingOut.of(page.row).model_dump(),
            weighting_reasons=page.row.mapping.weighting_reasons,
            members=[
                MemberOut(child_id=m.child.id if m.child else None, description=m.member.description)
                for m in page.members
            ],
        )


class MappingList(BaseModel):
    """A page of mapping meetings: those to hold by due date, then the weighed."""

    items: list[MappingOut]
    total: int
    page: int
    pages: int
    per_page: int


class ConferenceOut(_Due):
    """A context conference: due within 15 working days of the weighting; its review once closed."""

    id: int
    mapping_id: int
    concern_id: int
    kind: ConferenceKind
    name: str | None = Field(description="The peer group's, school's or place's name.")
    opened_on: date = Field(description="The day the mapping meeting's weighting opened it.")
    meets_on: date | None = Field(description="The date the convenor set; null until set.")
    closed_at: datetime | None
    review_on: date | None = Field(description="Set at the close: no later than 3 months after it.")
    review_moved_from: date | None = Field(description="The missed review date, when the review was moved.")

    @classmethod
    def of(cls, row: ConferenceRow) -> ConferenceOut:
        c = row.conference
        return cls(
            id=c.id or 0,
            mapping_id=c.mapping_id,
            concern_id=c.concern_id,
            kind=ConferenceKind(c.kind),
            name=row.concern.name,
            opened_on=c.opened_on,
            due=c.due_on,
            state=row.state,  # type: ignore[arg-type]  # one of State, by ConferenceRow's contract
            late=row.state == "late",
            working_days_late=row.late_by,
            meets_on=c.meets_on,
            closed_at=c.closed_at,
            review_on=c.review_on,
            review_moved_from=c.review_moved_from,
        )


class StepOut(BaseModel):
    """One step of the agenda (seed 000) and what was recorded under its headings."""

    number: int
    key: str
    title: str
    notes: dict[str, str] = Field(description="By heading; yes/no questions answer 'yes' or 'no'.")


class ActionOut(BaseModel):
    domain: Domain
    action: str
    owner: str
    due_on: date


class ConferenceDetail(ConferenceOut):
    """One conference: members (names only), the agenda's notes, the plan and the time kept for it."""

    members: list[str] = Field(description="Names or descriptions from the mapping meeting; no child's plan.")
    steps: list[StepOut]
    actions: list[ActionOut]
    plan_started: time | None
    plan_ended: time | None
    plan_minutes: int | None = Field(description="At least 30, or `short_plan_reason` says why.")
    short_plan_reason: str | None
    review_move_reason: str | None

    @classmethod
    def of_page(cls, page: ConferencePage) -> ConferenceDetail:
        c = page.row.conference
        return cls(
            **ConferenceOut.of(page.row).model_dump(),
            members=page.members,
            steps=[
                StepOut(
                    number=number,
                    key=step.key,
                    title=str(step.title),
                    notes={h.name: page.notes[h.name] for h in step.headings if h.name in page.notes},
                )
                for number, step in enumerate(STEPS, start=1)
            ],
            actions=[
                ActionOut(domain=Domain(a.domain), action=a.action, owner=a.owner, due_on=a.due_on)
                for actions in page.actions.values()
                for a in actions
            ],
            plan_started=c.plan_started,
            plan_ended=c.plan_ended,
            plan_minutes=page.plan_minutes,
            short_plan_reason=c.short_plan_reason,
            review_move_reason=c.review_move_reason,
        )


class ConferenceList(BaseModel):
    """A page of conferences: open ones by due date (the late first), then the closed."""

    items: list[ConferenceOut]
    total: int
    page: int
    pages: int
    per_page: int
