"""The drafting service: the review rule, moves, removals, family idea decisions, start a plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from app.actors import Actor
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.drafting import operations
from app.drafting.inputs import Direction, DraftFields, IdeaDecision, ItemRef, ListKey, Move
from app.errors import Conflict, NotFound, ValidationFailed
from app.meetings.models import Meeting
from app.people.models import Child
from app.plans.inputs import ActionInput, StatementInput
from app.plans.models import ChildStatement, IdeaStatus, Moment, PlanAction, StatementKind
from app.plans.versions import open_plan_for_child
from app.timeutil import today
from tests.support.roles import practitioner_id


def _sam(db: Session, demo: DemoPeople) -> Actor:
    return Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner_id(db, demo.social_worker_email))


def test_the_review_is_after_the_day_and_at_most_8_weeks_later() -> None:
    day = date(2026, 12, 1)
    operations.check_review(day + timedelta(days=1), day)
    operations.check_review(day + timedelta(days=56), day)
    for refused in (day, day - timedelta(days=1), day + timedelta(days=57)):
        with pytest.raises(ValidationFailed) as refusal:
            operations.check_review(refused, day)
        assert "review_date" in refusal.value.errors


def test_the_review_counts_from_the_next_meeting_when_one_is_scheduled(db: Session, demo: DemoPeople) -> None:
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    assert operations.meeting_day(db, plan.id or 0) == today()
    meeting_on = today() + timedelta(days=10)
    db.add(
        Meeting(
            child_id=demo.jordan_id,
            plan_id=plan.id or 0,
            meeting_type="safer_me",
            starts_at=datetime(meeting_on.year, meeting_on.month, meeting_on.day, 12, tzinfo=UTC),
            place="school",
            created_by="test",
            updated_by="test",
        )
    )
    db.flush()
    assert operations.meeting_day(db, plan.id or 0) == meeting_on
    sam = _sam(db, demo)
    draft = operations.writable_draft(session=db, actor=sam, child_id=demo.jordan_id)
    # 60 days from today is within 8 weeks of the meeting in 10 days' time.
    fields = DraftFields(expected_revision=draft.revision, review_date=today() + timedelta(days=60))
    assert operations.update_fields(session=db, actor=sam, child_id=demo.jordan_id, fields=fields).review_date


def test_moving_renumbers_the_list_and_a_stale_move_is_a_conflict(db: Session, demo: DemoPeople) -> None:
    sam = _sam(db, demo)
    for words in ("one", "two", "three"):
        operations.add_item(
            session=db,
            actor=sam,
            child_id=demo.jordan_id,
            key=ListKey.ACTIONS,
            item=ActionInput(who="Sam", action=words, aim="aim", success="success"),
        )
    draft = operations.writable_draft(session=db, actor=sam, child_id=demo.jordan_id)

    def order() -> list[str]:
        rows = db.exec(
            select(PlanAction).where(PlanAction.version_id == draft.id).order_by(col(PlanAction.position))
        ).all()
        return [r.action for r in rows if r.action in ("one", "two", "three")]

    three = db.exec(select(PlanAction).where(PlanAction.action == "three")).one()
    operations.move_item(
        session=db,
        actor=sam,
        child_id=demo.jordan_id,
        key=ListKey.ACTIONS,
        move=Move(item_id=three.id or 0, expected_revision=three.revision, direction=Direction.UP),
    )
    assert order() == ["one", "three", "two"]
    with pytest.raises(Conflict):
        operations.move_item(
            session=db,
            actor=sam,
            child_id=demo.jordan_id,
            key=ListKey.ACTIONS,
            move=Move(item_id=three.id or 0, expected_revision=1, direction=Direction.UP),
        )


def test_removing_checks_the_revision_and_a_row_of_another_list_is_not_found(db: Session, demo: DemoPeople) -> None:
    sam = _sam(db, demo)
    row = operations.add_item(
        session=db,
        actor=sam,
        child_id=demo.jordan_id,
        key=ListKey.STATEMENTS,
        item=StatementInput(moment=Moment.EVERYDAY, kind=StatementKind.NEED, text="a lift home"),
    )
    with pytest.raises(Conflict):
        operations.remove_item(
            session=db,
            actor=sam,
            child_id=demo.jordan_id,
            key=ListKey.STATEMENTS,
            ref=ItemRef(item_id=row.id or 0, expected_revision=row.revision + 1),
        )
    with pytest.raises(NotFound):
        operations.remove_item(
            session=db,
            actor=sam,
            child_id=demo.kayla_id,
            key=ListKey.STATEMENTS,
            ref=ItemRef(item_id=row.id or 0, expected_revision=row.revision),
        )
    operations.remove_item(
        session=db,
        actor=sam,
        child_id=demo.jordan_id,
        key=ListKey.STATEMENTS,
        ref=ItemRef(item_id=row.id or 0, expected_revision=row.revision),
    )
    assert db.get(ChildStatement, row.id) is None


def test_only_family_ideas_are_decided_and_the_young_persons_stay_their_own_words(
    db: Session, demo: DemoPeople
) -> None:
    sam = _sam(db, demo)
    own = operations.add_item(
        session=db,
        actor=sam,
        child_id=demo.jordan_id,
        key=ListKey.STATEMENTS,
        item=StatementInput(moment=Moment.EVERYDAY, kind=StatementKind.NEED, text="Sam's words"),
    )
    with pytest.raises(NotFound):
        operations.decide_idea(
            session=db,
            actor=sam,
            child_id=demo.jordan_id,
            key=ListKey.STATEMENTS,
            decision=IdeaDecision(item_id=own.id or 0, expected_revision=own.revision, status=IdeaStatus.IDEA),
        )
    with pytest.raises(NotFound):
        operations.decide_idea(
            session=db,
            actor=sam,
            child_id=demo.jordan_id,
            key=ListKey.ACTIONS,
            decision=IdeaDecision(item_id=1, expected_revision=1, status=IdeaStatus.IDEA),
        )
    draft = operations.writable_draft(session=db, actor=sam, child_id=demo.jordan_id)
    jordans = db.exec(
        select(ChildStatement).where(
            ChildStatement.version_id == draft.id, ChildStatement.written_by_member_id == demo.young_person_id
        )
    ).first()
    assert jordans is not None
    jordans.own_words = False  # as if a worker had unticked it: bringing it in marks it again
    db.flush()
    decided = operations.decide_idea(
        session=db,
        actor=sam,
        child_id=demo.jordan_id,
        key=ListKey.STATEMENTS,
        decision=IdeaDecision(item_id=jordans.id or 0, expected_revision=jordans.revision, status=IdeaStatus.IN_PLAN),
    )
    assert isinstance(decided, ChildStatement) and decided.own_words and decided.idea_status == IdeaStatus.IN_PLAN


def test_a_child_without_a_plan_gets_one_started_with_an_empty_draft(db: Session, demo: DemoPeople) -> None:
    sam = _sam(db, demo)
    kayla = db.get(Child, demo.kayla_id)
    assert kayla is not None
    with pytest.raises(NotFound):  # Sam has no link to Kayla
        operations.start_draft(session=db, actor=sam, child_id=demo.kayla_id)
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    plan.status = "closed"
    db.flush()
    draft = operations.start_draft(session=db, actor=sam, child_id=demo.jordan_id)
    assert draft.number == 1 and draft.agreed_at is None and draft.plan_id != plan.id
    again = operations.start_draft(session=db, actor=sam, child_id=demo.jordan_id)
    assert again.id == draft.id


def test_a_worker_changing_a_family_idea_keeps_whose_idea_it_was(db: Session, demo: DemoPeople) -> None:
    sam = _sam(db, demo)
    draft = operations.writable_draft(session=db, actor=sam, child_id=demo.jordan_id)
    jordans = db.exec(
        select(ChildStatement).where(
            ChildStatement.version_id == draft.id, ChildStatement.written_by_member_id == demo.young_person_id
        )
    ).first()
    assert jordans is not None
    changed = operations.change_item(
        session=db,
        actor=sam,
        child_id=demo.jordan_id,
        key=ListKey.STATEMENTS,
        ref=ItemRef(item_id=jordans.id or 0, expected_revision=jordans.revision),
        item=StatementInput(
            moment=Moment.EVERYDAY, kind=StatementKind.CAN, text="ask Aunt Dee for a lift", own_words=True
        ),
    )
    assert isinstance(changed, ChildStatement)
    assert (changed.text, changed.written_by_member_id, changed.updated_by) == (
        "ask Aunt Dee for a lift",
        demo.young_person_id,
        sam.label,
    )
