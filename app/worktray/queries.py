"""The work tray: a practitioner's caseload as a page of cases, soonest review first, with flags.

One page costs the same few statements however many cases the person holds: the page of cases is
chosen, counted and ordered by the database (LIMIT/OFFSET), and each flag is one aggregate query
over the page's plans (never one per case). Whose cases are listed is `app.access.caseloads`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased, defer
from sqlmodel import Session, col, select

from app import timeutil
from app.access import caseloads
from app.actors import Actor
from app.db_reads import table_of
from app.incidents.queries import england_day
from app.meetings.models import Meeting, MeetingStatus
from app.people.models import CaseAssignment, CaseRole, Child, Practitioner
from app.plans.models import AgencyAction, CarerCommitment, Plan, PlanAction, PlanStatus, PlanVersion
from app.worktray import flags
from app.worktray.deadlines import Deadline, late_deadline_exists
from app.worktray.inputs import PAGE_SIZE, REVIEW_DUE_SOON, REVIEW_OVERDUE, TEAM, TrayFilters

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class TrayRow:
    child: Child
    # The reader's part in the case (a CaseRole), or None for a case on their team's caseload (a manager's).
    case_role: str | None
    allocated_worker: str
    allocated_worker_id: int | None
    meeting_type: str | None
    next_review: date | None
    last_agreed: date | None
    overdue_actions: flags.OverdueActions | None = None
    # Overdue carer commitments and prioritised actions (whole-plan readers only).
    overdue_commitments: flags.OverdueItems | None = None
    overdue_plan_actions: flags.OverdueItems | None = None
    new_ideas: int = 0
    next_meeting: datetime | None = None
    # The latest incident of the last two weeks (app.incidents), if any.
    last_incident: datetime | None = None
    # Framework deadlines (Hub enquiries, MACE referrals), late first (app.worktray.deadlines).
    deadlines: list[Deadline] = field(default_factory=list)
    today: date = field(default_factory=timeutil.today)

    @property
    def incident_days_ago(self) -> int | None:
        """Days since the latest recent incident (0: today), or None when there was none."""
        return None if self.last_incident is None else max(0, (self.today - england_day(self.last_incident)).days)

    @property
    def reads_full_plan(self) -> bool:
        return caseloads.row_holds(self.case_role, "plan.read_full")

    @property
    def edits_plan(self) -> bool:
        return caseloads.row_holds(self.case_role, "plan.edit")

    @property
    def review_overdue_by(self) -> int:
        """Days the review is late (0 when it is not)."""
        if self.next_review is None or self.next_review >= self.today:
            return 0
        return (self.today - self.next_review).days

    @property
    def review_due_in(self) -> int | None:
        """Days until a review due within the week (0 today), else None."""
        if self.next_review is None or self.next_review < self.today:
            return None
        days = (self.next_review - self.today).days
        return days if days <= DUE_SOON_DAYS else None


@dataclass(frozen=True)
class TrayPage:
    rows: list[TrayRow]
    total: int
    page: int
    pages: int
    filters: TrayFilters


def _overdue_action_exists(
    draft_id: sa.ScalarSelect[int],
    family_version_id: sa.ColumnElement[int],
    day: sa.ColumnElement[date],
    my_role: sa.ScalarSelect[str],
    my_agency: sa.ColumnElement[str],
) -> sa.ColumnElement[bool]:
    """A late action the row's reader may know of: any agency's, a carer's commitment or a
    prioritised action for a whole-plan reader (a manager's team case has no role of theirs), only
    their own agency's for an agency partner (app.worktray.flags says which versions hold which)."""
    whole_plan = or_(my_role.is_(None), my_role.in_(caseloads.case_roles_holding("plan.read_full")))
    agency_late = exists().where(
        col(AgencyAction.version_id) == draft_id,
        flags.agency_action_late(day),
        or_(whole_plan, col(AgencyAction.agency) == my_agency),
    )
    commitment_late = exists().where(col(CarerCommitment.version_id) == family_version_id, flags.commitment_late(day))
    plan_action_late = exists().where(col(PlanAction.version_id) == draft_id, flags.plan_action_late(day))
    return or_(agency_late, and_(whole_plan, or_(commitment_late, plan_action_late)))


def _review_is(status: str, review_on: sa.ColumnElement[date]) -> sa.ColumnElement[bool]:
    """The review as it stands is late on `day`, due by `due_soon_until` (TrayRow.review_due_in), or
    set at all (the dates are parameters: the statement is built once)."""
    if status == REVIEW_OVERDUE:
        return review_on < _DAY
    if status == REVIEW_DUE_SOON:
        return and_(review_on >= _DAY, review_on <= sa.bindparam("due_soon_until", type_=sa.Date))
    return review_on.is_not(None)


def _latest_agreed(column: Any) -> sa.ScalarSelect[Any]:
    """The open plan's latest agreed version's `column`: one look into ix_plan_version_agreed, which
    holds the id and review date (a join to the version read the table too, case by case)."""
    return (
        select(column)
        .where(col(PlanVersion.plan_id) == col(Plan.id), col(PlanVersion.agreed_at).is_not(None))
        .order_by(col(PlanVersion.number).desc())
        .limit(1)
        .correlate(Plan)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class _Shared:
    """The parts of the tray's statements that are the same for every reader, filter and day."""

    draft_id: Any
    latest_agreed_id: Any
    worker: Any  # the case's allocated worker (an alias of Practitioner)
    agreed: Any  # the plan's latest agreed version, joined for a row's details (an alias of PlanVersion)


@cache
def _shared() -> _Shared:
    """Built once: building these SQL expressions again on every request cost about a tenth of the
    caseload page's CPU (SQLAlchemy's constructors are Python, and the review date alone nests four
    subqueries). Expressions are immutable, so every statement may share them."""
    agreed = aliased(PlanVersion)
    return _Shared(
        draft_id=(
            select(func.max(PlanVersion.id))
            .where(col(PlanVersion.plan_id) == col(Plan.id), col(PlanVersion.agreed_at).is_(None))
            .correlate(Plan)
            .scalar_subquery()
        ),
        latest_agreed_id=_latest_agreed(col(PlanVersion.id)),
        worker=aliased(Practitioner),
        agreed=agreed,
    )


@dataclass(frozen=True)
class _TrayShape:
    """What decides the shape of the tray's statements (the values they use are parameters), so
    each shape is built once: rebuilding them on every request cost more than running them."""

    team: bool  # a manager's tray: their team's allocated cases too
    one_child: bool  # narrowed to one child (the API)
    role: str | None  # None: any part in the case; TEAM: the team's cases only; "one": one role (a parameter)
    meeting_type: bool
    overdue_only: bool
    review: str  # "" for any case, else a REVIEW_* status
    by_meeting: bool  # sorted by the next meeting rather than the review

    @classmethod
    def of(cls, filters: TrayFilters, *, team: bool, one_child: bool) -> _TrayShape:
        return cls(
            team=team,
            one_child=one_child,
            role=None if not filters.role else TEAM if filters.role == TEAM else "one",
            meeting_type=bool(filters.meeting_type),
            overdue_only=filters.overdue_only,
            review=filters.review or "",
            by_meeting=filters.sort == "meeting",
        )


@dataclass(frozen=True)
class _TrayStatements:
    ids: sa.Select[Any]  # the page's child ids in order, each with the total (parameters `limit`, `offset`)
    count: sa.Select[Any]  # the total alone (asked only past the last page)
    details: sa.Select[Any]  # the page's rows in full (parameter `page`: their child ids)


# Parameters several parts of the tray's statements share.
_ME: sa.BindParameter[int] = sa.bindparam("me", type_=sa.Integer)
_DAY: sa.BindParameter[date] = sa.bindparam("day", type_=sa.Date)


@cache
def _tray_statements(shape: _TrayShape) -> _TrayStatements:
    """The tray's statements for one shape. Parameters: `me` (the reader) and `day`, and as the
    shape asks `team`, `child`, `role`, `meeting_type`, `agency` (the reader's), `due_soon_until`, `now`."""
    live = col(CaseAssignment.ended_on).is_(None)
    mine = select(CaseAssignment.child_id).where(CaseAssignment.practitioner_id == _ME, live)
    team = sa.bindparam("team", type_=sa.String)
    # The children the tray may list: the practitioner's own live assignments, and for a manager
    # also their team's live allocations (a few hundred, found by index); the rule below then keeps
    # those whose allocated worker is in the team. The rule by itself worked out every child's
    # allocated worker to keep the team's: 1.5 s a page at 50,000 children (`make bench-scale`).
    candidates: sa.Select[Any] | sa.CompoundSelect = mine.distinct()
    if shape.team:
        team_allocations = (
            select(CaseAssignment.child_id)
            .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
            .where(Practitioner.team == team, CaseAssignment.case_role == CaseRole.ALLOCATED_WORKER, live)
        )
        candidates = sa.union(mine, team_allocations)
    shared = _shared()
    draft_id, worker, agreed = shared.draft_id, shared.worker, shared.agreed
    # The review as it stands (the agreed version's date, or the sooner one an incident brought it
    # to), kept on the plan by the writes that move it: a column of the open-plan index, where
    # working it out case by case cost the 5,000-case worker 24 ms of PostgreSQL a page.
    review_on: sa.ColumnElement[date] = col(Plan.review_on)  # type: ignore[assignment]

    def on_the_tray(query: sa.Select[Any], child: Any) -> tuple[sa.Select[Any], sa.ScalarSelect[str]]:
        """`query` from the tray's cases, `child` their id column: the filters applied, and the
        reader's own part in each case (their first live assignment), for the caller to show."""
        my_role = (
            select(CaseAssignment.case_role)
            .where(col(CaseAssignment.child_id) == child, CaseAssignment.practitioner_id == _ME, live)
            .order_by(col(CaseAssignment.id))
            .limit(1)
            .correlate_except(CaseAssignment)
            .scalar_subquery()
        )
        allocated_id = (
            select(CaseAssignment.practitioner_id)
            .where(col(CaseAssignment.child_id) == child, CaseAssignment.case_role == CaseRole.ALLOCATED_WORKER, live)
            .order_by(col(CaseAssignment.id))
            .limit(1)
            .correlate_except(CaseAssignment)
            .scalar_subquery()
        )
        conditions: list[sa.ColumnElement[bool]] = []
        if shape.team:
            conditions.append(or_(child.in_(mine), col(worker.team) == team))
        if shape.one_child:
            conditions.append(child == sa.bindparam("child", type_=sa.Integer))
        if shape.role == TEAM:
            conditions.append(my_role.is_(None))
        elif shape.role:
            conditions.append(my_role == sa.bindparam("role", type_=sa.String))
        if shape.meeting_type:
            conditions.append(col(Plan.meeting_type) == sa.bindparam("meeting_type", type_=sa.String))
        if shape.overdue_only:
            # The version the family sees: the latest agreed one, else the draft (app.commitments).
            family_version_id = func.coalesce(shared.latest_agreed_id, draft_id)
            agency = sa.bindparam("agency", type_=sa.String)
            late = _overdue_action_exists(draft_id, family_version_id, _DAY, my_role, agency)
            conditions.append(or_(review_on < _DAY, late, late_deadline_exists(child, _DAY, my_role)))
        if shape.review:
            conditions.append(_review_is(shape.review, review_on))
        tray = (
            query.outerjoin(worker, col(worker.id) == allocated_id)
            .outerjoin(Plan, and_(col(Plan.child_id) == child, col(Plan.status) == PlanStatus.OPEN))
            .where(*conditions)
        )
        return tray, my_role

    # First the page's ids alone (ordered, counted, cut by the database), then those rows in full:
    # the columns and subqueries a row shows are worked out for the page, not for every case skipped.
    # The ids come from the candidates themselves, not the child table: at 5,000 cases each look
    # into `child` (and a join to each plan's agreed version) cost more than the rest of the page.
    listed = candidates.subquery("listed")
    listed_id = listed.c.child_id
    base, _my_role = on_the_tray(sa.select(listed_id).select_from(listed), listed_id)
    if shape.by_meeting:
        next_meeting = (
            select(func.min(Meeting.starts_at))
            .where(
                col(Meeting.child_id) == listed_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                col(Meeting.starts_at) >= sa.bindparam("now", type_=table_of(Meeting).c.starts_at.type),
            )
            .correlate_except(Meeting)
            .scalar_subquery()
        )
        order = [next_meeting.asc().nulls_last(), review_on.asc().nulls_last(), listed_id]
    else:
        # Overdue reviews have the earliest dates, then those due this week, then the rest; no review
        # last. NULLS LAST rather than an `IS NULL` key first: the review is worked out once a case.
        order = [review_on.asc().nulls_last(), listed_id]
    # Limit and offset are BIGINT: a page far past the end (page=2147483646 of 50) is past INTEGER on
    # PostgreSQL, and answers the last page rather than an error.
    # The total rides along with each row (a window count): ordering the cases already reads them
    # all, and counting them in a query of its own read them all again (issue 13: 160 ms of a
    # 5,000-case worker's page).
    ids = (
        base.add_columns(func.count().over())
        .order_by(*order)
        .limit(sa.bindparam("limit", type_=sa.BigInteger))
        .offset(sa.bindparam("offset", type_=sa.BigInteger))
    )
    # The rows in full come from the child table, under the same rules as the ids.
    in_full, my_role = on_the_tray(sa.select(Child).select_from(Child), col(Child.id))
    details = (
        in_full.add_columns(
            my_role.label("case_role"),
            col(worker.display_name),
            col(worker.id),
            col(Plan.meeting_type),
            review_on.label("review_on"),
            col(agreed.agreed_on),
            col(Plan.id),
            col(agreed.id),
            draft_id.label("draft_id"),
        )
        .outerjoin(agreed, col(agreed.id) == shared.latest_agreed_id)
        .where(col(Child.id).in_(candidates), col(Child.id).in_(sa.bindparam("page", expanding=True)))
        # A row shows the child's names, never their school: it stays encrypted, not read (issue 13).
        .options(defer(Child.school))  # type: ignore[arg-type]
    )
    return _TrayStatements(ids=ids, count=sa.select(func.count()).select_from(base.subquery()), details=details)


def work_tray(
    *, session: Session, actor: Actor, filters: TrayFilters, page_size: int = PAGE_SIZE, child_id: int | None = None
) -> TrayPage:
    """One page of the person's caseload with its flags (an empty page for anyone with no caseload).

    `page_size` rows a page (the API lets a caller choose, within its cap); `child_id` narrows the
    tray to that one child's row, if the child is on the caseload at all.
    """
    scope = caseloads.caseload_scope(session=session, actor=actor)
    if scope is None:
        return TrayPage(rows=[], total=0, page=1, pages=1, filters=filters)
    day = timeutil.today()
    me = session.get(Practitioner, scope.practitioner_id)
    statements = _tray_statements(_TrayShape.of(filters, team=scope.team is not None, one_child=child_id is not None))
    # Every parameter any shape uses: a statement takes those it has.
    params: dict[str, Any] = {
        "me": scope.practitioner_id,
        "day": day,
        "team": scope.team,
        "child": child_id,
        "role": filters.role,
        "meeting_type": filters.meeting_type,
        "agency": me.agency if me else "",
        "due_soon_until": day + timedelta(days=DUE_SOON_DAYS),
        "now": timeutil.utcnow(),
    }

    def ids_of(page: int) -> list[tuple[int, int]]:
        at = {**params, "limit": page_size, "offset": (page - 1) * page_size}
        return [(row[0], row[1]) for row in session.execute(statements.ids, at)]

    page = max(1, filters.page)
    found_ids = ids_of(page)
    if found_ids:
        total = found_ids[0][1]
    else:
        # Past the last page (or nothing at all): count, then show the last page there is.
        total = session.execute(statements.count, params).scalar_one()
        page = max(1, -(-total // page_size))
        found_ids = ids_of(page) if total else []
    pages = max(1, -(-total // page_size))
    page_ids = [child_id for child_id, _total in found_ids]
    # The page's rows in full, from the child table, under the same rules as the ids.
    at = {**params, "page": page_ids}
    found_rows = {row[0].id: row for row in session.execute(statements.details, at).all()} if page_ids else {}
    result = [found_rows[child_id] for child_id in page_ids if child_id in found_rows]
    # Each row flags only what its reader may read there: an agency partner (who sees their own
    # agency's actions, not the plan) gets their agency's late actions, never the family's ideas
    # or the meetings; whole-plan readers get everything.
    whole_plan = {row[0].id or 0 for row in result if caseloads.row_holds(row[1], "plan.read_full")}
    own_actions = {row[0].id or 0 for row in result if caseloads.row_holds(row[1], "agency_actions.read_own")}
    meetings = [row[0].id or 0 for row in result if caseloads.row_holds(row[1], "meeting.read")]
    plans = [
        flags.PlanVersions(
            child_id=row[0].id or 0,
            agreed_id=row[8],
            draft_id=row[9],
            reads_ideas=(row[0].id or 0) in whole_plan,
            actions_of=None if (row[0].id or 0) in whole_plan else (me.agency if me else "") or "",
        )
        for row in result
        if row[7] is not None and ((row[0].id or 0) in whole_plan or (row[0].id or 0) in own_actions)
    ]
    incidents = [row[0].id or 0 for row in result if caseloads.row_holds(row[1], "incident.read")]
    # Hub enquiries and MACE referrals about the child: for those who may read the child's concerns.
    concerns = [row[0].id or 0 for row in result if caseloads.row_holds(row[1], "concern.read")]
    found = flags.page_flags(
        session=session,
        child_ids=meetings,
        plans=plans,
        day=day,
        incident_child_ids=incidents,
        deadline_child_ids=concerns,
    )
    rows = [
        TrayRow(
            child=child,
            case_role=case_role,
            allocated_worker=worker_name or "",
            allocated_worker_id=worker_id,
            meeting_type=meeting_type,
            next_review=review_date,
            last_agreed=agreed_on,
            overdue_actions=found.overdue.get(child.id or 0),
            overdue_commitments=found.commitments.get(child.id or 0),
            overdue_plan_actions=found.plan_actions.get(child.id or 0),
            new_ideas=found.ideas.get(child.id or 0, 0),
            next_meeting=found.meetings.get(child.id or 0),
            last_incident=found.incidents.get(child.id or 0),
            deadlines=found.deadlines.get(child.id or 0, []),
            today=day,
        )
        for child, case_role, worker_name, worker_id, meeting_type, review_date, agreed_on, *_ids in result
    ]
    return TrayPage(rows=rows, total=total, page=page, pages=pages, filters=filters)
