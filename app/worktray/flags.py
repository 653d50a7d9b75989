"""The work tray's flags for one page of cases: each flag one aggregate query over the page.

Overdue actions are the working draft's agency actions (where partners keep them up to date and
mark them done; agreed versions never change): a one-off action not done whose date has passed.
Carer commitments and the young person's actions have no date in the plan (seed 003 gives them
"by/at" words), so they cannot fall overdue by date and are not flagged here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from app import timeutil
from app.incidents.queries import recent_incidents
from app.meetings.models import Meeting, MeetingStatus
from app.plans.compare import contact_key, place_key, statement_key, unmatched
from app.plans.models import AgencyAction, ChildStatement, EmergencyContact, Place, Safety
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
class PageFlags:
    overdue: dict[int, OverdueActions]
    ideas: dict[int, int]
    meetings: dict[int, datetime]
    # Each child's latest incident of the last two weeks (app.incidents), for whole-plan readers.
    incidents: dict[int, datetime] = field(default_factory=dict)
    # Each child's open framework deadlines, late first (app.worktray.deadlines), for concern readers.
    deadlines: dict[int, list[Deadline]] = field(default_factory=dict)


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
    )


def _overdue_actions(session: Session, plans: list[PlanVersions], day: date) -> dict[int, OverdueActions]:
    child_of = {p.draft_id: p.child_id for p in plans if p.draft_id is not None}
    agency_of = {p.child_id: p.actions_of for p in plans}
    if not child_of:
        return {}
    rows = session.exec(
        select(AgencyAction.version_id, AgencyAction.agency, col(AgencyAction.due_on))
        .where(
            col(AgencyAction.version_id).in_(list(child_of)),
            col(AgencyAction.due_on) < day,
            col(AgencyAction.repeats) == "",
            col(AgencyAction.done_on).is_(None),
        )
        .order_by(col(AgencyAction.due_on), col(AgencyAction.id))
    ).all()
    found: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for version_id, agency, due_on in rows:
        child_id = child_of[version_id]
        if due_on is not None and agency_of.get(child_id) in (None, agency):
            found[child_id].append((agency, due_on))
    return {
        child_id: OverdueActions(count=len(late), oldest_agency=late[0][0], oldest_days=(day - late[0][1]).days)
        for child_id, late in found.items()
    }


def _new_ideas(session: Session, plans: list[PlanVersions]) -> dict[int, int]:
    """Family additions in each draft that its agreed version does not have and no one has decided yet.

    Matched by content as `app.cowriting.queries` matches them (a draft starts as a copy of the
    agreed version); only rows a family member wrote are loaded, in the draft and the agreed version.
    """
    plans = [p for p in plans if p.reads_ideas]
    version_ids = [v for p in plans for v in (p.agreed_id, p.draft_id) if v is not None]
    if not version_ids:
        return {}
    counts: dict[int, int] = defaultdict(int)
    kinds: Sequence[tuple[Any, Callable[[Any], Hashable]]] = (
        (ChildStatement, statement_key),
        (Place, place_key),
        (EmergencyContact, contact_key),
    )
    for model, key in kinds:
        rows = session.exec(
            select(model).where(col(model.version_id).in_(version_ids), col(model.written_by_member_id).is_not(None))
        ).all()
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


def _next_meetings(session: Session, child_ids: list[int]) -> dict[int, datetime]:
    """Each child's next meeting still to come (scheduled, from now on)."""
    if not child_ids:
        return {}
    rows = session.exec(
        select(Meeting.child_id, func.min(Meeting.starts_at))
        .where(
            col(Meeting.child_id).in_(child_ids),
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.starts_at) >= timeutil.utcnow(),
        )
        .group_by(col(Meeting.child_id))
    ).all()
    return {child_id: starts_at for child_id, starts_at in rows if starts_at is not None}
