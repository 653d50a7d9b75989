"""Every write to a plan goes through here: start a plan, fill the draft, agree it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.access.actors import Actor
from app.audit.operations import record_change
from app.errors import Conflict, NotFound, ValidationFailed
from app.models_base import Timestamped, choices
from app.plans.models import (
    PLAN_ITEM_MODELS,
    ChildStatement,
    EmergencyContact,
    MeetingType,
    Moment,
    Place,
    Plan,
    PlanItem,
    PlanStatus,
    PlanVersion,
    Safety,
    StatementKind,
)
from app.text import clean_text
from app.timeutil import utcnow

# The review must be no more than 8 weeks after the meeting (seed 001).
MAX_STATEMENT_LENGTH = 500

MAX_REVIEW_GAP_DAYS = 56

# Draft fields a practitioner edits; anything else in a request is ignored (no mass assignment, R5).
OPTIONAL_DRAFT_FIELDS = frozenset({"safe_word", "if_missing_take_to"})
DRAFT_TEXT_FIELDS = (
    "safe_word",
    "if_missing_take_to",
    "contingency_steps",
    "contingency_cover",
    "onward_hub_context",
    "onward_complex_abuse",
    "review_trigger",
    "review_meanwhile",
    "summary_of_changes",
)


def _stamp(row: Timestamped, actor: Actor, *, new: bool) -> None:
    now = utcnow()
    if new:
        row.created_at = now
        row.created_by = actor.label
    else:
        row.revision = (row.revision or 0) + 1
    row.updated_at = now
    row.updated_by = actor.label


def start_plan(*, session: Session, actor: Actor, child_id: int, meeting_type: str = MeetingType.SAFER_ME) -> Plan:
    """Open a plan for a child, with an empty draft as version 1."""
    policy.require("plan.edit", session=session, actor=actor, child_id=child_id)
    if meeting_type not in (MeetingType.SAFER_ME, MeetingType.SAFER_ME_PLUS):
        raise ValidationFailed({"meeting_type": _l("Choose Safer Me or Safer Me Plus.")})
    plan = Plan(child_id=child_id, meeting_type=meeting_type)
    _stamp(plan, actor, new=True)
    session.add(plan)
    session.flush()
    version = PlanVersion(plan_id=plan.id or 0, number=1)
    _stamp(version, actor, new=True)
    session.add(version)
    session.flush()
    record_change(session=session, actor=actor, child_id=child_id, entity="plan", entity_id=plan.id, action="created")
    return plan


def open_plan_for_child(*, session: Session, child_id: int) -> Plan | None:
    return session.exec(
        select(Plan).where(Plan.child_id == child_id, Plan.status == PlanStatus.OPEN).order_by(col(Plan.id).desc())
    ).first()


def draft_of(*, session: Session, plan_id: int) -> PlanVersion:
    draft = session.exec(
        select(PlanVersion).where(PlanVersion.plan_id == plan_id, col(PlanVersion.agreed_at).is_(None))
    ).first()
    if draft is None:
        raise NotFound()
    return draft


def _plan_child(session: Session, version: PlanVersion) -> int:
    plan = session.get(Plan, version.plan_id)
    if plan is None:
        raise NotFound()
    return plan.child_id


def add_item(*, session: Session, actor: Actor, version_id: int, item: PlanItem) -> PlanItem:
    """Append an item to the draft's list of its kind."""
    version = session.get(PlanVersion, version_id)
    if version is None:
        raise NotFound()
    child_id = _plan_child(session, version)
    policy.require("plan.edit", session=session, actor=actor, child_id=child_id)
    model = type(item)
    last = session.exec(
        select(model).where(model.version_id == version_id).order_by(col(model.position).desc())
    ).first()
    item.version_id = version_id
    item.position = (last.position + 1) if last is not None else 0
    _stamp(item, actor, new=True)
    session.add(item)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity=str(model.__tablename__),
        entity_id=getattr(item, "id", None),
        action="created",
    )
    return item


@dataclass(frozen=True)
class DraftUpdate:
    """A change to the draft's own fields, with the revision the editor started from."""

    expected_revision: int
    fields: dict[str, Any]
    review_date: date | None = None


def update_draft(*, session: Session, actor: Actor, version_id: int, update: DraftUpdate) -> PlanVersion:
    """Change the draft's fields; a stale revision is a Conflict and nothing is written (R24)."""
    version = session.get(PlanVersion, version_id)
    if version is None or version.agreed_at is not None:
        raise NotFound()
    child_id = _plan_child(session, version)
    policy.require("plan.edit", session=session, actor=actor, child_id=child_id)
    if version.revision != update.expected_revision:
        raise Conflict("the plan changed since you opened it")
    for name, value in update.fields.items():
        if name in DRAFT_TEXT_FIELDS:
            # Optional encrypted fields are NULL when empty; the other text fields are "".
            empty = None if name in OPTIONAL_DRAFT_FIELDS else ""
            setattr(version, name, clean_text(value) or empty)
    if update.review_date is not None:
        version.review_date = update.review_date
    _stamp(version, actor, new=False)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=child_id, entity="plan_version", entity_id=version.id, action="updated"
    )
    return version


@dataclass(frozen=True)
class Agreement:
    """AGREED BY ... DATE ... SHARED WITH ..., and when the plan will be reviewed."""

    agreed_by: str
    agreed_on: date
    shared_with: str
    review_date: date
    expected_revision: int


def validate_agreement(agreement: Agreement) -> None:
    errors: dict[str, str] = {}
    if not agreement.agreed_by.strip():
        errors["agreed_by"] = _l("Say who agreed the plan.")
    if agreement.review_date <= agreement.agreed_on:
        errors["review_date"] = _l("The review must be after the meeting.")
    elif (agreement.review_date - agreement.agreed_on).days > MAX_REVIEW_GAP_DAYS:
        errors["review_date"] = _l("Reviews are no more than 8 weeks apart.")
    if errors:
        raise ValidationFailed(errors)


def agree_draft(*, session: Session, actor: Actor, plan_id: int, agreement: Agreement) -> PlanVersion:
    """Freeze the draft as the agreed plan and open a new draft that starts as a copy of it."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound()
    policy.require("plan.agree", session=session, actor=actor, child_id=plan.child_id)
    validate_agreement(agreement)
    draft = draft_of(session=session, plan_id=plan_id)
    if draft.revision != agreement.expected_revision:
        raise Conflict("the plan changed since you opened it")
    draft.agreed_by = agreement.agreed_by.strip()
    draft.agreed_on = agreement.agreed_on
    draft.shared_with = agreement.shared_with.strip()
    draft.review_date = agreement.review_date
    draft.agreed_at = utcnow()
    _stamp(draft, actor, new=False)
    session.flush()

    successor = PlanVersion(plan_id=plan_id, number=draft.number + 1)
    for name in (*DRAFT_TEXT_FIELDS, "review_date", "shared_with"):
        setattr(successor, name, getattr(draft, name))
    successor.summary_of_changes = ""
    _stamp(successor, actor, new=True)
    session.add(successor)
    session.flush()
    for model in PLAN_ITEM_MODELS:
        for item in session.exec(select(model).where(model.version_id == draft.id).order_by(col(model.position))):
            data = item.model_dump(exclude={"id", "version_id", "revision"})
            copy = model(**data, version_id=successor.id or 0)
            session.add(copy)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=plan.child_id, entity="plan_version", entity_id=draft.id, action="agreed"
    )
    return draft


# --- Co-writing: the young person (and trusted adults they allow) change their own words --------
#
# Family members only ever touch rows they wrote: statements from the meeting (no family author)
# and other people's words are the practitioners' to change. Every edit states the revision it
# started from, so two phones editing at once end in a Conflict, never a lost sentence (R24).

MOVE_DIRECTIONS = ("up", "down")


def _statement_errors(*, moment: str, kind: str, text: str) -> tuple[str, dict[str, Any]]:
    """The cleaned text and any validation messages for a statement's three fields."""
    errors: dict[str, Any] = {}
    clean = clean_text(text)
    if moment not in choices(Moment):
        errors["moment"] = _l("Choose every day or emergency.")
    if kind not in choices(StatementKind):
        errors["kind"] = _l("Choose I will, I can, I might or I need.")
    if not clean:
        errors["text"] = _l("Write something first.")
    elif len(clean) > MAX_STATEMENT_LENGTH:
        errors["text"] = _l("Keep it under %(n)s characters.", n=MAX_STATEMENT_LENGTH)
    return clean, errors


def _open_draft(session: Session, child_id: int) -> PlanVersion:
    plan = open_plan_for_child(session=session, child_id=child_id)
    if plan is None:
        raise NotFound()
    return draft_of(session=session, plan_id=plan.id or 0)


def own_draft_statement(*, session: Session, actor: Actor, child_id: int, statement_id: int) -> ChildStatement:
    """A statement in the child's open draft that this family member wrote and may change; else NotFound."""
    return _own_draft_statement(session, actor, child_id, statement_id)


def _own_draft_statement(session: Session, actor: Actor, child_id: int, statement_id: int) -> ChildStatement:
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    draft = _open_draft(session, child_id)
    statement = session.get(ChildStatement, statement_id)
    if (
        statement is None
        or statement.version_id != draft.id
        or statement.written_by_member_id is None
        or statement.written_by_member_id != actor.account_id
    ):
        raise NotFound()
    return statement


def _record_statement(session: Session, actor: Actor, child_id: int, statement_id: int | None, action: str) -> None:
    record_change(
        session=session, actor=actor, child_id=child_id, entity="child_statement", entity_id=statement_id, action=action
    )


def _check_revision(statement: ChildStatement, expected_revision: int) -> None:
    if statement.revision != expected_revision:
        raise Conflict("the statement changed since you opened it")


def add_statement(
    *, session: Session, actor: Actor, child_id: int, moment: str, kind: str, text: str
) -> ChildStatement:
    """A family member who may co-write adds a statement to the draft, marked as their words.

    The young person's statements are their own words; a trusted adult's are marked as theirs
    (`written_by_member_id`) and never pass for the young person's.
    """
    access = policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    clean, errors = _statement_errors(moment=moment, kind=kind, text=text)
    if errors:
        raise ValidationFailed(errors)
    draft = _open_draft(session, child_id)
    last = session.exec(
        select(ChildStatement)
        .where(ChildStatement.version_id == draft.id)
        .order_by(col(ChildStatement.position).desc())
    ).first()
    statement = ChildStatement(
        version_id=draft.id or 0,
        moment=moment,
        kind=kind,
        text=clean,
        own_words=access.relation == policy.Relation.SELF,
        written_by_member_id=actor.account_id,
        position=(last.position + 1) if last is not None else 0,
    )
    _stamp(statement, actor, new=True)
    session.add(statement)
    session.flush()
    _record_statement(session, actor, child_id, statement.id, "created")
    return statement


@dataclass(frozen=True)
class StatementEdit:
    """New words (and, optionally, a new moment or starter) with the revision the writer started from."""

    expected_revision: int
    text: str
    moment: str | None = None
    kind: str | None = None


def edit_statement(
    *, session: Session, actor: Actor, child_id: int, statement_id: int, edit: StatementEdit
) -> ChildStatement:
    """Change one's own statement in the draft; a stale revision is a Conflict and nothing changes."""
    statement = _own_draft_statement(session, actor, child_id, statement_id)
    moment = edit.moment if edit.moment is not None else statement.moment
    kind = edit.kind if edit.kind is not None else statement.kind
    clean, errors = _statement_errors(moment=moment, kind=kind, text=edit.text)
    if errors:
        raise ValidationFailed(errors)
    _check_revision(statement, edit.expected_revision)
    if (clean, moment, kind) == (statement.text, statement.moment, statement.kind):
        return statement  # nothing changed: no new revision, no change record
    statement.text, statement.moment, statement.kind = clean, moment, kind
    _stamp(statement, actor, new=False)
    session.flush()
    _record_statement(session, actor, child_id, statement.id, "updated")
    return statement


def delete_statement(
    *, session: Session, actor: Actor, child_id: int, statement_id: int, expected_revision: int
) -> None:
    """Take one's own statement out of the draft; a stale revision is a Conflict and nothing changes."""
    statement = _own_draft_statement(session, actor, child_id, statement_id)
    _check_revision(statement, expected_revision)
    session.delete(statement)
    session.flush()
    _record_statement(session, actor, child_id, statement_id, "deleted")


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
    statement = _own_draft_statement(session, actor, child_id, statement_id)
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
    _stamp(statement, actor, new=False)
    _stamp(other, actor, new=False)
    session.flush()
    for moved in (statement, other):
        _record_statement(session, actor, child_id, moved.id, "moved")
    return statement


# --- Co-writing safe places and people to call (issue 4) -------------------------------------------
#
# A family member adds a place that feels safe, or someone they would call, to the draft, and may
# take out only the ones they added. A place a family member adds is always "safe": whether a place
# is not safe is for the practitioners to record, and family never add (or see) such a place (R4).

MAX_NAME_LENGTH = 120
MAX_RELATIONSHIP_LENGTH = 80
MAX_NOTE_LENGTH = 500
MIN_PHONE_LENGTH = 7
MAX_PHONE_LENGTH = 20
# A UK-style number: digits and spaces, optionally starting with + ("07700 900123", "+44 7700 900123").
_PHONE = re.compile(r"\+?[0-9][0-9 ]*")

FamilyItem = EmergencyContact | Place


def _name_error(name: str) -> Any:
    if not name:
        return _l("Write a name first.")
    if len(name) > MAX_NAME_LENGTH:
        return _l("Keep it under %(n)s characters.", n=MAX_NAME_LENGTH)
    return None


def _next_position(session: Session, model: type[PlanItem], version_id: int) -> int:
    last = session.exec(
        select(model).where(model.version_id == version_id).order_by(col(model.position).desc())
    ).first()
    return (last.position + 1) if last is not None else 0


def add_place(*, session: Session, actor: Actor, child_id: int, name: str, notes: str = "") -> Place:
    """A family member who may co-write adds a safe place to the draft, marked as theirs."""
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    clean_name = clean_text(name, single_line=True)
    clean_notes = clean_text(notes)
    errors: dict[str, Any] = {}
    if (message := _name_error(clean_name)) is not None:
        errors["name"] = message
    if len(clean_notes) > MAX_NOTE_LENGTH:
        errors["notes"] = _l("Keep it under %(n)s characters.", n=MAX_NOTE_LENGTH)
    if errors:
        raise ValidationFailed(errors)
    draft = _open_draft(session, child_id)
    place = Place(
        version_id=draft.id or 0,
        name=clean_name,
        notes=clean_notes or None,
        safety=Safety.SAFE,  # never anything else from family
        written_by_member_id=actor.account_id,
        position=_next_position(session, Place, draft.id or 0),
    )
    _stamp(place, actor, new=True)
    session.add(place)
    session.flush()
    record_change(session=session, actor=actor, child_id=child_id, entity="place", entity_id=place.id, action="created")
    return place


def add_contact(
    *, session: Session, actor: Actor, child_id: int, name: str, phone: str, relationship: str = ""
) -> EmergencyContact:
    """A family member who may co-write adds someone they would call to the draft, marked as theirs."""
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    clean_name = clean_text(name, single_line=True)
    clean_phone = clean_text(phone, single_line=True)
    clean_relationship = clean_text(relationship, single_line=True)
    errors: dict[str, Any] = {}
    if (message := _name_error(clean_name)) is not None:
        errors["name"] = message
    if not clean_phone:
        errors["phone"] = _l("Write their phone number.")
    elif not (MIN_PHONE_LENGTH <= len(clean_phone) <= MAX_PHONE_LENGTH and _PHONE.fullmatch(clean_phone) is not None):
        errors["phone"] = _l("Write a phone number using numbers and spaces, like 07700 900123.")
    if len(clean_relationship) > MAX_RELATIONSHIP_LENGTH:
        errors["relationship"] = _l("Keep it under %(n)s characters.", n=MAX_RELATIONSHIP_LENGTH)
    if errors:
        raise ValidationFailed(errors)
    draft = _open_draft(session, child_id)
    contact = EmergencyContact(
        version_id=draft.id or 0,
        name=clean_name,
        phone=clean_phone,
        relationship=clean_relationship,
        written_by_member_id=actor.account_id,
        position=_next_position(session, EmergencyContact, draft.id or 0),
    )
    _stamp(contact, actor, new=True)
    session.add(contact)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity="emergency_contact",
        entity_id=contact.id,
        action="created",
    )
    return contact


def own_draft_item(
    *, session: Session, actor: Actor, child_id: int, model: type[FamilyItem], item_id: int
) -> FamilyItem:
    """A place or contact in the child's open draft that this family member added; else NotFound."""
    policy.require("statements.cowrite", session=session, actor=actor, child_id=child_id)
    draft = _open_draft(session, child_id)
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
    if item.revision != expected_revision:
        raise Conflict("it changed since you opened it")
    session.delete(item)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity=str(model.__tablename__),
        entity_id=item_id,
        action="deleted",
    )
