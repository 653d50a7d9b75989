"""R27: sensitive fields are encrypted at rest with a key from configuration, not the database."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from app.plans import edits, versions
from app.plans.inputs import ContactInput, NetworkPersonInput, PlaceInput
from app.plans.models import Safety
from tests.factories import people, plans
from tests.factories.people import Case

CANARY = "canary-7f3a9c"


def test_r27_canaries_in_sensitive_fields_never_reach_the_database_in_clear(db: Session, case: Case) -> None:
    # Jordan Ellis, his family and Sam (tests/factories); Sam starts his plan and writes into the draft.
    actor = people.actor(case.worker)
    plan = plans.plan(db, case.child, by=case.worker)
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    edits.update_draft(
        session=db,
        actor=actor,
        version_id=draft.id or 0,
        update=edits.DraftUpdate(
            expected_revision=draft.revision,
            **{"safe_word": f"{CANARY}-word", "if_missing_take_to": f"{CANARY}-address"},
        ),
    )
    for item in (
        ContactInput(name=f"{CANARY}-contact", phone=f"{CANARY}-phone"),
        NetworkPersonInput(name=f"{CANARY}-person", safety=Safety.NOT_SAFE, involvement=f"{CANARY}-inv"),
        PlaceInput(name=f"{CANARY}-place", address=f"{CANARY}-street", safety=Safety.NOT_SAFE),
    ):
        edits.add_item(session=db, actor=actor, version_id=draft.id or 0, item=item)
    db.flush()

    leaks = []
    for table, columns in {
        "plan_version": ["safe_word", "if_missing_take_to"],
        "emergency_contact": ["name", "phone"],
        "network_person": ["name", "involvement"],
        "place": ["name", "address"],
        "child": ["first_name", "last_name", "preferred_name", "school"],
    }.items():
        for column in columns:
            # Table and column names come from the literal dict above, never from input.
            query = text(f"SELECT {column} FROM {table}")  # noqa: S608
            for (value,) in db.exec(query):  # type: ignore[call-overload]
                if value and (CANARY in value or value in ("Jordan", "Ellis", "Millbrook Academy")):
                    leaks.append((table, column))
    assert leaks == []
    # ...while the application reads them back in clear.
    db.expire_all()
    assert versions.draft_of(session=db, plan_id=plan.id or 0).safe_word == f"{CANARY}-word"


def test_r27_a_young_person_added_by_a_worker_has_their_names_and_school_encrypted(
    db: Session,
) -> None:
    """Issue 9: the names and school typed on "add a young person" never reach the database in clear."""
    from app.cases.inputs import NewYoungPerson, YesNo
    from app.cases.operations import add_young_person
    from app.people.models import Child
    from app.plans.models import MeetingType
    from app.timeutil import today

    actor = people.actor(people.other_case(db).worker)
    born = today().replace(year=today().year - 13, day=1)
    case = add_young_person(
        session=db,
        actor=actor,
        person=NewYoungPerson(
            first_name=f"{CANARY}-first",
            last_name=f"{CANARY}-last",
            preferred_name=f"{CANARY}-preferred",
            date_of_birth=born,
            school=f"{CANARY}-school",
            meeting_type=MeetingType.SAFER_ME,
            open_to_csw=YesNo.NO,
        ),
    )
    db.flush()
    query = text("SELECT first_name, last_name, preferred_name, school FROM child WHERE id = :id")
    stored = db.exec(query, params={"id": case.child.id}).one()  # type: ignore[call-overload]
    assert all(value and CANARY not in value for value in stored)
    db.expire_all()
    assert db.get(Child, case.child.id).school == f"{CANARY}-school"  # type: ignore[union-attr]
