"""The strategic themes' counts: one aggregate query (GROUP BY) per measure, never rows in Python.

A period is whole days in England, both ends included: [from 00:00, the day after "to" 00:00)
in England's time, compared with the UTC instants the rows are stamped with.
- risk grade: each concern's latest Safer Me Assessment made in the period;
- pathway: each concern's latest route decision made in the period (the pathway chosen);
- context type: concerns recorded in the period, by what they are about;
- deadlines: Hub enquiries received in the period (decided within their one working day, in
  England's date, as the Hub's queue counts it) and mapping meetings opened in the period (held
  by their due date). One still open and not yet due is "not due yet"; one open past its due
  date has missed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.concerns.models import Assessment, Concern, Grade, RouteDecision, Subject
from app.concerns.routing import Pathway
from app.hub.models import HubEnquiry
from app.mapping.models import MappingMeeting
from app.themes.suppression import Table, table
from app.timeutil import ENGLAND, today

READ = "themes.read"
DEADLINE_STATES = ("met", "missed", "not_due")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def instants(self) -> tuple[datetime, datetime]:
        """The period as UTC instants: England's midnight before `start`, and after `end`."""
        return _midnight_utc(self.start), _midnight_utc(self.end + timedelta(days=1))


@dataclass(frozen=True)
class Themes:
    period: Period
    grades: Table
    pathways: Table
    subjects: Table
    hub_deadlines: Table
    mapping_deadlines: Table

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.grades, self.pathways, self.subjects, self.hub_deadlines, self.mapping_deadlines)


def _midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ENGLAND).astimezone(UTC)


def _counts(session: Session, statement: Any) -> dict[str, int]:
    return {str(key): int(count) for key, count in session.exec(statement).all()}


def _latest_per_concern(session: Session, model: Any, stamp: Any, value: Any, period: Period) -> dict[str, int]:
    """Count `value` over each concern's latest row (highest id) stamped within the period."""
    start, end = period.instants
    latest = (
        select(model.concern_id, func.max(model.id).label("latest_id"))
        .where(stamp >= start, stamp < end)
        .group_by(model.concern_id)
        .subquery()
    )
    statement = select(value, func.count()).join(latest, col(model.id) == latest.c.latest_id).group_by(value)
    return _counts(session, statement)


def grade_counts(session: Session, period: Period) -> dict[str, int]:
    return _latest_per_concern(session, Assessment, col(Assessment.assessed_at), col(Assessment.grade), period)


def pathway_counts(session: Session, period: Period) -> dict[str, int]:
    return _latest_per_concern(session, RouteDecision, col(RouteDecision.decided_at), col(RouteDecision.chosen), period)


def subject_counts(session: Session, period: Period) -> dict[str, int]:
    start, end = period.instants
    statement = (
        select(Concern.subject, func.count())
        .where(col(Concern.created_at) >= start, col(Concern.created_at) < end)
        .group_by(col(Concern.subject))
    )
    return _counts(session, statement)


def _by_state(session: Session, state: Any, *conditions: Any) -> dict[str, int]:
    # Grouped over a subquery's column: PostgreSQL refuses GROUP BY on an expression whose bound
    # parameters are rendered twice (once in SELECT, once in GROUP BY) as different ones.
    states = select(state.label("state")).where(*conditions).subquery()
    return _counts(session, select(states.c.state, func.count()).group_by(states.c.state))


def hub_deadline_counts(session: Session, period: Period, now: date) -> dict[str, int]:
    """Hub enquiries received in the period: decided by the end of their due day in England, or not."""
    received = (col(HubEnquiry.received_on) >= period.start, col(HubEnquiry.received_on) <= period.end)
    # The end of each due day as a UTC instant, for the few due days in the period (at most one a
    # working day): England's clocks change, and SQLite has no time zones to work it out itself.
    due_on = col(HubEnquiry.due_on)
    due_days: list[date] = list(session.exec(select(due_on).where(*received).group_by(due_on)).all())
    if not due_days:
        return {}
    day_ends = case({day: _midnight_utc(day + timedelta(days=1)) for day in due_days}, value=due_on)
    decided = col(HubEnquiry.decided_at)
    state = case(
        (decided.is_(None) & (col(HubEnquiry.due_on) < now), "missed"),
        (decided.is_(None), "not_due"),
        (decided < day_ends, "met"),
        else_="missed",
    )
    return _by_state(session, state, *received)


def mapping_deadline_counts(session: Session, period: Period, now: date) -> dict[str, int]:
    """Mapping meetings opened in the period: held by their due date (10 working days), or not."""
    held, due = col(MappingMeeting.held_on), col(MappingMeeting.due_on)
    state = case(
        (held.is_(None) & (due < now), "missed"),
        (held.is_(None), "not_due"),
        (held <= due, "met"),
        else_="missed",
    )
    opened = (col(MappingMeeting.decided_on) >= period.start, col(MappingMeeting.decided_on) <= period.end)
    return _by_state(session, state, *opened)


def themes(*, session: Session, actor: Actor, period: Period) -> Themes:
    """Every measure over the period, suppressed, for someone who may read them (audited)."""
    policy.require(READ, session=session, actor=actor)
    now = today()
    return Themes(
        period=period,
        grades=table("risk_grade", grade_counts(session, period), list(Grade)),
        pathways=table("pathway", pathway_counts(session, period), list(Pathway)),
        subjects=table("context_type", subject_counts(session, period), list(Subject)),
        hub_deadlines=table("hub_enquiry_deadline", hub_deadline_counts(session, period, now), DEADLINE_STATES),
        mapping_deadlines=table(
            "mapping_meeting_deadline", mapping_deadline_counts(session, period, now), DEADLINE_STATES
        ),
    )


def may_read(session: Session, actor: Actor) -> bool:
    """Whether the actor may open the themes (not audited: for showing the link)."""
    return policy.holds(READ, session=session, actor=actor)
