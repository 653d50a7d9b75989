"""Practitioners write the draft: its lists (actions, statements, contacts...) and its own fields.

Every write takes a typed input (app.plans.inputs), checks `plan.edit` on the child, states the
revision it started from where it changes something that exists (R24), and is recorded.
"""

from __future__ import annotations

from typing import Annotated

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.db import flush_or_conflict
from app.errors import Conflict, NotFound
from app.inputs import Day, Input, Words
from app.models_base import stamp
from app.plans.inputs import PLAN_ITEM_INPUTS, ItemInput, row_values
from app.plans.models import Plan, PlanItem, PlanVersion

# Optional encrypted fields are NULL when empty; the other text fields are "".
OPTIONAL_DRAFT_FIELDS = frozenset({"safe_word", "if_missing_take_to"})
STALE = "the plan changed since you opened it"


def _draft_and_child(session: Session, actor: Actor, version_id: int) -> tuple[PlanVersion, int]:
    """The draft `version_id` and its child, once the actor is shown to hold `plan.edit` there."""
    version = session.get(PlanVersion, version_id)
    plan = session.get(Plan, version.plan_id) if version is not None else None
    if version is None or plan is None:
        raise NotFound()
    policy.require("plan.edit", session=session, actor=actor, child_id=plan.child_id)
    if version.agreed_at is not None:
        raise NotFound()
    return version, plan.child_id


def next_position(session: Session, model: type[PlanItem], version_id: int) -> int:
    """The position after the last row of `model` in the version (lists grow at the end)."""
    last = session.exec(
        select(model).where(model.version_id == version_id).order_by(col(model.position).desc())
    ).first()
    return (last.position + 1) if last is not None else 0


def add_item(*, session: Session, actor: Actor, version_id: int, item: ItemInput) -> PlanItem:
    """Append an item to the draft's list of its kind."""
    _draft, child_id = _draft_and_child(session, actor, version_id)
    model = PLAN_ITEM_INPUTS[type(item)]
    row = model(**row_values(item), version_id=version_id, position=next_position(session, model, version_id))
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity=str(model.__tablename__),
        entity_id=getattr(row, "id", None),
        action="created",
    )
    return row


class DraftUpdate(Input):
    """A change to the draft's own fields, with the revision the editor started from.

    Only the fields given change (`model_fields_set`); the others keep their words.
    """

    expected_revision: int
    safe_word: Annotated[str, Words(60, required=False, single_line=True)] = ""
    if_missing_take_to: Annotated[str, Words(500, required=False)] = ""
    contingency_steps: Annotated[str, Words(2000, required=False)] = ""
    contingency_cover: Annotated[str, Words(2000, required=False)] = ""
    onward_hub_context: Annotated[str, Words(2000, required=False)] = ""
    onward_complex_abuse: Annotated[str, Words(2000, required=False)] = ""
    review_trigger: Annotated[str, Words(500, required=False)] = ""
    review_meanwhile: Annotated[str, Words(2000, required=False)] = ""
    summary_of_changes: Annotated[str, Words(1000, required=False)] = ""
    review_date: Day | None = None


def update_draft(*, session: Session, actor: Actor, version_id: int, update: DraftUpdate) -> PlanVersion:
    """Change the draft's fields; a stale revision is a Conflict and nothing is written (R24)."""
    version, child_id = _draft_and_child(session, actor, version_id)
    if version.revision != update.expected_revision:
        raise Conflict(STALE)
    for name in update.model_fields_set - {"expected_revision"}:
        value = getattr(update, name)
        if name == "review_date":
            if value is not None:
                version.review_date = value
            continue
        setattr(version, name, value or (None if name in OPTIONAL_DRAFT_FIELDS else ""))
    stamp(version, actor.label, new=False)
    # The write checks the loaded revision again in the same statement: a racing save loses here (R24).
    flush_or_conflict(session, STALE)
    record_change(
        session=session, actor=actor, child_id=child_id, entity="plan_version", entity_id=version.id, action="updated"
    )
    return version
