"""A worker writes the draft: adds, changes, moves and removes items, fills in its own fields,
and decides what becomes of each idea the family added.

Every write checks `draft.write` (or `draft.decide_ideas`) on the child, takes a typed input,
states the revision it started from where it touches something that exists (a stale one is a
Conflict and nothing is written, R24), and is recorded in the audit log.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.db import flush_or_conflict
from app.drafting.inputs import IDEA_LISTS, LISTS, Direction, DraftFields, IdeaDecision, ItemRef, ListKey, Move
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import Input
from app.meetings.models import Meeting, MeetingStatus
from app.models_base import stamp
from app.people.models import FamilyLink, FamilyRole
from app.plans.edits import next_position, update_draft
from app.plans.inputs import row_values
from app.plans.models import ChildStatement, IdeaStatus, PlanItem, PlanVersion
from app.plans.versions import MAX_REVIEW_GAP_DAYS, draft_of, open_plan_for_child, start_plan
from app.timeutil import ENGLAND, today

STALE = "the plan changed since you opened it"


def writable_draft(*, session: Session, actor: Actor, child_id: int, permission: str = "draft.write") -> PlanVersion:
    """The child's draft, once the actor is shown to hold `permission`; NotFound without a plan."""
    policy.require(permission, session=session, actor=actor, child_id=child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    if plan is None:
        raise NotFound()
    return draft_of(session=session, plan_id=plan.id or 0)


def start_draft(*, session: Session, actor: Actor, child_id: int) -> PlanVersion:
    """The child's draft; a child with no plan yet gets one, with an empty draft (version 1).

    Once a plan exists it always has a draft: agreeing one opens the next as a copy of it.
    """
    policy.require("draft.write", session=session, actor=actor, child_id=child_id)
    plan = open_plan_for_child(session=session, child_id=child_id) or start_plan(
        session=session, actor=actor, child_id=child_id
    )
    return draft_of(session=session, plan_id=plan.id or 0)


def _record(session: Session, actor: Actor, child_id: int, row: PlanItem | PlanVersion, action: str) -> None:
    entity = str(getattr(type(row), "__tablename__", type(row).__name__.lower()))
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity=entity,
        entity_id=getattr(row, "id", None),
        action=action,
    )


def item_in_draft(
    session: Session, draft: PlanVersion, key: ListKey, item_id: int, *, gone_is_conflict: bool = False
) -> PlanItem:
    """An item of the list `key` in this draft; NotFound for anything else (another plan, an agreed version)."""
    row = session.get(LISTS[key].model, item_id)
    if row is None and gone_is_conflict:
        # Taken out since the form was opened (ids are never reused): the writer keeps their words.
        raise Conflict(STALE)
    if row is None or row.version_id != draft.id:
        raise NotFound()
    return row


def _checked(row: PlanItem, ref: ItemRef) -> PlanItem:
    # The form's revision against the one loaded; the write checks the loaded one again in the
    # same statement (flush_or_conflict), so a save racing this one cannot slip between (R24).
    if row.revision != ref.expected_revision:
        raise Conflict(STALE)
    return row


def add_item(*, session: Session, actor: Actor, child_id: int, key: ListKey, item: Input) -> PlanItem:
    """Append an item to the draft's list `key`."""
    spec = LISTS[key]
    if not isinstance(item, spec.input):
        raise TypeError(f"{key} takes {spec.input.__name__}")
    draft = writable_draft(session=session, actor=actor, child_id=child_id)
    row = spec.model(
        **row_values(item), version_id=draft.id or 0, position=next_position(session, spec.model, draft.id or 0)
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    _record(session, actor, child_id, row, "created")
    return row


def change_item(*, session: Session, actor: Actor, child_id: int, key: ListKey, ref: ItemRef, item: Input) -> PlanItem:
    """New words for one item; who first wrote it (a family member's idea) stays as it was."""
    spec = LISTS[key]
    if not isinstance(item, spec.input):
        raise TypeError(f"{key} takes {spec.input.__name__}")
    draft = writable_draft(session=session, actor=actor, child_id=child_id)
    row = _checked(item_in_draft(session, draft, key, ref.item_id, gone_is_conflict=True), ref)
    values = row_values(item)
    for name in spec.fields:
        setattr(row, name, values[name])
    stamp(row, actor.label, new=False)
    flush_or_conflict(session, STALE)
    _record(session, actor, child_id, row, "updated")
    return row


def remove_item(*, session: Session, actor: Actor, child_id: int, key: ListKey, ref: ItemRef) -> None:
    """Take an item out of the draft (the page asks first). Agreed versions keep their copy."""
    draft = writable_draft(session=session, actor=actor, child_id=child_id)
    row = _checked(item_in_draft(session, draft, key, ref.item_id, gone_is_conflict=True), ref)
    session.delete(row)
    # The DELETE carries the loaded revision too: a change made meanwhile makes it a Conflict.
    flush_or_conflict(session, STALE)
    _record(session, actor, child_id, row, "deleted")


def move_item(*, session: Session, actor: Actor, child_id: int, key: ListKey, move: Move) -> PlanItem:
    """Swap an item with its neighbour above or below (for actions: its priority)."""
    draft = writable_draft(session=session, actor=actor, child_id=child_id)
    row: Any = _checked(item_in_draft(session, draft, key, move.item_id), move)
    model: Any = LISTS[key].model  # every list's table has an id; PlanItem, the mixin, does not
    rows: list[Any] = list(
        session.exec(select(model).where(model.version_id == draft.id).order_by(col(model.position), col(model.id)))
    )
    if key == ListKey.STATEMENTS:
        rows = [r for r in rows if isinstance(r, ChildStatement) and r.moment == getattr(row, "moment", "")]
    at = next(i for i, r in enumerate(rows) if r.id == row.id)
    other = at - 1 if move.direction == Direction.UP else at + 1
    if not 0 <= other < len(rows):
        return row  # already first (or last): nothing to move
    # Positions are renumbered in list order, so rows that shared a position still swap cleanly.
    rows[at], rows[other] = rows[other], rows[at]
    for position, each in enumerate(rows):
        if each.position != position or each is row:
            each.position = position
            stamp(each, actor.label, new=False)
    flush_or_conflict(session, STALE)
    _record(session, actor, child_id, row, "moved")
    return row


def meeting_day(session: Session, plan_id: int) -> date:
    """The day the review is counted from: the next meeting still to be held, or today."""
    meeting = session.exec(
        select(Meeting)
        .where(Meeting.plan_id == plan_id, col(Meeting.status).in_((MeetingStatus.SCHEDULED, MeetingStatus.OPEN)))
        .order_by(col(Meeting.starts_at))
    ).first()
    return meeting.starts_at.astimezone(ENGLAND).date() if meeting is not None else today()


def check_review(review_date: date, counted_from: date) -> None:
    """The review comes after the meeting (or today), and no more than 8 weeks after it (seed 001)."""
    latest = counted_from + timedelta(days=MAX_REVIEW_GAP_DAYS)
    if review_date <= counted_from:
        raise ValidationFailed({"review_date": _l("The review must be after %(day)s.", day=counted_from.isoformat())})
    if review_date > latest:
        raise ValidationFailed(
            {
                "review_date": _l(
                    "Reviews are no more than 8 weeks apart: choose %(latest)s or earlier.", latest=latest.isoformat()
                )
            }
        )


def update_fields(*, session: Session, actor: Actor, child_id: int, fields: DraftFields) -> PlanVersion:
    """Change some of the draft's own fields (safe word, contingency, review...); a stale revision is a Conflict."""
    draft = writable_draft(session=session, actor=actor, child_id=child_id)
    if fields.review_date is not None:
        check_review(fields.review_date, meeting_day(session, draft.plan_id))
    return update_draft(session=session, actor=actor, version_id=draft.id or 0, update=fields)


def decide_idea(*, session: Session, actor: Actor, child_id: int, key: ListKey, decision: IdeaDecision) -> PlanItem:
    """Bring a family member's idea into the plan, or leave it as an idea (kept out of the next agreement).

    An idea the young person wrote that is brought in stays marked as their own words.
    """
    if key not in IDEA_LISTS:
        raise NotFound()
    draft = writable_draft(session=session, actor=actor, child_id=child_id, permission="draft.decide_ideas")
    row: Any = _checked(item_in_draft(session, draft, key, decision.item_id), decision)  # a statement, contact or place
    author = getattr(row, "written_by_member_id", None)
    if author is None:
        raise NotFound()  # not a family idea: a worker's own words are simply in the plan
    row.idea_status = decision.status
    if (
        isinstance(row, ChildStatement)
        and decision.status == IdeaStatus.IN_PLAN
        and _is_young_person(session, child_id, author)
    ):
        row.own_words = True
    stamp(row, actor.label, new=False)
    flush_or_conflict(session, STALE)
    _record(session, actor, child_id, row, "brought_in" if decision.status == IdeaStatus.IN_PLAN else "left_as_idea")
    return row


def _is_young_person(session: Session, child_id: int, member_id: int) -> bool:
    link = session.exec(
        select(FamilyLink).where(FamilyLink.child_id == child_id, FamilyLink.member_id == member_id)
    ).first()
    return link is not None and link.role == FamilyRole.YOUNG_PERSON
