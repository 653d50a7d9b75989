"""Rows read by hand (app.plans.at_once) are the objects an ordinary ORM query would load: the same
values, decrypted and converted the same way, held by the session as loaded (clean)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlmodel import Session, select

from app.actors import Actor
from app.people.models import Child, FamilyLink, FamilyMember
from app.plans.models import EmergencyContact, Place, Plan, PlanVersion
from app.plans.reading import IDEA_LISTS, LIST_MODELS, read_plan
from tests.factories.busy_plan import busy_plan
from tests.factories.people import Case, actor


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
