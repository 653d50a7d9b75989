"""Co-writing: the young person (and trusted adults they allow) change their own words in the draft.

Family members change only rows they wrote: statements from the meeting (no family author) and
other people's words are the practitioners' to change. The plan is the young person's, though:
they may take any idea that is not agreed yet out of the draft. Every edit states the revision it
started from, so two phones editing at once end in a Conflict, never a lost sentence (R24).

A family member also adds a place that feels safe, or someone they would call, and may take out
only the ones they added. A place a family member adds is always "safe": whether a place is not
safe is for the practitioners to record, and family never add (or see) such a place (R4).
"""

from __future__ import annotations

from typing import cast

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.cowriting.inputs import IdeaEdit, IdeaInput, PersonToCallInput, SafePlaceInput
from app.cowriting.queries import statements_since_agreed
from app.db import flush_or_conflict
from app.errors import Conflict, NotFound, ValidationFailed
from app.models_base import stamp
from app.plans.edits import next_position
from app.plans.models import ChildStatement, EmergencyContact, Place, Safety
from app.plans.versions import latest_agreed, open_draft

MOVE_DIRECTIONS = ("up", "down")

FamilyItem = EmergencyContact | Place


def own_draft_statement(*, session: Session, actor: Actor, child_id: int, statement_id: int) -> ChildStatement:
    """A statement in the child's open draft that this family member wrote and may change; else NotFound."""
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    draft = open_draft(session=session, child_id=child_id)
    statement = session.get(ChildStatement, statement_id)
    if (
        statement is None
        or statement.version_id != draft.id
        or statement.written_by_member_id is None
        or statement.written_by_member_id != actor.account_id
    ):
        raise NotFound()
    return statement


def _record(session: Session, actor: Actor, child_id: int, entity: str, entity_id: int | None, action: str) -> None:
    record_change(session=session, actor=actor, child_id=child_id, entity=entity, entity_id=entity_id, action=action)


def _add_new(session: Session, actor: Actor, child_id: int, row: ChildStatement | FamilyItem, entity: str) -> None:
    """Save a new row of the draft the family member wrote, and log it."""
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    _record(session, actor, child_id, entity, row.id, "created")


STALE = "it changed since you opened it"


def _check_revision(row: ChildStatement | FamilyItem, expected_revision: int) -> None:
    # The form's revision against the one loaded; the write then checks the loaded one again, in
    # the same statement (flush_or_conflict), so a save racing this one cannot slip between (R24).
    if row.revision != expected_revision:
        raise Conflict(STALE)


def add_statement(*, session: Session, actor: Actor, child_id: int, idea: IdeaInput) -> ChildStatement:
    """A family member who may co-write adds a statement to the draft, marked as their words.

    The young person's statements are their own words; a trusted adult's are marked as theirs
    (`written_by_member_id`) and never pass for the young person's.
    """
    access = policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    draft = open_draft(session=session, child_id=child_id)
    statement = ChildStatement(
        version_id=draft.id or 0,
        moment=idea.moment,
        kind=idea.kind,
        text=idea.text,
        own_words=access.holds("statements.own_words"),
        written_by_member_id=actor.account_id,
        position=next_position(session, ChildStatement, draft.id or 0),
    )
    _add_new(session, actor, child_id, statement, "child_statement")
    return statement


def edit_statement(
    *, session: Session, actor: Actor, child_id: int, statement_id: int, edit: IdeaEdit
) -> ChildStatement:
    """Change one's own statement in the draft; a stale revision is a Conflict and nothing changes."""
    statement = own_draft_statement(session=session, actor=actor, child_id=child_id, statement_id=statement_id)
    moment = edit.moment if edit.moment is not None else statement.moment
    kind = edit.kind if edit.kind is not None else statement.kind
    _check_revision(statement, edit.expected_revision)
    if (edit.text, moment, kind) == (statement.text, statement.moment, statement.kind):
        return statement  # nothing changed: no new revision, no change record
    statement.text, statement.moment, statement.kind = edit.text, moment, kind
    stamp(statement, actor.label, new=False)
    flush_or_conflict(session, STALE)
    _record(session, actor, child_id, "child_statement", statement.id, "updated")
    return statement


def statement_to_take_out(*, session: Session, actor: Actor, child_id: int, statement_id: int) -> ChildStatement:
    """A statement in the open draft this family member may take out; else NotFound.

    One's own words, and for the young person, whose plan it is, any idea not agreed yet (a trusted
    adult's, or one a worker wrote in since the meeting). What the meeting agreed stays until the
    next meeting; a trusted adult takes out only their own.
    """
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    draft = open_draft(session=session, child_id=child_id)
    statement = session.get(ChildStatement, statement_id)
    if statement is None or statement.version_id != draft.id:
        raise NotFound()
    if statement.written_by_member_id is not None and statement.written_by_member_id == actor.account_id:
        return statement
    # Audited: someone else's words are the young person's to take out, no one else's.
    policy.require("statements.take_out_any", session=session, actor=actor, child_id=child_id)
    agreed = latest_agreed(session=session, plan_id=draft.plan_id)
    not_agreed, _taken_out = statements_since_agreed(session, draft=draft, agreed=agreed)
    if statement_id not in {row.id for row in not_agreed}:
        raise NotFound()
    return statement


def delete_statement(
    *, session: Session, actor: Actor, child_id: int, statement_id: int, expected_revision: int
) -> None:
    """Take a statement out of the draft (see `statement_to_take_out` for whose); a stale revision
    is a Conflict and nothing changes."""
    statement = statement_to_take_out(session=session, actor=actor, child_id=child_id, statement_id=statement_id)
    _check_revision(statement, expected_revision)
    session.delete(statement)
    flush_or_conflict(session, STALE)
    _record(session, actor, child_id, "child_statement", statement_id, "deleted")


def move_statement(
    *,
    session: Session,
    actor: Actor,
    child_id: int,
    statement_id: int,
    direction: str,
    expected_revision: int,
    among: frozenset[int] | None = None,
) -> ChildStatement:
    """Swap one's own statement with the next of one's own in the same list ("I will", every day...).

    Only the writer's own statements change place, so no one else's words move. `among`, if given,
    limits the neighbours to those statement ids (the list the person is looking at).
    """
    statement = own_draft_statement(session=session, actor=actor, child_id=child_id, statement_id=statement_id)
    if direction not in MOVE_DIRECTIONS:
        raise ValidationFailed({"direction": _l("Choose up or down.")})
    _check_revision(statement, expected_revision)
    siblings = [
        s
        for s in session.exec(
            select(ChildStatement)
            .where(
                ChildStatement.version_id == statement.version_id,
                ChildStatement.moment == statement.moment,
                ChildStatement.kind == statement.kind,
                ChildStatement.written_by_member_id == actor.account_id,
            )
            .order_by(col(ChildStatement.position), col(ChildStatement.id))
        ).all()
        if among is None or s.id in among or s.id == statement.id
    ]
    index = next(i for i, s in enumerate(siblings) if s.id == statement.id)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return statement  # already first (or last): nothing to do
    other = siblings[other_index]
    statement.position, other.position = other.position, statement.position
    stamp(statement, actor.label, new=False)
    stamp(other, actor.label, new=False)
    flush_or_conflict(session, STALE)
    for moved in (statement, other):
        _record(session, actor, child_id, "child_statement", moved.id, "moved")
    return statement


def add_place(*, session: Session, actor: Actor, child_id: int, place: SafePlaceInput) -> Place:
    """A family member who may co-write adds a safe place to the draft, marked as theirs."""
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    draft = open_draft(session=session, child_id=child_id)
    row = Place(
        version_id=draft.id or 0,
        name=place.name,
        notes=place.notes or None,
        safety=Safety.SAFE,  # never anything else from family
        written_by_member_id=actor.account_id,
        position=next_position(session, Place, draft.id or 0),
    )
    _add_new(session, actor, child_id, row, "place")
    return row


def add_contact(*, session: Session, actor: Actor, child_id: int, contact: PersonToCallInput) -> EmergencyContact:
    """A family member who may co-write adds someone they would call to the draft, marked as theirs."""
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    draft = open_draft(session=session, child_id=child_id)
    row = EmergencyContact(
        version_id=draft.id or 0,
        name=contact.name,
        phone=contact.phone,
        relationship=contact.relationship,
        written_by_member_id=actor.account_id,
        position=next_position(session, EmergencyContact, draft.id or 0),
    )
    _add_new(session, actor, child_id, row, "emergency_contact")
    return row


def own_draft_item(
    *, session: Session, actor: Actor, child_id: int, model: type[FamilyItem], item_id: int
) -> FamilyItem:
    """A place or contact in the child's open draft that this family member added; else NotFound."""
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    draft = open_draft(session=session, child_id=child_id)
    item = cast("FamilyItem | None", session.get(model, item_id))
    if (
        item is None
        or item.version_id != draft.id
        or item.written_by_member_id is None
        or item.written_by_member_id != actor.account_id
        or (isinstance(item, Place) and item.safety == Safety.NOT_SAFE)
    ):
        raise NotFound()
    return item


def delete_item(
    *,
    session: Session,
    actor: Actor,
    child_id: int,
    model: type[FamilyItem],
    item_id: int,
    expected_revision: int,
) -> None:
    """Take out a place or contact one added; a stale revision is a Conflict and nothing changes."""
    item = own_draft_item(session=session, actor=actor, child_id=child_id, model=model, item_id=item_id)
    _check_revision(item, expected_revision)
    session.delete(item)
    flush_or_conflict(session, STALE)
    _record(session, actor, child_id, str(model.__tablename__), item_id, "deleted")
