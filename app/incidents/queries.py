"""Reading incidents: a case's list (newest first), the review as it stands, and the tray's flags.

The review date people see is the agreed version's own, or the earliest date an incident brought
it forward to (`review_on`). The plan keeps the same date (`Plan.review_on`, set by the writes
that move it) for the caseload and the reminders to sort and filter by, so the tray, the API and
the family plan never disagree (tests/functional/practitioner/test_review_on.py). The tray's
flag is one aggregate query over a page of cases (`recent_incidents`), never one per case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.access import policy
from app.actors import Actor
from app.db_reads import table_of
from app.errors import NotFound
from app.incidents.models import Incident, ReviewChoice
from app.people.models import Child, Practitioner
from app.plans.models import Plan, PlanVersion
from app.plans.versions import latest_agreed, open_plan_for_child
from app.timeutil import ENGLAND
from app.workingdays import add_working_days, is_working_day

if TYPE_CHECKING:  # app.plans.reading reads the moved review dates with the plan (moved_review_to)
    from app.plans.reading import PlanReading

# The worker brings the review forward to a date within the next N working days (issue 10).
BRING_FORWARD_WITHIN = 5
# The work tray flags incidents of the last two weeks.
FLAG_DAYS = 14


def england_day(moment: datetime) -> date:
    """The day (in England) a stored UTC moment fell on."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(ENGLAND).date()


def moved_review_to(version_id: Any) -> Any:
    """The earliest date an incident brought the review of version `version_id` (an expression of
    the enclosing query, or a parameter) forward to, as a SELECT (NULL if none did). Of the table,
    not the model: inside the plan's Core statement (app.plans.reading) it keeps that Core."""
    incident = table_of(Incident).c
    return select(func.min(incident.review_moved_to)).where(
        incident.review_version_id == version_id, incident.review_choice == ReviewChoice.BRING_FORWARD
    )


@cache
def _moved_to_param() -> Any:
    """`moved_review_to` of a bound version id, built once (each plan page asks it: its SQL compiled once)."""
    return moved_review_to(sa.bindparam("version_id"))


def review_on(session: Session, version: PlanVersion, reading: PlanReading | None = None) -> date | None:
    """The version's review date as it stands: its own, or the earliest an incident brought it to.
    A version of a plan read in this request (`reading`) had that read with it (no statement)."""
    if version.agreed_at is None or version.id is None:
        return version.review_date
    if reading is not None and version.id in reading.moved_review:
        moved = reading.moved_review[version.id]
    else:
        moved = session.exec(_moved_to_param(), params={"version_id": version.id}).first()
    dates = [day for day in (moved, version.review_date) if day is not None]
    return min(dates) if dates else None


@dataclass(frozen=True)
class ReviewState:
    """The review of the case's latest agreed plan, as the worker sees it beside an incident."""

    plan_id: int
    revision: int  # the plan's: bringing the review forward moves it on (R24)
    version_id: int
    trigger: str  # what the meeting agreed counts as a reason to review sooner
    review_on: date | None
    today: date
    # The agreed version's own review date (review_on is sooner once an incident brought it forward).
    agreed_review_on: date | None = None

    @property
    def brought_forward(self) -> bool:
        return self.review_on is not None and self.review_on != self.agreed_review_on

    @property
    def latest_new_date(self) -> date:
        """The last day the review may be brought forward to: the next N working days."""
        return add_working_days(self.today, BRING_FORWARD_WITHIN)

    def allowed(self, day: date) -> bool:
        """A working day from today, sooner than the review, within the next N working days."""
        current = self.review_on
        return (
            current is not None and self.today <= day < current and day <= self.latest_new_date and is_working_day(day)
        )

    @property
    def proposed(self) -> date | None:
        """The latest allowed date (the meeting gets the most time to gather), or None if none is."""
        day = self.latest_new_date
        while day >= self.today:
            if self.allowed(day):
                return day
            day -= timedelta(days=1)
        return None


def review_state(session: Session, child_id: int, today: date) -> ReviewState | None:
    """The review to bring forward, or None when the case has no agreed plan with a review date."""
    plan = open_plan_for_child(session=session, child_id=child_id)
    agreed = latest_agreed(session=session, plan_id=plan.id or 0) if plan is not None else None
    return review_state_of(session, plan, agreed, today)


def review_state_of(
    session: Session, plan: Plan | None, agreed: PlanVersion | None, today: date, reading: PlanReading | None = None
) -> ReviewState | None:
    """`review_state` of the child's open plan and its latest agreed version, already read (the
    plan page's; from `reading`, if given, see `review_on`)."""
    if plan is None or agreed is None:
        return None
    current = review_on(session, agreed, reading)
    if current is None:
        return None
    return ReviewState(
        plan_id=plan.id or 0,
        revision=plan.revision,
        version_id=agreed.id or 0,
        trigger=agreed.review_trigger,
        review_on=current,
        today=today,
        agreed_review_on=agreed.review_date,
    )


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    recorded_by: str

    @property
    def happened_on(self) -> date:
        return england_day(self.incident.occurred_at)


def child_incidents(*, session: Session, actor: Actor, child_id: int, limit: int | None = None) -> list[IncidentRow]:
    """The case's incidents, newest first (when they happened), for whole-plan readers (audited)."""
    policy.require("incident.read", session=session, actor=actor, child_id=child_id)
    query = (
        select(Incident, Practitioner.display_name)
        .join(Practitioner, col(Practitioner.id) == col(Incident.recorded_by_id))
        .where(Incident.child_id == child_id)
        .order_by(col(Incident.occurred_at).desc(), col(Incident.id).desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [IncidentRow(incident=row, recorded_by=name) for row, name in session.exec(query).all()]


def recent_incidents(session: Session, child_ids: list[int], now: datetime) -> dict[int, datetime]:
    """Each child's latest incident of the last FLAG_DAYS days: one aggregate query for a page of cases."""
    if not child_ids:
        return {}
    since = now - timedelta(days=FLAG_DAYS)
    rows = session.exec(_recent_incidents_query(), params={"children": child_ids, "since": since}).all()
    return {child_id: latest for child_id, latest in rows if latest is not None}


@cache
def _recent_incidents_query() -> Any:
    """Each of `children`'s latest incident since `since` (built once: the caseload asks on every request)."""
    return (
        select(Incident.child_id, func.max(Incident.occurred_at))
        .where(
            col(Incident.child_id).in_(sa.bindparam("children", expanding=True)),
            col(Incident.occurred_at) >= sa.bindparam("since", type_=table_of(Incident).c.occurred_at.type),
        )
        .group_by(col(Incident.child_id))
    )


@dataclass(frozen=True)
class RecordingPage:
    """What the "record an incident" form needs: the young person and their review as it stands."""

    child: Child
    review: ReviewState | None


def recording_page(*, session: Session, actor: Actor, child_id: int, today: date) -> RecordingPage:
    """For the plan's editors only (audited); anyone else is "not found"."""
    policy.require("incident.record", session=session, actor=actor, child_id=child_id)
    child = session.get(Child, child_id)
    if child is None:  # the policy found the child: cannot happen
        raise NotFound()
    return RecordingPage(child=child, review=review_state(session, child_id, today))
