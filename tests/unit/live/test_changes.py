"""Changes to a plan are counted in the same transaction and announced only once committed."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app import SaferPlan
from app.actors import Actor
from app.cowriting.inputs import IdeaInput
from app.cowriting.operations import add_statement
from app.live.changes import broker_for, current_version, plan_channel
from app.plans.models import Moment, StatementKind
from app.plans.versions import draft_of, open_plan_for_child
from app.whats_new.models import PlanSeen
from tests.factories import people, plans
from tests.factories.people import Case

IDEA = IdeaInput(moment=Moment.EVERYDAY, kind=StatementKind.CAN, text="call Aunt Dee from the bus stop")


def _jordan(case: Case) -> Actor:
    return people.actor(case.young_person)


@pytest.fixture
def jordans_plan(db: Session, case: Case) -> Case:
    """Jordan's case with a plan started (ideas go into its draft)."""
    plans.plan(db, case.child, by=case.worker)
    return case


@pytest.fixture
def kay(db: Session) -> Case:
    """Kay's case, with a plan of her own: another child, another channel."""
    kay = people.other_case(db)
    plans.plan(db, kay.child, by=kay.worker)
    return kay


def test_a_change_to_a_plan_moves_its_channel_on_and_is_announced_after_commit(
    application: SaferPlan, db: Session, jordans_plan: Case
) -> None:
    case = jordans_plan
    channel = plan_channel(case.child.id or 0)
    before = current_version(db, channel)
    with broker_for(application.database.engine).subscribe([channel]) as heard:
        add_statement(session=db, actor=_jordan(case), child_id=case.child.id or 0, idea=IDEA)
        db.flush()
        assert current_version(db, channel) == before + 1
        assert heard.next_message(timeout=0.2) is None  # not yet committed: nothing said
        db.commit()
        assert heard.next_message(timeout=2) == (channel, str(before + 1))


def test_a_savepoint_released_before_the_commit_announces_nothing_yet(
    application: SaferPlan, db: Session, jordans_plan: Case
) -> None:
    """insert_or_conflict releases a savepoint mid-request: SQLAlchemy's after_commit fires for it,
    but the change is not committed until the request's own commit, which alone announces it."""
    case = jordans_plan
    channel = plan_channel(case.child.id or 0)
    db.commit()
    before = current_version(db, channel)
    with broker_for(application.database.engine).subscribe([channel]) as heard:
        add_statement(session=db, actor=_jordan(case), child_id=case.child.id or 0, idea=IDEA)
        db.flush()
        with db.begin_nested():
            pass
        assert heard.next_message(timeout=0.3) is None
        db.commit()
        assert heard.next_message(timeout=2) == (channel, str(before + 1))


def test_a_rolled_back_change_is_neither_counted_nor_announced(
    application: SaferPlan, db: Session, jordans_plan: Case
) -> None:
    case = jordans_plan
    channel = plan_channel(case.child.id or 0)
    db.commit()
    before = current_version(db, channel)
    with broker_for(application.database.engine).subscribe([channel]) as heard:
        add_statement(session=db, actor=_jordan(case), child_id=case.child.id or 0, idea=IDEA)
        db.flush()
        db.rollback()
        db.commit()
        assert heard.next_message(timeout=0.3) is None
    assert current_version(db, channel) == before


def test_rows_that_are_not_plan_content_do_not_move_the_channel(db: Session, kay: Case) -> None:
    channel = plan_channel(kay.child.id or 0)
    before = current_version(db, channel)
    # A "what's new" bookmark is not plan content: opening the plan must not make every page refresh.
    kays_plan = open_plan_for_child(session=db, child_id=kay.child.id or 0)
    assert kays_plan is not None
    draft = draft_of(session=db, plan_id=kays_plan.id or 0)
    db.add(PlanSeen(member_id=kay.young_person.id or 0, child_id=kay.child.id or 0, version_id=draft.id or 0))
    db.flush()
    assert current_version(db, channel) == before


def test_another_childs_plan_is_another_channel(db: Session, jordans_plan: Case, kay: Case) -> None:
    kays = current_version(db, plan_channel(kay.child.id or 0))
    add_statement(session=db, actor=_jordan(jordans_plan), child_id=jordans_plan.child.id or 0, idea=IDEA)
    db.flush()
    assert current_version(db, plan_channel(kay.child.id or 0)) == kays
