"""Framework deadlines on the work tray (issue 12, item 9): each shows its due date, late ones first.

For the young people on a page of the tray: Hub enquiries not yet decided (due within one working
day of receipt) and MACE referrals waiting for an outcome (due on the panel date they are listed
for; one not listed yet waits for a date). Each is one aggregate query over the page's children,
never one per case. For whoever convenes mapping meetings (the Hub co-ordinator), the mapping
meetings still to hold, late first, in a panel above the tray.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exists, or_
from sqlmodel import Session, col, select

from app.access import caseloads, policy
from app.actors import Actor
from app.concerns.models import Concern
from app.hub.models import HubEnquiry
from app.mace.models import MacePanel, MaceReferral
from app.mapping.models import MappingMeeting
from app.workingdays import working_days_late

HUB_ENQUIRY = "hub_enquiry"
MACE_REFERRAL = "mace_referral"
MAPPING_MEETING = "mapping_meeting"


@dataclass(frozen=True)
class Deadline:
    """One framework deadline: what, which record, when it is due and how late (in working days)."""

    kind: str
    record_id: int
    due_on: date | None  # None: a MACE referral not listed for a panel yet
    today: date
    name: str = ""  # a mapping meeting's peer group or place

    @property
    def late_by(self) -> int:
        return 0 if self.due_on is None else working_days_late(self.due_on, self.today)

    @property
    def state(self) -> str:
        """ "late", "today", "later", or "waiting" (no date yet)."""
        if self.due_on is None:
            return "waiting"
        if self.due_on < self.today:
            return "late"
        return "today" if self.due_on == self.today else "later"


def late_first(deadlines: Sequence[Deadline]) -> list[Deadline]:
    """Late ones first (the latest most late), then by due date; those with no date last."""
    return sorted(deadlines, key=lambda d: (-d.late_by, d.due_on is None, d.due_on or d.today, d.kind, d.record_id))


def case_deadlines(session: Session, child_ids: list[int], day: date) -> dict[int, list[Deadline]]:
    """The page's children's open framework deadlines, late first: two aggregate queries for the page."""
    if not child_ids:
        return {}
    found: dict[int, list[Deadline]] = defaultdict(list)
    enquiries = session.exec(_open_enquiries_query(), params={"children": child_ids}).all()
    for child_id, enquiry_id, due_on in enquiries:
        found[child_id or 0].append(Deadline(HUB_ENQUIRY, enquiry_id or 0, due_on, day))
    referrals = session.exec(_waiting_referrals_query(), params={"children": child_ids}).all()
    for child_id, referral_id, meets_on in referrals:
        found[child_id or 0].append(Deadline(MACE_REFERRAL, referral_id or 0, meets_on, day))
    return {child_id: late_first(rows) for child_id, rows in found.items()}


# The page's deadline queries, built once (the caseload asks on every request); the page's children
# are their parameter.
@cache
def _open_enquiries_query() -> Any:
    """(child, enquiry, due date) of the Hub enquiries about `children` not decided yet."""
    return select(col(HubEnquiry.child_id), col(HubEnquiry.id), col(HubEnquiry.due_on)).where(
        col(HubEnquiry.child_id).in_(sa.bindparam("children", expanding=True)), col(HubEnquiry.decided_at).is_(None)
    )


@cache
def _waiting_referrals_query() -> Any:
    """(child, referral, panel date) of the MACE referrals about `children` still waiting for an outcome."""
    return (
        select(col(MaceReferral.child_id), col(MaceReferral.id), col(MacePanel.meets_on))
        .outerjoin(MacePanel, col(MacePanel.id) == col(MaceReferral.panel_id))
        .where(
            col(MaceReferral.child_id).in_(sa.bindparam("children", expanding=True)),
            col(MaceReferral.outcome).is_(None),
        )
    )


def late_deadline_exists(
    child_id: Any, day: sa.ColumnElement[date], my_role: sa.ScalarSelect[str]
) -> sa.ColumnElement[bool]:
    """A late framework deadline on the child that the row's reader may know of (the overdue filter)."""
    readers = or_(my_role.is_(None), my_role.in_(caseloads.case_roles_holding("concern.read")))
    hub_late = exists().where(
        col(HubEnquiry.child_id) == child_id, col(HubEnquiry.decided_at).is_(None), col(HubEnquiry.due_on) < day
    )
    mace_late = exists().where(
        col(MaceReferral.child_id) == child_id,
        col(MaceReferral.outcome).is_(None),
        col(MaceReferral.panel_id) == col(MacePanel.id),
        col(MacePanel.meets_on) < day,
    )
    return sa.and_(readers, or_(hub_late, mace_late))


def mapping_deadlines(session: Session, actor: Actor, day: date) -> list[Deadline] | None:
    """Mapping meetings still to hold, late first, for those who convene them; None for anyone else."""
    if not policy.holds("mapping.convene", session=session, actor=actor):
        return None
    rows = session.exec(
        select(col(MappingMeeting.id), col(MappingMeeting.due_on), col(Concern.name))
        .join(Concern, col(Concern.id) == col(MappingMeeting.concern_id))
        .where(col(MappingMeeting.weighed_at).is_(None))
        .order_by(col(MappingMeeting.due_on), col(MappingMeeting.id))
    ).all()
    return late_first(
        [Deadline(MAPPING_MEETING, mapping_id or 0, due_on, day, name or "") for mapping_id, due_on, name in rows]
    )
