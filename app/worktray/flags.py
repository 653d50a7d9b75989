"""The work tray's flags for one page of cases: each flag one aggregate query over the page.

Overdue actions are the working draft's agency actions (where partners keep them up to date and
mark them done; agreed versions never change): a one-off action not done whose date has passed.
For whole-plan readers, also the prioritised actions of the working draft (the worker records the
day one was done there) and the parents' and carers' commitments of the version the family sees
(the latest agreed one, or the draft before any is), which carers mark done beside it
(app.commitments): each one-off item with a due date, not done, whose date has passed. An item
with no date (ongoing, or repeating: "every time") is never late by date. One query for each kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app import timeutil
from app.commitments.models import CommitmentUpdate
from app.db_reads import table_of
from app.incidents.queries import recent_incidents
from app.meetings.models import Meeting, MeetingStatus
from app.plans.compare import contact_key, place_key, statement_key, unmatched
from app.plans.models import (
    AgencyAction,
    CarerCommitment,
    ChildStatement,
    EmergencyContact,
    Place,
    PlanAction,
    Safety,
)
from app.worktray.deadlines import Deadline, case_deadlines


@dataclass(frozen=True)
class PlanVersions:
    """One case's open plan: its latest agreed version (if any) and its draft."""

    child_id: int
    agreed_id: int | None
    draft_id: int | None
    # What the row's reader may be told: the family's ideas (whole-plan readers), and whose late
    # actions (None: every agency's; an agency: only that agency's, for its partner).
    reads_ideas: bool = True
    actions_of: str | None = None


@dataclass(frozen=True)
class OverdueActions:
    """A case's overdue agency actions: how many, and the oldest (its agency and days late)."""

    count: int
    oldest_agency: str
    oldest_days: int


@dataclass(frozen=True)
class OverdueItems:
    """A case's overdue carer commitments, or prioritised actions: how many, and the oldest (whose, days late)."""

    count: int
    oldest_owner: str  # the item's "who": the carer's name, or whoever the action names
    oldest_days: int


@dataclass(frozen=True)
class PageFlags:
    overdue: dict[int, OverdueActions]
    ideas: dict[int, int]
    meetings: dict[int, datetime]
    # Each child's latest incident of the last two weeks (app.incidents), for whole-plan readers.
    incidents: dict[int, datetime] = field(default_factory=dict)
    # Each child's open framework deadlines, late first (app.worktray.deadlines), for concern readers.
    deadlines: dict[int, list[Deadline]] = field(default_factory=dict)
    # Overdue carer commitments and prioritised actions, for whole-plan readers.
    commitments: dict[int, OverdueItems] = field(default_factory=dict)
    plan_actions: dict[int, OverdueItems] = field(default_factory=dict)


def page_flags(
    *,
    session: Session,
    child_ids: list[int],
    plans: list[PlanVersions],
    day: date,
    incident_child_ids: Sequence[int] = (),
    deadline_child_ids: Sequence[int] = (),
) -> PageFlags:
    """The flags of a page of cases, keyed by child id, in a constant number of statements."""
    return PageFlags(
        overdue=_overdue_actions(session, plans, day),
        ideas=_new_ideas(session, plans),
        meetings=_next_meetings(session, child_ids),
        incidents=recent_incidents(session, list(incident_child_ids), timeutil.utcnow()),
        deadlines=case_deadlines(session, list(deadline_child_ids), day),
        commitments=_overdue_commitments(session, plans, day),
        plan_actions=_overdue_plan_actions(session, plans, day),
    )


def agency_action_late(day: date | sa.ColumnElement[date]) -> sa.ColumnElement[bool]:
    """A one-off agency action (not repeating) with a due date before `day`, not done
    (AgencyAction.is_overdue, in SQL: the tray, its overdue filter and the sweep all ask this)."""
    return sa.and_(col(AgencyAction.due_on) < day, col(AgencyAction.repeats) == "", col(AgencyAction.done_on).is_(None))


def _overdue_actions(session: Session, plans: list[PlanVersions], day: date) -> dict[int, OverdueActions]:
    child_of = {p.draft_id: p.child_id for p in plans if p.draft_id is not None}
    agency_of = {p.child_id: p.actions_of for p in plans}
    if not child_of:
        return {}
    rows = session.exec(_late_query(AgencyAction), params={"versions": list(child_of), "day": day}).all()
    found: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for version_id, agency, due_on in rows:
        child_id = child_of[version_id]
        if due_on is not None and agency_of.get(child_id) in (None, agency):
            found[child_id].append((agency, due_on))
    return {
        child_id: OverdueActions(count=len(late), oldest_agency=late[0][0], oldest_days=(day - late[0][1]).days)
        for child_id, late in found.items()
    }


def _oldest_first(rows: Sequence[Any], child_of: dict[int, int], day: date) -> dict[int, OverdueItems]:
    """(version id, who, due date) rows, oldest first, as each child's count and oldest."""
    found: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for version_id, who, due_on in rows:
        if due_on is not None:
            found[child_of[version_id]].append((who, due_on))
    return {
        child_id: OverdueItems(count=len(late), oldest_owner=late[0][0], oldest_days=(day - late[0][1]).days)
        for child_id, late in found.items()
    }


def commitment_done() -> sa.ScalarSelect[bool]:
    """Whether a carer commitment is done now: its latest update says so (app.commitments); NULL before any."""
    return (
        select(CommitmentUpdate.done)
        .where(col(CommitmentUpdate.commitment_id) == col(CarerCommitment.id))
        .order_by(col(CommitmentUpdate.number).desc())
        .limit(1)
        .correlate(CarerCommitment)
        .scalar_subquery()
    )


def commitment_late(day: date | sa.ColumnElement[date]) -> sa.ColumnElement[bool]:
    """A carer commitment with a due date before `day`, not marked done."""
    return sa.and_(col(CarerCommitment.due_on) < day, sa.not_(func.coalesce(commitment_done(), sa.false())))


def _overdue_commitments(session: Session, plans: list[PlanVersions], day: date) -> dict[int, OverdueItems]:
    """Late commitments in the version each family sees (the latest agreed, else the draft)."""
    child_of = {
        version_id: p.child_id
        for p in plans
        if p.actions_of is None and (version_id := p.agreed_id or p.draft_id) is not None
    }
    if not child_of:
        return {}
    rows = session.exec(_late_query(CarerCommitment), params={"versions": list(child_of), "day": day}).all()
    return _oldest_first(rows, child_of, day)


def plan_action_late(day: date | sa.ColumnElement[date]) -> sa.ColumnElement[bool]:
    """A prioritised action with a due date before `day`, not done."""
    return sa.and_(col(PlanAction.due_on) < day, col(PlanAction.done_on).is_(None))


def _overdue_plan_actions(session: Session, plans: list[PlanVersions], day: date) -> dict[int, OverdueItems]:
    """Late prioritised actions in each working draft (where the worker records them done)."""
    child_of = {p.draft_id: p.child_id for p in plans if p.actions_of is None and p.draft_id is not None}
    if not child_of:
        return {}
    rows = session.exec(_late_query(PlanAction), params={"versions": list(child_of), "day": day}).all()
    return _oldest_first(rows, child_of, day)


def _new_ideas(session: Session, plans: list[PlanVersions]) -> dict[int, int]:
    """Family additions in each draft that its agreed version does not have and no one has decided yet.

    Matched by content as `app.cowriting.queries` matches them (a draft starts as a copy of the
    agreed version); only rows a family member wrote are read, in the draft and the agreed version,
    and of those only the columns the match and the decision need (`_ideas_query`).
    """
    plans = [p for p in plans if p.reads_ideas]
    version_ids = [v for p in plans for v in (p.agreed_id, p.draft_id) if v is not None]
    if not version_ids:
        return {}
    counts: dict[int, int] = defaultdict(int)
    for model, key in _IDEA_KINDS:
        rows = session.execute(_ideas_query(model), {"versions": version_ids}).all()
        by_version: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            by_version[row.version_id].append(row)
        for p in plans:
            if p.draft_id is None:
                continue
            added, _taken_out = unmatched(by_version.get(p.agreed_id or -1, []), by_version.get(p.draft_id, []), key)
            waiting = [
                row
                for row in added
                if row.idea_status is None and not (model is Place and row.safety == Safety.NOT_SAFE)
            ]
            counts[p.child_id] += len(waiting)
    return {child_id: n for child_id, n in counts.items() if n}


# Each kind of family idea, and its content key (app.plans.compare). The keys read a row's fields by
# name, so a row of just those columns serves them as the whole object would.
_IDEA_KINDS: Sequence[tuple[Any, Callable[[Any], Hashable]]] = (
    (ChildStatement, statement_key),
    (Place, place_key),
    (EmergencyContact, contact_key),
)
# The columns each key reads (besides the version and the decision, which every kind has).
_IDEA_COLUMNS: dict[type, tuple[str, ...]] = {
    ChildStatement: ("moment", "kind", "text"),
    Place: ("name", "notes", "safety"),
    EmergencyContact: ("name", "phone", "relationship"),
}


def _next_meetings(session: Session, child_ids: list[int]) -> dict[int, datetime]:
    """Each child's next meeting still to come (scheduled, from now on)."""
    if not child_ids:
        return {}
    rows = session.exec(_next_meetings_query(), params={"children": child_ids, "now": timeutil.utcnow()}).all()
    return {child_id: starts_at for child_id, starts_at in rows if starts_at is not None}


# The page's flag queries, built once (SQLAlchemy's constructors are Python: building them again on
# every caseload request cost more than running them); the page's versions or children and the day
# are their parameters.
_DAY: sa.BindParameter[date] = sa.bindparam("day", type_=sa.Date)


@cache
def _late_query(model: type[AgencyAction] | type[CarerCommitment] | type[PlanAction]) -> Any:
    """(version id, whose, due date) of the model's late items in the page's versions, oldest first."""
    whose, late = _LATENESS[model]
    return (
        select(col(model.version_id), whose, col(model.due_on))
        .where(col(model.version_id).in_(sa.bindparam("versions", expanding=True)), late(_DAY))
        .order_by(col(model.due_on), col(model.id))
    )


@cache
def _next_meetings_query() -> Any:
    return (
        select(Meeting.child_id, func.min(Meeting.starts_at))
        .where(
            col(Meeting.child_id).in_(sa.bindparam("children", expanding=True)),
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.starts_at) >= sa.bindparam("now", type_=table_of(Meeting).c.starts_at.type),
        )
        .group_by(col(Meeting.child_id))
    )


@cache
def _ideas_query(model: type[ChildStatement] | type[Place] | type[EmergencyContact]) -> Any:
    """The page's versions' family-written rows of one kind: their version, decision and key columns
    (not whole objects: a place's address, say, is neither matched nor shown, so never decrypted)."""
    table = table_of(model).c
    wanted = ("version_id", "idea_status", *_IDEA_COLUMNS[model])
    return sa.select(*(table[name] for name in wanted)).where(
        table.version_id.in_(sa.bindparam("versions", expanding=True)), table.written_by_member_id.is_not(None)
    )


# Per kind of item: who it is for (shown in the flag) and when it is late.
_LATENESS: dict[type, tuple[Any, Callable[[Any], sa.ColumnElement[bool]]]] = {
    AgencyAction: (col(AgencyAction.agency), agency_action_late),
    CarerCommitment: (col(CarerCommitment.who), commitment_late),
    PlanAction: (col(PlanAction.who), plan_action_late),
}
