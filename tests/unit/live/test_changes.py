"""Changes to a plan are counted in the same transaction and announced only once committed."""

from __future__ import annotations

from sqlmodel import Session

from app import SaferPlan
from app.actors import Actor
from app.auth.models import AccountKind
from app.cowriting.inputs import IdeaInput
from app.cowriting.operations import add_statement
from app.demo.seed import DemoPeople
from app.live.changes import broker_for, current_version, plan_channel
from app.plans.models import Moment, StatementKind
from app.plans.versions import draft_of, open_plan_for_child
from app.whats_new.models import PlanSeen

IDEA = IdeaInput(moment=Moment.EVERYDAY, kind=StatementKind.CAN, text="call Aunt Dee from the bus stop")


def _jordan(demo: DemoPeople) -> Actor:
    return Actor(kind=AccountKind.FAMILY, account_id=demo.young_person_id)


def test_a_change_to_a_plan_moves_its_channel_on_and_is_announced_after_commit(
    application: SaferPlan, db: Session, demo: DemoPeople
) -> None:
    channel = plan_channel(demo.jordan_id)
    before = current_version(db, channel)
    with broker_for(application.database.engine).subscribe([channel]) as heard:
        add_statement(session=db, actor=_jordan(demo), child_id=demo.jordan_id, idea=IDEA)
        db.flush()
        assert current_version(db, channel) == before + 1
        assert heard.next_message(timeout=0.2) is None  # not yet committed: nothing said
        db.commit()
        assert heard.next_message(timeout=2) == (channel, str(before + 1))


def test_a_rolled_back_change_is_neither_counted_nor_announced(
    application: SaferPlan, db: Session, demo: DemoPeople
) -> None:
    channel = plan_channel(demo.jordan_id)
    db.commit()
    before = current_version(db, channel)
    with broker_for(application.database.engine).subscribe([channel]) as heard:
        add_statement(session=db, actor=_jordan(demo), child_id=demo.jordan_id, idea=IDEA)
        db.flush()
        db.rollback()
        db.commit()
        assert heard.next_message(timeout=0.3) is None
    assert current_version(db, channel) == before


def test_rows_that_are_not_plan_content_do_not_move_the_channel(db: Session, demo: DemoPeople) -> None:
    channel = plan_channel(demo.kayla_id)
    before = current_version(db, channel)
    # A "what's new" bookmark is not plan content: opening the plan must not make every page refresh.
    kayla = open_plan_for_child(session=db, child_id=demo.kayla_id)
    assert kayla is not None
    draft = draft_of(session=db, plan_id=kayla.id or 0)
    db.add(PlanSeen(member_id=demo.young_person_id, child_id=demo.kayla_id, version_id=draft.id or 0))
    db.flush()
    assert current_version(db, channel) == before


def test_another_childs_plan_is_another_channel(db: Session, demo: DemoPeople) -> None:
    kayla = current_version(db, plan_channel(demo.kayla_id))
    add_statement(session=db, actor=_jordan(demo), child_id=demo.jordan_id, idea=IDEA)
    db.flush()
    assert current_version(db, plan_channel(demo.kayla_id)) == kayla
