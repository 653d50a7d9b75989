"""Closing plans, and purging closed ones after the retention period (SECURITY.md R28).

Purging deletes through SQLAlchemy Core on purpose: the ORM guard that keeps agreed versions
frozen must not stop the one operation that is allowed to remove them. The audit log is kept
(it has no foreign keys to what is purged) and records the purge itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from app.access import policy
from app.access.models import BreakGlassGrant, SectionShare
from app.actors import SYSTEM, Actor
from app.audit.operations import record_change
from app.auth.models import AccountKind, Invitation, Passkey, SignInSession, WebAuthnChallenge
from app.concerns.models import Assessment, Concern
from app.errors import NotFound
from app.hub.models import HubEnquiry
from app.incidents.models import Incident
from app.mace.models import MaceReferral
from app.mapping.models import MappingMember
from app.meetings.models import AgendaNote, Meeting, MeetingPerson
from app.notices.models import Notice
from app.people.models import CaseAssignment, Child, FamilyLink, FamilyMember
from app.plans.models import (
    PLAN_ITEM_MODELS,
    CarerCommitment,
    ChildStatement,
    EmergencyContact,
    Place,
    Plan,
    PlanStatus,
    PlanVersion,
)
from app.timeutil import utcnow


def close_plan(*, session: Session, actor: Actor, plan_id: int) -> Plan:
    """Close a plan (the case has ended); the retention clock starts now."""
    plan = session.get(Plan, plan_id)
    if plan is None or plan.status != PlanStatus.OPEN:
        raise NotFound()
    policy.require("plan.agree", session=session, actor=actor, child_id=plan.child_id)
    plan.status = PlanStatus.CLOSED
    plan.closed_at = utcnow()
    plan.updated_at, plan.updated_by = plan.closed_at, actor.label
    session.flush()
    record_change(
        session=session, actor=actor, child_id=plan.child_id, entity="plan", entity_id=plan.id, action="closed"
    )
    return plan


@dataclass(frozen=True)
class PurgeResult:
    plans: int
    children: int
    family_members: int


def purge_closed_plans(*, session: Session, retention: timedelta, now: datetime | None = None) -> PurgeResult:
    """Delete plans closed longer ago than `retention`, and children and people left with nothing."""
    cutoff = (now or utcnow()) - retention
    plans = session.execute(
        select(col(Plan.id), col(Plan.child_id)).where(
            col(Plan.status) == PlanStatus.CLOSED, col(Plan.closed_at) < cutoff
        )
    ).all()
    children: set[int] = set()
    for plan_id, child_id in plans:
        versions = select(col(PlanVersion.id)).where(col(PlanVersion.plan_id) == plan_id)
        meetings = select(col(Meeting.id)).where(col(Meeting.plan_id) == plan_id)
        for meeting_part in (AgendaNote, MeetingPerson):
            session.execute(delete(meeting_part).where(col(meeting_part.meeting_id).in_(meetings)))
        session.execute(delete(Meeting).where(col(Meeting.plan_id) == plan_id))
        for model in PLAN_ITEM_MODELS:
            session.execute(delete(model).where(col(model.version_id).in_(versions)))
        # An incident is part of the case record of the plan whose review it weighed: it goes with it.
        session.execute(delete(Incident).where(col(Incident.review_version_id).in_(versions)))
        session.execute(delete(PlanVersion).where(col(PlanVersion.plan_id) == plan_id))
        session.execute(delete(Plan).where(col(Plan.id) == plan_id))
        children.add(child_id)
        record_change(
            session=session, actor=SYSTEM, child_id=child_id, entity="plan", entity_id=plan_id, action="purged"
        )
    # A child whose multi-agency records (a concern, an assessment, the Hub, MACE, a mapping) still
    # name them is kept: those records are the partnership's, under their own retention, which this
    # purge does not decide. Only their plans go; the child goes once nothing else refers to them.
    purged_children = [c for c in children if not _has_plans(session, c) and not _in_framework_records(session, c)]
    for child_id in purged_children:
        _purge_child(session, child_id)
    members = _purge_unlinked_members(session)
    session.flush()
    return PurgeResult(plans=len(plans), children=len(purged_children), family_members=members)


def _has_plans(session: Session, child_id: int) -> bool:
    return bool(session.execute(select(func.count()).where(col(Plan.child_id) == child_id)).scalar_one())


# The multi-agency framework's records that name a child (app/concerns, hub, mace, mapping).
FRAMEWORK_RECORDS: tuple[Any, ...] = (Concern, Assessment, HubEnquiry, MaceReferral, MappingMember)


def _in_framework_records(session: Session, child_id: int) -> bool:
    return any(
        session.execute(select(col(model.id)).where(col(model.child_id) == child_id).limit(1)).first() is not None
        for model in FRAMEWORK_RECORDS
    )


def _purge_child(session: Session, child_id: int) -> None:
    invitations = select(col(Invitation.id)).where(col(Invitation.child_id) == child_id)
    session.execute(delete(WebAuthnChallenge).where(col(WebAuthnChallenge.invitation_id).in_(invitations)))
    # Incidents recorded before any plan was agreed (no review to weigh) are the child's too.
    for model in (SectionShare, FamilyLink, Invitation, CaseAssignment, BreakGlassGrant, Notice, Incident):
        session.execute(delete(model).where(col(model.child_id) == child_id))
    session.execute(delete(Child).where(col(Child.id) == child_id))


def _purge_unlinked_members(session: Session) -> int:
    """Family members with no link to any child any more: their accounts, keys and sessions go too."""
    linked = select(col(FamilyLink.member_id))
    invited = select(col(Invitation.member_id)).where(col(Invitation.member_id).is_not(None))
    orphans = [
        member_id
        for (member_id,) in session.execute(
            select(col(FamilyMember.id)).where(
                col(FamilyMember.id).not_in(linked), col(FamilyMember.id).not_in(invited)
            )
        ).all()
    ]
    if not orphans:
        return 0
    keys = select(col(Passkey.id)).where(
        col(Passkey.account_kind) == AccountKind.FAMILY, col(Passkey.account_id).in_(orphans)
    )
    session.execute(delete(SignInSession).where(col(SignInSession.passkey_id).in_(keys)))
    session.execute(
        delete(SignInSession).where(
            col(SignInSession.account_kind) == AccountKind.FAMILY, col(SignInSession.account_id).in_(orphans)
        )
    )
    session.execute(
        delete(Passkey).where(col(Passkey.account_kind) == AccountKind.FAMILY, col(Passkey.account_id).in_(orphans))
    )
    # Words they wrote in other plans stay; only the pointer to the deleted account goes.
    session.execute(
        update(ChildStatement)
        .where(col(ChildStatement.written_by_member_id).in_(orphans))
        .values(written_by_member_id=None)
    )
    for model in (EmergencyContact, Place):
        session.execute(
            update(model).where(col(model.written_by_member_id).in_(orphans)).values(written_by_member_id=None)
        )
    session.execute(update(CarerCommitment).where(col(CarerCommitment.member_id).in_(orphans)).values(member_id=None))
    # In other children's meeting records they stay as "someone who was there", unnamed.
    session.execute(update(MeetingPerson).where(col(MeetingPerson.member_id).in_(orphans)).values(member_id=None))
    session.execute(
        update(Meeting).where(col(Meeting.facilitator_member_id).in_(orphans)).values(facilitator_member_id=None)
    )
    session.execute(delete(FamilyMember).where(col(FamilyMember.id).in_(orphans)))
    return len(orphans)
