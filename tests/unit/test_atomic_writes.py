"""R24: the check and the write are one step, on the real database (SQLite, or PostgreSQL by DATABASE_URL).

Two sessions stand for two requests. Writes to an existing row (a draft's fields, an idea, an agency
action) are tested with the first writer holding the row as it loaded it while the second saves and
commits: exactly what a request that read the row just before another committed holds on
PostgreSQL. Appending to a commitment's history is tested with the writers interleaved for real
(tests.support.two_writers): the first holds its transaction open until the second waits for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import SaferPlan
from app.access.models import SectionShare
from app.actors import Actor
from app.agency_actions.operations import AgencyActionEdit, update_my_agency_action
from app.agency_actions.queries import actions_for_my_agency
from app.commitments.inputs import CommentInput
from app.commitments.models import CommitmentUpdate
from app.commitments.operations import comment_on, mark_done
from app.commitments.queries import current_progress
from app.cowriting.inputs import IdeaEdit
from app.cowriting.operations import delete_statement, edit_statement, own_draft_statement
from app.errors import Conflict
from app.people.models import Agency, CaseRole, Child, Practitioner, PractitionerRole
from app.plans.edits import DraftUpdate, update_draft
from app.plans.inputs import AgencyActionInput
from app.plans.models import (
    PLAN_ITEM_MODELS,
    AgencyAction,
    AgencyActionKind,
    CarerCommitment,
    ChildStatement,
    Plan,
    PlanVersion,
)
from app.plans.versions import family_version, open_draft, open_plan_for_child
from tests.factories import commitments, people, plans
from tests.factories.cowriting import idea
from tests.support.two_writers import BuiltDatabase, built_database, in_thread, wait_until_someone_waits_for_a_lock

# Jordan's own idea in the draft: his to change or take out.
JORDANS_IDEA = "ask Aunt Dee to pick me up from boxing if it's dark"
FRIDAY, MONDAY = date(2026, 12, 11), date(2026, 12, 14)
THREAD_TIMEOUT = 30


@dataclass(frozen=True)
class World:
    database: BuiltDatabase[Built]
    jordan: Actor  # the young person
    lisa: Actor  # his mum
    sam: Actor  # his social worker
    rhys: Actor  # PC Hughes, police agency partner
    statement_id: int
    commitment_id: int  # Lisa's first commitment in the version the family sees

    @property
    def child_id(self) -> int:
        return self.database.built.case.child.id or 0


@dataclass(frozen=True)
class Built:
    case: people.Case
    rhys: Practitioner


def _build(session: Session) -> Built:
    """Jordan's plan agreed with a commitment of Lisa's and a police action; then Jordan's own idea."""
    case = people.case(session)
    rhys = people.practitioner(
        session, name="PC Rhys Hughes", role=PractitionerRole.AGENCY_PARTNER, agency=Agency.POLICE, team="Youth"
    )
    people.assign(session, rhys, case.child, CaseRole.AGENCY_PARTNER)
    plans.agreed_plan(
        session,
        case.child,
        commitments.commitment_input(case.parent, "report Jordan missing to the police", by_when="by 10pm"),
        AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="set up the Police Trigger Plan",
            due_on=date(2026, 11, 2),
        ),
        by=case.worker,
    )
    idea(session, case.child, JORDANS_IDEA, by=case.young_person)
    return Built(case=case, rhys=rhys)


@pytest.fixture(scope="module")
def world(application: SaferPlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A database of its own (writers here commit), built with factories; `application` sets up field encryption."""
    with built_database(tmp_path_factory.mktemp("atomic"), "atomic", _build) as database:
        # The setup's own transaction ends before any test starts (SQLite: one writer at a time).
        with database.session() as session:
            found = _world(session, database)
        yield found


def _world(session: Session, database: BuiltDatabase[Built]) -> World:
    case, rhys = database.built.case, database.built.rhys
    statement_id = session.exec(
        select(ChildStatement.id).where(
            ChildStatement.text == JORDANS_IDEA, ChildStatement.written_by_member_id == case.young_person.id
        )
    ).one()
    plan = open_plan_for_child(session=session, child_id=case.child.id or 0)
    assert plan is not None
    shown = family_version(session=session, plan_id=plan.id or 0)
    commitment_id = session.exec(
        select(CarerCommitment.id)
        .where(CarerCommitment.version_id == shown.id, CarerCommitment.member_id == case.parent.id)
        .order_by(col(CarerCommitment.id))
    ).first()
    assert statement_id is not None and commitment_id is not None
    return World(
        database=database,
        jordan=people.actor(case.young_person),
        lisa=people.actor(case.parent),
        sam=people.actor(case.worker),
        rhys=people.actor(rhys),
        statement_id=statement_id,
        commitment_id=commitment_id,
    )


def _updates(world: World) -> int:
    with world.database.session() as session:
        return session.exec(
            select(func.count())
            .select_from(CommitmentUpdate)
            .where(CommitmentUpdate.commitment_id == world.commitment_id)
        ).one()


def test_r24_only_rows_edited_from_a_form_check_their_revision_on_write() -> None:
    """Plan items, plan versions and sharing choices are versioned; accounts and people are not, on
    purpose: an admin's second save of a name is last-write-wins, not an error no form explains."""
    models = (*PLAN_ITEM_MODELS, PlanVersion, SectionShare, Plan, Practitioner, Child)
    checked = {m for m in models if inspect(m).version_id_col is not None}
    assert checked == {*PLAN_ITEM_MODELS, PlanVersion, SectionShare}


def test_r24_a_stale_draft_field_update_is_a_conflict_and_keeps_the_other_words(world: World) -> None:
    with world.database.session() as first, world.database.session() as second:
        draft = open_draft(session=first, child_id=world.child_id)
        seen = draft.revision
        first.commit()  # the form is on a screen; the first writer still holds the draft as it loaded it
        saved = update_draft(
            session=second,
            actor=world.sam,
            version_id=draft.id or 0,
            update=DraftUpdate(expected_revision=seen, contingency_steps="Sam's words, saved first"),
        )
        second.commit()
        assert saved.revision == seen + 1  # stamp's own +1, not doubled by the version counter

        with pytest.raises(Conflict):
            update_draft(
                session=first,
                actor=world.sam,
                version_id=draft.id or 0,
                update=DraftUpdate(expected_revision=seen, contingency_steps="Priya's words, from the same revision"),
            )
        # The session is usable at once (a view renders the conflict with it): it reads the draft as it is now.
        now = first.get(PlanVersion, draft.id)
        assert now is not None
        assert (now.contingency_steps, now.revision) == ("Sam's words, saved first", seen + 1)
        first.commit()


def test_r24_a_stale_delete_is_a_conflict_and_the_changed_idea_stays(world: World) -> None:
    """Jordan takes his idea out on an old screen after changing it on his other phone: nothing is lost."""
    with world.database.session() as first, world.database.session() as second:
        statement = own_draft_statement(
            session=first, actor=world.jordan, child_id=world.child_id, statement_id=world.statement_id
        )
        seen = statement.revision
        first.commit()
        edit_statement(
            session=second,
            actor=world.jordan,
            child_id=world.child_id,
            statement_id=world.statement_id,
            edit=IdeaEdit(expected_revision=seen, text="ask Aunt Dee to pick me up, changed on my other phone"),
        )
        second.commit()

        with pytest.raises(Conflict):
            delete_statement(
                session=first,
                actor=world.jordan,
                child_id=world.child_id,
                statement_id=world.statement_id,
                expected_revision=seen,
            )
        still = first.get(ChildStatement, world.statement_id)
        assert still is not None and still.text == "ask Aunt Dee to pick me up, changed on my other phone"


def test_r24_a_stale_agency_action_update_is_a_conflict(world: World) -> None:
    with world.database.session() as first, world.database.session() as second:
        action = actions_for_my_agency(session=first, actor=world.rhys, child_id=world.child_id).actions[0]
        action_id, seen = action.id or 0, action.revision
        first.commit()
        update_my_agency_action(
            session=second,
            actor=world.rhys,
            child_id=world.child_id,
            action_id=action_id,
            edit=AgencyActionEdit(expected_revision=seen, action="PC Hughes, saved first", due_on=FRIDAY),
        )
        second.commit()

        with pytest.raises(Conflict):
            update_my_agency_action(
                session=first,
                actor=world.rhys,
                child_id=world.child_id,
                action_id=action_id,
                edit=AgencyActionEdit(expected_revision=seen, action="PC Hughes, on the other tab", due_on=MONDAY),
            )
    with world.database.session() as session:
        row = session.get(AgencyAction, action_id)
        assert row is not None and (row.action, row.due_on) == ("PC Hughes, saved first", FRIDAY)


def _latest(world: World) -> int:
    with world.database.session() as session:
        now = current_progress(session=session, commitment_id=world.commitment_id)
        return now.latest_update_id if now is not None else 0


def test_r24_racing_comments_from_two_phones_add_one_and_refuse_the_other(world: World) -> None:
    latest, before = _latest(world), _updates(world)

    def second_phone() -> str | None:
        with world.database.session() as second:
            try:
                comment_on(
                    session=second,
                    actor=world.lisa,
                    child_id=world.child_id,
                    commitment_id=world.commitment_id,
                    comment=CommentInput(comment="from the second phone", expected_latest=latest),
                )
            finally:
                # Whatever happened, the request goes on with this session: to show both comments.
                now = current_progress(session=second, commitment_id=world.commitment_id)
                second.commit()
            return now.comment if now is not None else None

    with world.database.session() as first:
        comment_on(
            session=first,
            actor=world.lisa,
            child_id=world.child_id,
            commitment_id=world.commitment_id,
            comment=CommentInput(comment="from the first phone", expected_latest=latest),
        )
        thread, outcome = in_thread(second_phone)
        wait_until_someone_waits_for_a_lock(world.database.engine, outcome)  # type: ignore[arg-type]
        first.commit()
    thread.join(THREAD_TIMEOUT)

    assert isinstance(outcome.error, Conflict), outcome.error
    if world.database.engine.dialect.name == "postgresql":
        # The second phone read before the first committed: only the database could refuse it.
        assert isinstance(outcome.error.__cause__, IntegrityError)
    assert _updates(world) == before + 1
    with world.database.session() as session:
        now = current_progress(session=session, commitment_id=world.commitment_id)
        assert now is not None and now.comment == "from the first phone"


def test_r24_done_from_two_phones_at_once_adds_one_update(world: World) -> None:
    with world.database.session() as session:
        now = current_progress(session=session, commitment_id=world.commitment_id)
        done = not (now is not None and now.done)
    before = _updates(world)

    def second_phone() -> CommitmentUpdate | None:
        with world.database.session() as second:
            written = mark_done(
                session=second, actor=world.lisa, child_id=world.child_id, commitment_id=world.commitment_id, done=done
            )
            second.commit()  # its audit of the request stands: only the refused insert was undone
            return written

    with world.database.session() as first:
        assert mark_done(
            session=first, actor=world.lisa, child_id=world.child_id, commitment_id=world.commitment_id, done=done
        )
        thread, outcome = in_thread(second_phone)
        wait_until_someone_waits_for_a_lock(world.database.engine, outcome)  # type: ignore[arg-type]
        first.commit()
    thread.join(THREAD_TIMEOUT)

    assert outcome.error is None, outcome.error
    assert outcome.result is None, "the second phone added a second update"
    assert _updates(world) == before + 1
    with world.database.session() as session:
        now = current_progress(session=session, commitment_id=world.commitment_id)
        assert now is not None and now.done is done
