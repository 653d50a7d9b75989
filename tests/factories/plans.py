"""Plans: a started plan's draft, items added to it, and agreed versions (agreeing opens the next draft)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from app.people.models import Child, FamilyMember, Practitioner
from app.plans.edits import DraftUpdate, add_item, update_draft
from app.plans.inputs import ItemInput, StatementInput
from app.plans.models import MeetingType, Moment, Plan, PlanItem, PlanVersion, StatementKind
from app.plans.versions import Agreement, PlanStart, agree_draft, draft_of, start_plan
from tests.factories.people import actor

AGREED_ON = date(2026, 10, 26)
REVIEW_ON = date(2026, 12, 14)


def plan(db: Session, of: Child, *, by: Practitioner, meeting_type: MeetingType = MeetingType.SAFER_ME) -> Plan:
    """A new plan with its empty draft (version 1), started by a practitioner on the case."""
    return start_plan(session=db, actor=actor(by), child_id=of.id or 0, start=PlanStart(meeting_type=meeting_type))


def draft(db: Session, of: Plan) -> PlanVersion:
    return draft_of(session=db, plan_id=of.id or 0)


def statement(
    text: str,
    *,
    moment: Moment = Moment.EVERYDAY,
    kind: StatementKind = StatementKind.WILL,
    own_words_of: FamilyMember | None = None,
) -> StatementInput:
    """A practitioner-written statement; in the young person's own words when `own_words_of` is given."""
    return StatementInput(
        moment=moment,
        kind=kind,
        text=text,
        own_words=own_words_of is not None,
        written_by_member_id=own_words_of.id if own_words_of is not None else None,
    )


def add(db: Session, version: PlanVersion, *items: ItemInput, by: Practitioner) -> list[PlanItem]:
    """Append items to the draft, in order, as a practitioner writing at the meeting would."""
    return [add_item(session=db, actor=actor(by), version_id=version.id or 0, item=item) for item in items]


def update(db: Session, version: PlanVersion, *, by: Practitioner, **fields: Any) -> PlanVersion:
    """Set the draft's own fields (safe word, contingency, review...) from the revision it is at now."""
    return update_draft(
        session=db,
        actor=actor(by),
        version_id=version.id or 0,
        update=DraftUpdate.parse({"expected_revision": version.revision, **fields}),
    )


def agree(
    db: Session,
    of: Plan,
    *,
    by: Practitioner,
    agreed_on: date = AGREED_ON,
    review_date: date = REVIEW_ON,
    agreed_by: str = "Jordan, Lisa Ellis, Sam Okafor",
    shared_with: str = "Jordan, Lisa Ellis",
) -> PlanVersion:
    """Agree the current draft as a meeting would; returns the agreed version (a new draft follows it)."""
    current = draft(db, of)
    return agree_draft(
        session=db,
        actor=actor(by),
        plan_id=of.id or 0,
        agreement=Agreement(
            agreed_by=agreed_by,
            agreed_on=agreed_on,
            shared_with=shared_with,
            review_date=review_date,
            expected_revision=current.revision,
        ),
    )


@dataclass(frozen=True)
class AgreedPlan:
    plan: Plan
    agreed: PlanVersion
    draft: PlanVersion
    items: list[PlanItem]  # the agreed version's rows, in the order given (the draft holds copies)


def agreed_plan(
    db: Session,
    of: Child,
    *items: ItemInput,
    by: Practitioner,
    safe_word: str = "",
    agreed_on: date = AGREED_ON,
    review_date: date = REVIEW_ON,
    **fields: Any,
) -> AgreedPlan:
    """A plan with `items` (and any draft fields) agreed as version 1, and version 2 open as the draft."""
    started = plan(db, of, by=by)
    first = draft(db, started)
    rows = add(db, first, *items, by=by)
    if safe_word or fields:
        update(db, first, by=by, safe_word=safe_word, **fields)
    agreed = agree(db, started, by=by, agreed_on=agreed_on, review_date=review_date)
    return AgreedPlan(plan=started, agreed=agreed, draft=draft(db, started), items=rows)
