"""A plan's versions: start a plan, find its draft and its agreed versions, agree the draft.

A plan has exactly one editable draft and any number of agreed versions. Agreeing the draft
freezes it (`agreed_at` is set) and opens a new draft that starts as a copy of it; rows of an
agreed version never change again (app.plans.immutability).
"""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.db import flush_or_conflict
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import Day, Input, Words
from app.models_base import stamp
from app.plans.models import (
    PLAN_ITEM_MODELS,
    ChildStatement,
    EmergencyContact,
    IdeaStatus,
    MeetingType,
    Place,
    Plan,
    PlanItem,
    PlanStatus,
    PlanVersion,
)
from app.timeutil import utcnow

# The review must be no more than 8 weeks after the meeting (seed 001).
MAX_REVIEW_GAP_DAYS = 56
# Who agreed the plan, and who it is shared with: one line of names and roles.
MAX_AGREEMENT_LENGTH = 1000
STALE = "the plan changed since you opened it"

# The draft's own text fields (not its lists): copied into the next draft when one is agreed.
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


class PlanStart(Input):
    """Which meeting the new plan is for."""

    meeting_type: MeetingType = MeetingType.SAFER_ME

    messages = {"meeting_type": _l("Choose Safer Me or Safer Me Plus.")}


def start_plan(*, session: Session, actor: Actor, child_id: int, start: PlanStart | None = None) -> Plan:
    """Open a plan for a child, with an empty draft as version 1."""
    policy.require("plan.edit", session=session, actor=actor, child_id=child_id)
    plan = Plan(child_id=child_id, meeting_type=(start or PlanStart()).meeting_type)
    stamp(plan, actor.label, new=True)
    session.add(plan)
    session.flush()
    version = PlanVersion(plan_id=plan.id or 0, number=1)
    stamp(version, actor.label, new=True)
    session.add(version)
    session.flush()
    record_change(session=session, actor=actor, child_id=child_id, entity="plan", entity_id=plan.id, action="created")
    return plan


def open_plan_for_child(*, session: Session, child_id: int) -> Plan | None:
    """The child's open plan (there is at most one), or None."""
    return session.exec(
        select(Plan).where(Plan.child_id == child_id, Plan.status == PlanStatus.OPEN).order_by(col(Plan.id).desc())
    ).first()


def draft_of(*, session: Session, plan_id: int) -> PlanVersion:
    """The plan's one editable draft; NotFound if there is none."""
    draft = session.exec(
        select(PlanVersion).where(PlanVersion.plan_id == plan_id, col(PlanVersion.agreed_at).is_(None))
    ).first()
    if draft is None:
        raise NotFound()
    return draft


def open_draft(*, session: Session, child_id: int) -> PlanVersion:
    """The draft of the child's open plan; NotFound if the child has no open plan."""
    plan = open_plan_for_child(session=session, child_id=child_id)
    if plan is None:
        raise NotFound()
    return draft_of(session=session, plan_id=plan.id or 0)


def latest_agreed(*, session: Session, plan_id: int) -> PlanVersion | None:
    """The newest agreed version, or None before anything is agreed."""
    return session.exec(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan_id, col(PlanVersion.agreed_at).is_not(None))
        .order_by(col(PlanVersion.number).desc())
    ).first()


def family_version(*, session: Session, plan_id: int) -> PlanVersion:
    """The version the family side shows: the latest agreed one, or the draft before any is agreed."""
    return latest_agreed(session=session, plan_id=plan_id) or draft_of(session=session, plan_id=plan_id)


def version_numbered(*, session: Session, plan_id: int, number: int) -> PlanVersion:
    version = session.exec(
        select(PlanVersion).where(PlanVersion.plan_id == plan_id, PlanVersion.number == number)
    ).first()
    if version is None:
        raise NotFound()
    return version


def version_history(*, session: Session, actor: Actor, child_id: int) -> list[PlanVersion]:
    """Every version of the child's open plan, newest first."""
    policy.require("plan.history", session=session, actor=actor, child_id=child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    if plan is None:
        raise NotFound()
    return list(
        session.exec(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(col(PlanVersion.number).desc())
        ).all()
    )


class Agreement(Input):
    """AGREED BY ... DATE ... SHARED WITH ..., and when the plan will be reviewed."""

    agreed_by: Annotated[str, Words(MAX_AGREEMENT_LENGTH, name=True)]
    agreed_on: Day
    shared_with: Annotated[str, Words(MAX_AGREEMENT_LENGTH, required=False, name=True)] = ""
    review_date: Day
    expected_revision: int

    messages = {
        "agreed_by": {"blank": _l("Say who agreed the plan.")},
        "agreed_on": _l("Enter the date of the meeting, like 2026-10-26."),
        "review_date": _l("Enter the review date, like 2026-12-14."),
    }


def check_review_date(agreement: Agreement) -> None:
    """The review comes after the meeting, and no more than 8 weeks after it (seed 001)."""
    errors: dict[str, str] = {}
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
    check_review_date(agreement)
    draft = draft_of(session=session, plan_id=plan_id)
    if draft.revision != agreement.expected_revision:
        raise Conflict(STALE)
    # Family ideas the worker left as ideas are not agreed: they leave the draft before it freezes
    # and go on into the next draft, still ideas (with their lineage, for the version diff).
    ideas: list[PlanItem] = []
    for kind in (ChildStatement, EmergencyContact, Place):
        left = select(kind).where(kind.version_id == draft.id, kind.idea_status == IdeaStatus.IDEA)
        for row in session.exec(left):
            ideas.append(kind(**row.model_dump(exclude={"id", "version_id", "revision"}), version_id=0))
            session.delete(row)
    flush_or_conflict(session, STALE)
    draft.agreed_by = agreement.agreed_by
    draft.agreed_on = agreement.agreed_on
    draft.shared_with = agreement.shared_with
    draft.review_date = agreement.review_date
    draft.agreed_at = utcnow()
    stamp(draft, actor.label, new=False)
    # The plan's review date as it stands is now this version's (an incident's earlier move was of
    # the version before). The plan's revision moves on in the same UPDATE, as an expression, so an
    # incident that saw the old version and brings its review forward after this commits finds the
    # revision moved and is told so (app.incidents.operations), rather than set a date of the old one.
    plan.review_on = agreement.review_date
    plan.revision = Plan.revision + 1
    # Two agreements (or an agreement and an edit) racing from one revision: the second loses here (R24).
    flush_or_conflict(session, STALE)

    successor = PlanVersion(plan_id=plan_id, number=draft.number + 1)
    for name in (*DRAFT_TEXT_FIELDS, "review_date", "shared_with"):
        setattr(successor, name, getattr(draft, name))
    successor.summary_of_changes = ""
    stamp(successor, actor.label, new=True)
    session.add(successor)
    session.flush()
    for model in PLAN_ITEM_MODELS:
        for item in session.exec(select(model).where(model.version_id == draft.id).order_by(col(model.position))):
            data = item.model_dump(exclude={"id", "version_id", "revision"})
            copy = model(**data, version_id=successor.id or 0)
            session.add(copy)
    for idea in ideas:
        idea.version_id = successor.id or 0
        session.add(idea)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=plan.child_id, entity="plan_version", entity_id=draft.id, action="agreed"
    )
    return draft
