"""What the periodic jobs look for: reviews coming up, reviews and actions overdue (app/jobs/tasks.py).

Each sweep reads the open plans from the database and writes notices through `send_once`, whose
unique key makes running a sweep twice (two workers, a retry, a catch-up) harmless.

Review reminders go to whoever runs the review: the facilitator of the scheduled review meeting
if one is booked, else the case's chair, else its allocated worker. A week before, and the day
before; a reminder due on a weekend or bank holiday comes on the working day before it (a Monday
review's "tomorrow" reminder arrives on Friday), since no one reads a tray on a Sunday.

Overdue: the agency actions and prioritised actions of each open plan's working draft, the carer
commitments of the version the family sees (the latest agreed one, else the draft), as the work
tray flags them (app.worktray.flags), and reviews whose date has passed, each noticed at most once
a day, for the case's allocated worker.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app import timeutil
from app.db import insert_or_conflict
from app.errors import Conflict
from app.meetings.models import Meeting, MeetingStatus
from app.notices.models import Notice, NoticeKind
from app.people.models import CaseAssignment, CaseRole
from app.plans.models import AgencyAction, CarerCommitment, Plan, PlanAction, PlanStatus, PlanVersion
from app.workingdays import is_working_day
from app.worktray.flags import agency_action_late, commitment_late, plan_action_late

# Reminders are looked for this many days ahead (a week, and a weekend's slack for the early send).
LOOK_AHEAD_DAYS = 10


def send_once(session: Session, notice: Notice) -> bool:
    """Write the notice unless its (kind, subject, day) was sent already: True if this call sent it."""
    notice.created_at = timeutil.utcnow()  # the app's clock (frozen in tests), not the model default's
    try:
        insert_or_conflict(session, notice, "notice sent already")
    except Conflict:
        return False
    return True


def remind_on(review: date, days_before: int) -> date:
    """The day a reminder `days_before` the review is sent: that day, or the working day before it."""
    day = review - timedelta(days=days_before)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def reminder_due(review: date, today: date) -> NoticeKind | None:
    """Which reminder of this review is due today, if any (the later one wins when both are)."""
    if today > review:
        return None
    if today >= remind_on(review, 1):
        return NoticeKind.REVIEW_TOMORROW
    if today >= remind_on(review, 7):
        return NoticeKind.REVIEW_IN_A_WEEK
    return None


def _open_reviews(session: Session, *, before: date | None = None, until: date | None = None) -> list[Any]:
    """(plan id, child id, review date) of each open plan with a review, within the bounds: the
    review as it stands (an incident may have brought it forward), kept on the plan."""
    review = col(Plan.review_on)
    query = sa.select(col(Plan.id), col(Plan.child_id), review).where(
        col(Plan.status) == PlanStatus.OPEN, review.is_not(None)
    )
    if before is not None:
        query = query.where(review < before)
    if until is not None:
        query = query.where(review <= until)
    return list(session.execute(query.order_by(col(Plan.id))).all())


def _case_people(session: Session, child_ids: set[int], role: str) -> dict[int, int]:
    """Each child's practitioner in `role` (the first live assignment)."""
    if not child_ids:
        return {}
    rows = session.exec(
        select(CaseAssignment.child_id, CaseAssignment.practitioner_id)
        .where(
            col(CaseAssignment.child_id).in_(child_ids),
            CaseAssignment.case_role == role,
            col(CaseAssignment.ended_on).is_(None),
        )
        .order_by(col(CaseAssignment.id).desc())
    ).all()
    return dict(rows)  # the earliest assignment comes last, so it wins


def _review_facilitators(session: Session, plan_ids: set[int]) -> dict[int, int]:
    """Each plan's facilitator of its next scheduled review meeting (a practitioner), if one is booked."""
    if not plan_ids:
        return {}
    rows = session.exec(
        select(Meeting.plan_id, Meeting.facilitator_practitioner_id)
        .where(
            col(Meeting.plan_id).in_(plan_ids),
            col(Meeting.is_review).is_(True),
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.facilitator_practitioner_id).is_not(None),
        )
        .order_by(col(Meeting.starts_at).desc())
    ).all()
    return {plan_id: who for plan_id, who in rows if who is not None}


def send_review_reminders(*, session: Session, today: date) -> int:
    """A reminder a week and a day before each open plan's review, once each; how many were sent."""
    coming = _open_reviews(session, until=today + timedelta(LOOK_AHEAD_DAYS))
    due = [(p, c, r, reminder_due(r, today)) for p, c, r in coming]
    due = [row for row in due if row[3] is not None and row[2] >= today]
    children = {c for _p, c, _r, _k in due}
    facilitators = _review_facilitators(session, {p for p, _c, _r, _k in due})
    chairs = _case_people(session, children, CaseRole.CHAIR)
    workers = _case_people(session, children, CaseRole.ALLOCATED_WORKER)
    sent = 0
    for plan_id, child_id, review, kind in due:
        who = facilitators.get(plan_id) or chairs.get(child_id) or workers.get(child_id)
        if who is None or kind is None:
            continue
        notice = Notice(
            practitioner_id=who, child_id=child_id, kind=kind, subject_id=plan_id, key_day=review, due_on=review
        )
        sent += send_once(session, notice)
    return sent


def _late_in_open_drafts(session: Session, item: Any, late: sa.ColumnElement[bool]) -> list[Any]:
    """(id, child id, due date) of the `item` rows (agency or prioritised actions) that are `late`
    in open plans' working drafts, where they are kept up to date and marked done."""
    return list(
        session.execute(
            sa.select(col(item.id), col(Plan.child_id), col(item.due_on))
            .select_from(item)
            .join(PlanVersion, col(PlanVersion.id) == col(item.version_id))
            .join(Plan, col(Plan.id) == col(PlanVersion.plan_id))
            .where(col(Plan.status) == PlanStatus.OPEN, col(PlanVersion.agreed_at).is_(None), late)
            .order_by(col(item.id))
        ).all()
    )


def _overdue_commitments(session: Session, today: date) -> list[Any]:
    """(commitment id, child id, due date) of the carer commitments overdue in the version each family sees."""
    # The version the family sees (app.plans.versions.family_version): the latest agreed, else the draft.
    agreed = aliased(PlanVersion)
    newest = aliased(PlanVersion)
    agreed_number = (
        select(func.max(agreed.number))
        .where(col(agreed.plan_id) == col(Plan.id), col(agreed.agreed_at).is_not(None))
        .correlate(Plan)
        .scalar_subquery()
    )
    draft_number = (
        select(func.max(newest.number))
        .where(col(newest.plan_id) == col(Plan.id), col(newest.agreed_at).is_(None))
        .correlate(Plan)
        .scalar_subquery()
    )
    return list(
        session.execute(
            sa.select(col(CarerCommitment.id), col(Plan.child_id), col(CarerCommitment.due_on))
            .select_from(CarerCommitment)
            .join(PlanVersion, col(PlanVersion.id) == col(CarerCommitment.version_id))
            .join(Plan, col(Plan.id) == col(PlanVersion.plan_id))
            .where(
                col(Plan.status) == PlanStatus.OPEN,
                commitment_late(today),
                col(PlanVersion.number) == func.coalesce(agreed_number, draft_number),
            )
            .order_by(col(CarerCommitment.id))
        ).all()
    )


def send_overdue_notices(*, session: Session, today: date) -> int:
    """Today's notice for each overdue review, action and carer commitment, to the allocated worker; how many sent."""
    items = [(NoticeKind.REVIEW_OVERDUE, *row) for row in _open_reviews(session, before=today)]
    agency_late = _late_in_open_drafts(session, AgencyAction, agency_action_late(today))
    items += [(NoticeKind.ACTION_OVERDUE, *row) for row in agency_late]
    priorities_late = _late_in_open_drafts(session, PlanAction, plan_action_late(today))
    items += [(NoticeKind.PLAN_ACTION_OVERDUE, *row) for row in priorities_late]
    items += [(NoticeKind.COMMITMENT_OVERDUE, *row) for row in _overdue_commitments(session, today)]
    workers = _case_people(session, {child_id for _k, _s, child_id, _d in items}, CaseRole.ALLOCATED_WORKER)
    sent = 0
    for kind, subject_id, child_id, due_on in items:
        who = workers.get(child_id)
        if who is None:
            continue
        notice = Notice(
            practitioner_id=who, child_id=child_id, kind=kind, subject_id=subject_id, key_day=today, due_on=due_on
        )
        sent += send_once(session, notice)
    return sent
