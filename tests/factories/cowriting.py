"""What family members write into the draft themselves: ideas, safe places, people to call."""

from __future__ import annotations

from sqlmodel import Session

from app.cowriting.inputs import IdeaInput, PersonToCallInput, SafePlaceInput
from app.cowriting.operations import add_contact, add_place, add_statement
from app.people.models import Child, FamilyMember
from app.plans.models import ChildStatement, EmergencyContact, Moment, Place, StatementKind
from tests.factories.people import actor


def idea(
    db: Session,
    of: Child,
    text: str,
    *,
    by: FamilyMember,
    moment: Moment = Moment.EVERYDAY,
    kind: StatementKind = StatementKind.CAN,
) -> ChildStatement:
    """An idea added to the child's open draft by a family member (the young person's are own words)."""
    return add_statement(
        session=db, actor=actor(by), child_id=of.id or 0, idea=IdeaInput(moment=moment, kind=kind, text=text)
    )


def safe_place(db: Session, of: Child, name: str, *, by: FamilyMember, notes: str = "") -> Place:
    return add_place(session=db, actor=actor(by), child_id=of.id or 0, place=SafePlaceInput(name=name, notes=notes))


def person_to_call(
    db: Session, of: Child, name: str, phone: str, *, by: FamilyMember, relationship: str = ""
) -> EmergencyContact:
    return add_contact(
        session=db,
        actor=actor(by),
        child_id=of.id or 0,
        contact=PersonToCallInput.parse({"name": name, "phone": phone, "relationship": relationship}),
    )
