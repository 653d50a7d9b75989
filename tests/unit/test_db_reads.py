"""Rows read by hand (app.db_reads) are the objects an ordinary ORM query would load: the same
values, decrypted and converted the same way, held by the session as loaded (clean); what the plan
page reads with the plan and its lists (review dates moved by incidents, carers' progress) is what
its own statements read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, inspect
from sqlmodel import Session, col, select

from app.actors import Actor
from app.commitments.queries import commitment_histories, with_progress
from app.db_reads import KeptCompiled, table_of
from app.incidents.queries import review_on
from app.people.models import Child, FamilyLink, FamilyMember
from app.plans.models import CarerCommitment, ChildStatement, EmergencyContact, Place, Plan, PlanVersion
from app.plans.read_model import family_view
from app.plans.reading import IDEA_LISTS, LIST_MODELS, read_plan
from tests.factories import plans
from tests.factories.busy_plan import busy_plan
from tests.factories.people import Case, actor
from tests.support.incidents import freeze, incident


def _values(obj: Any) -> dict[str, Any]:
    return {column.key: getattr(obj, column.key) for column in type(obj).__table__.columns}


def _orm_copy(db: Session, obj: Any) -> Any:
    """The same row as an ordinary query loads it, in a session of its own."""
    with Session(db.connection()) as other:
        model = type(obj)
        return other.exec(select(model).where(model.id == obj.id)).one()


def _fresh(db: Session, case: Case) -> tuple[Session, Actor]:
    db.commit()
    db.expunge_all()  # nothing held: every object below is made from its row
    return db, actor(case.young_person)


def test_a_plan_read_by_hand_holds_what_the_orm_would_load(db: Session, case: Case) -> None:
    busy_plan(db, case, items=20)
    session, reader = _fresh(db, case)
    reading = read_plan(session=session, actor=reader, child_id=case.child_id, permission="plan.read")
    reading.load([(version.id, LIST_MODELS) for version in reading.versions])
    read: list[Any] = [reading.child, reading.plan, *reading.versions]
    read += [row for rows in reading.lists.values() for row in rows]
    read += [part for pair in reading.links for part in pair]
    assert {type(obj) for obj in read} >= {Child, Plan, PlanVersion, EmergencyContact, Place, FamilyLink, FamilyMember}
    for obj in read:
        # Decrypted names and places, aware datetimes, dates, booleans: as the ORM gives them.
        assert _values(obj) == _values(_orm_copy(session, obj)), type(obj).__name__
        state = inspect(obj)
        assert state.persistent and not state.modified and obj in session
    assert reading.child.first_name and reading.child.first_name == case.child.first_name
    # Newest first: the draft, then the agreed version (the family's query reads only these two).
    assert [v.agreed_at is None for v in reading.versions] == [True, False]


def test_a_row_the_session_holds_is_that_object(db: Session, case: Case) -> None:
    """A row whose object the session already holds gives that object, as it stands in the session
    (as an ORM query that does not populate existing objects), without reading the row again."""
    busy_plan(db, case, items=10)
    session, reader = _fresh(db, case)
    child = session.get(Child, case.child_id)
    assert child is not None
    child.preferred_name = "Changed here, not written"
    reading = read_plan(session=session, actor=reader, child_id=case.child_id, permission="plan.read")
    assert reading.child is child and reading.child.preferred_name == "Changed here, not written"
    first = reading.load([(reading.draft.id, IDEA_LISTS)]).items(Place, reading.draft.id)
    again = reading.load([(reading.draft.id, IDEA_LISTS)]).items(Place, reading.draft.id)
    assert first and all(a is b for a, b in zip(first, again, strict=True))


def test_the_plan_is_read_with_each_versions_review_as_incidents_moved_it(
    db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review_on of a read version answers from the reading (no statement) what it would read."""
    freeze(monkeypatch, date(2026, 12, 18))
    agreed = plans.agreed_plan(
        db, case.child, by=case.worker, agreed_on=date(2026, 11, 27), review_date=date(2027, 1, 15)
    )
    when = "2026-12-17T21:00"
    incident(db, case.child, by=case.worker, when=when, review="bring_forward", new_review_date=date(2026, 12, 29))
    incident(db, case.child, by=case.worker, when=when, review="bring_forward", new_review_date=date(2026, 12, 23))
    session, reader = _fresh(db, case)
    reading = read_plan(session=session, actor=reader, child_id=case.child_id, permission="plan.read")
    assert reading.moved_review == {agreed.agreed.id: date(2026, 12, 23), agreed.draft.id: None}
    with counting(session) as sent:
        shown = review_on(session, reading.family_version, reading)
    assert shown == date(2026, 12, 23) == review_on(session, reading.family_version) and not sent


def test_carers_progress_is_read_with_the_commitments(db: Session, case: Case) -> None:
    """The updates read with the lists are every update of each commitment read, oldest first (as
    commitment_histories reads them), and the progress shown is taken from them."""
    busy_plan(db, case, items=20)
    session, reader = _fresh(db, case)
    reading = read_plan(session=session, actor=reader, child_id=case.child_id, permission="plan.read")
    version = reading.family_version
    reading.load([(version.id, [CarerCommitment])])
    commitments = [c.id or 0 for c in reading.items(CarerCommitment, version.id)]
    assert commitments and sorted(reading.updates) == sorted(commitments)
    assert reading.updates == commitment_histories(session=session, commitment_ids=commitments)
    assert any(reading.updates.values())
    view = family_view(reading)
    with counting(session) as sent:
        with_progress(session=session, view=view, reading=reading)
    assert view.progress and not sent


def test_lists_of_one_version_and_of_two_read_at_once_are_each_versions_own(db: Session, case: Case) -> None:
    """One list of the agreed version, another of both: the versions are bound one by one, a list
    that wants one version repeating it (app.plans.reading); no row is missed or read twice."""
    busy_plan(db, case, items=10)
    session, reader = _fresh(db, case)
    reading = read_plan(session=session, actor=reader, child_id=case.child_id, permission="plan.read")
    agreed, draft = reading.agreed, reading.draft
    assert agreed is not None
    reading.load([(agreed.id, [Place, ChildStatement]), (draft.id, [ChildStatement])])
    assert (Place, draft.id) not in reading.lists
    for model, version_id in ((Place, agreed.id), (ChildStatement, agreed.id), (ChildStatement, draft.id)):
        by_query = session.exec(select(model).where(model.version_id == version_id).order_by(col(model.position))).all()
        assert by_query and reading.items(model, version_id) == list(by_query), (model.__name__, version_id)


def test_a_kept_statement_is_compiled_once_and_another_is_never_taken_for_it(db: Session, case: Case) -> None:
    """A kept statement's compiled SQL is found again (a cache hit) by KeptCompiled; a different
    statement looked up there (never expected) is compiled for itself, not given the first's SQL,
    and the first still runs its own afterwards."""
    busy_plan(db, case, items=10)
    places = table_of(Place)
    every = select(places.c.id).order_by(places.c.id)
    some = every.where(places.c.position == 0)
    connection, kept = db.connection(), KeptCompiled()
    every_ids = connection.execute(every).scalars().all()
    some_ids = connection.execute(some).scalars().all()
    assert some_ids and len(some_ids) < len(every_ids)
    first = connection.execute(every, execution_options=kept.options())
    assert first.scalars().all() == every_ids
    again = connection.execute(every, execution_options=kept.options())
    assert again.scalars().all() == every_ids
    assert again.context.cache_hit == connection.dialect.CACHE_HIT  # type: ignore[attr-defined]
    other = connection.execute(some, execution_options=kept.options())
    assert other.scalars().all() == some_ids
    assert other.context.cache_hit == connection.dialect.CACHE_MISS  # type: ignore[attr-defined]
    assert connection.execute(every, execution_options=kept.options()).scalars().all() == every_ids


@contextmanager
def counting(session: Session) -> Iterator[list[str]]:
    """The statements sent on the session's connection while the block runs."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    engine = session.connection().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
