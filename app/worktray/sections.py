"""The work tray's other sections: the meetings a person chairs, and an agency partner's actions.

Both are one query each, capped: a chair sees their coming meetings; a partner sees their agency's
actions in the working drafts of the cases where their case role holds "agency_actions.read_own",
overdue first, each linking to that case's agency-actions page (which asks the policy again).
Each statement is built once, the reader and the day its parameters: building them again on every
caseload request cost more than running them (SQLAlchemy's constructors are Python).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import case
from sqlmodel import Session, col, select

from app import timeutil
from app.access import caseloads
from app.actors import Actor
from app.db_reads import table_of
from app.meetings.models import Meeting, MeetingStatus
from app.people.models import CaseAssignment, Child, Practitioner
from app.plans.models import AgencyAction, Plan, PlanStatus, PlanVersion
from app.worktray.flags import agency_action_late

SECTION_CAP = 50


@dataclass(frozen=True)
class ChairedMeeting:
    meeting: Meeting
    child: Child


def meetings_i_chair(*, session: Session, actor: Actor) -> list[ChairedMeeting]:
    """The coming (or running) meetings this practitioner facilitates, soonest first."""
    if caseloads.caseload_scope(session=session, actor=actor) is None:
        return []
    # From the start of today (in UTC terms, a day's margin): a meeting this morning still shows.
    since = timeutil.utcnow() - timedelta(hours=12)
    rows = session.exec(_chaired_query(), params={"me": actor.account_id, "since": since}).all()
    return [ChairedMeeting(meeting=m, child=c) for m, c in rows]


@dataclass(frozen=True)
class PartnerAction:
    action: AgencyAction
    child: Child
    today: date

    @property
    def overdue_by(self) -> int:
        return (
            (self.today - self.action.due_on).days if self.action.is_overdue(self.today) and self.action.due_on else 0
        )


def my_agency_actions(*, session: Session, actor: Actor) -> list[PartnerAction]:
    """My agency's actions across the cases where I am the agency's partner: overdue first, then by date."""
    scope = caseloads.caseload_scope(session=session, actor=actor)
    me = session.get(Practitioner, actor.account_id) if scope is not None else None
    if me is None:
        return []
    day = timeutil.today()
    rows = session.exec(_partner_actions_query(), params={"me": me.id, "agency": me.agency, "day": day}).all()
    return [PartnerAction(action=a, child=c, today=day) for a, c in rows]


@cache
def _chaired_query() -> Any:
    """The meetings `me` facilitates that are still to come or running, from `since`."""
    return (
        select(Meeting, Child)
        .join(Child, col(Child.id) == col(Meeting.child_id))
        .where(
            col(Meeting.facilitator_practitioner_id) == sa.bindparam("me"),
            col(Meeting.status).in_([MeetingStatus.SCHEDULED, MeetingStatus.OPEN]),
            col(Meeting.starts_at) >= sa.bindparam("since", type_=table_of(Meeting).c.starts_at.type),
        )
        .order_by(col(Meeting.starts_at))
        .limit(SECTION_CAP)
    )


@cache
def _partner_actions_query() -> Any:
    """`agency`'s actions in the working drafts of the cases where `me` is that agency's partner,
    overdue on `day` first, then by due date."""
    partner_roles = caseloads.case_roles_holding("agency_actions.read_own")
    # Late as the tray's flags and the sweep count it.
    overdue = agency_action_late(sa.bindparam("day", type_=sa.Date))
    return (
        select(AgencyAction, Child)
        .join(PlanVersion, col(PlanVersion.id) == col(AgencyAction.version_id))
        .join(Plan, col(Plan.id) == col(PlanVersion.plan_id))
        .join(Child, col(Child.id) == col(Plan.child_id))
        .join(
            CaseAssignment,
            (col(CaseAssignment.child_id) == col(Child.id))
            & (col(CaseAssignment.practitioner_id) == sa.bindparam("me"))
            & col(CaseAssignment.ended_on).is_(None)
            & col(CaseAssignment.case_role).in_(partner_roles),
        )
        .where(
            col(PlanVersion.agreed_at).is_(None),
            Plan.status == PlanStatus.OPEN,
            col(AgencyAction.agency) == sa.bindparam("agency"),
        )
        .order_by(
            case((overdue, 0), else_=1),
            col(AgencyAction.done_on).is_not(None),
            col(AgencyAction.due_on).is_(None),
            col(AgencyAction.due_on),
            col(AgencyAction.id),
        )
        .limit(SECTION_CAP)
    )
