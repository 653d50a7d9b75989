"""The changes feed: what changed on the caller's caseload since their cursor, from the audit log.

Built on the append-only `audit_event` table: every change any door makes writes one row there in
the same transaction (app.audit.operations.record_change). A page is one indexed range after the
cursor, narrowed in SQL to change rows about children the caller may read NOW
(app.access.caseloads.children_holding_query: the policy's order, no per-row policy call) and to
the kinds listed in FEED (never the row's detail, never any content).

Correctness: ids are drawn when a row is flushed, not when it commits, so on PostgreSQL a row with
a lower id can become visible after a higher one, and a cursor of ids alone would skip it. So the
feed orders rows by (txid, id), txid being the writing transaction's id (migration 0029), and
hands out only rows whose transaction is older than the oldest one still open (the snapshot's
xmin): all of those have committed or rolled back, and every row still to come has a txid at or
above it, so it sorts after any cursor given out. Rows show once their transaction and every
older one have ended (normally milliseconds; a transaction left open holds the feed back, never
makes it skip). SQLite has one writer at a time, so there ids are in commit order: txid is 0.

Cheap: a call reads at most SCAN_SPAN rows past its cursor (the index on (txid, id)) and returns at
most a page; the cursor moves past what was read even when none of it was the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.access import caseloads
from app.actors import Actor
from app.api.door import API_PREFIX
from app.audit.models import AuditEvent, AuditKind
from app.plans.models import PlanVersion

# The most audit rows one call reads past its cursor, whatever it finds there.
SCAN_SPAN = 10_000
# The feed lists changes to the children whose whole plan the caller reads; every kind below
# links to something those readers may read (tests/unit/test_changes_feed.py checks it).
FEED_PERMISSION = "plan.read_full"

_ITEM_TABLES = (
    "plan_action",
    "child_statement",
    "emergency_contact",
    "parental_responsibility",
    "carer_commitment",
    "agency_action",
    "network_person",
    "place",
)


@dataclass(frozen=True)
class FeedKind:
    """What one kind of change is called in the feed, where to read it, and who may read that."""

    kind: str
    path: str  # under /api/v1, with {child_id} (and {number} for a version)
    permission: str


PLAN_CHANGED = FeedKind("plan_changed", "/children/{child_id}/plan", "plan.read_full")
MEETING_CHANGED = FeedKind("meeting_changed", "/children/{child_id}/meetings", "meeting.read")
CONCERN_CHANGED = FeedKind("concern_changed", "/children/{child_id}/concerns", "concern.read")
# (table, verb) -> kind; a verb of None stands for any verb. Anything not here is not in the feed.
FEED: dict[tuple[str, str | None], FeedKind] = {
    **{(table, None): PLAN_CHANGED for table in _ITEM_TABLES},
    ("plan_version", "updated"): PLAN_CHANGED,
    ("plan_version", "agreed"): FeedKind("version_agreed", "/children/{child_id}/versions/{number}", "plan.history"),
    ("plan", "created"): FeedKind("plan_opened", "/children/{child_id}/plan", "plan.read_full"),
    ("plan", "closed"): FeedKind("plan_closed", "/children/{child_id}", "plan.read_full"),
    ("plan", "review_brought_forward"): FeedKind("review_brought_forward", "/children/{child_id}", "plan.read_full"),
    ("commitment_update", None): FeedKind("commitment_updated", "/children/{child_id}/plan", "plan.read_full"),
    ("meeting", "scheduled"): FeedKind("meeting_scheduled", "/children/{child_id}/meetings", "meeting.read"),
    ("meeting", None): MEETING_CHANGED,
    ("meeting_person", None): MEETING_CHANGED,
    ("agenda_note", None): MEETING_CHANGED,
    ("incident", "created"): FeedKind("incident_recorded", "/children/{child_id}/incidents", "incident.read"),
    ("concern", "created"): FeedKind("concern_recorded", "/children/{child_id}/concerns", "concern.read"),
    ("assessment", None): CONCERN_CHANGED,
    ("route_decision", None): CONCERN_CHANGED,
    ("case_assignment", None): FeedKind("case_team_changed", "/children/{child_id}", "case.read_team"),
}


def kind_of(entity: str, action: str) -> FeedKind | None:
    return FEED.get((entity, action)) or FEED.get((entity, None))


def _in_feed() -> sa.ColumnElement[bool]:
    """The (table, verb) pairs of FEED, as one condition."""
    any_verb = sorted({entity for entity, action in FEED if action is None})
    verbs: dict[str, list[str]] = {}
    for entity, action in FEED:
        if action is not None and entity not in any_verb:
            verbs.setdefault(entity, []).append(action)
    return sa.or_(
        col(AuditEvent.entity).in_(any_verb),
        *(
            sa.and_(col(AuditEvent.entity) == entity, col(AuditEvent.action).in_(sorted(v)))
            for entity, v in verbs.items()
        ),
    )


@dataclass(frozen=True)
class Change:
    child_id: int
    kind: str
    at: datetime
    resource: str


# Where a reader is in the log: (txid, id) of the last row read (see the module's note).
Position = tuple[int, int]


@dataclass(frozen=True)
class FeedPage:
    changes: list[Change]
    position: Position  # the next cursor's
    has_more: bool


def _txid(session: Session) -> sa.ColumnElement[Any]:
    """The rows' order before their id: the writing transaction on PostgreSQL, 0 on SQLite (one writer)."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.type_coerce(col(AuditEvent.txid), sa.BigInteger)  # the column itself (its index), typed
    return sa.literal(0)


def settled_below(session: Session) -> int:
    """Rows of transactions below this id have all ended: the oldest transaction still open (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return int(
            session.execute(sa.text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar_one()
        )
    return 1  # every row's txid is 0: all settled


def _last_settled(session: Session, after: Position, below: int) -> Position:
    """The last settled row after `after` (or `after` itself): where a reader who has read them all is."""
    tx = _txid(session)
    last = session.execute(
        sa.select(tx, col(AuditEvent.id))
        .where(tx < below, sa.tuple_(tx, col(AuditEvent.id)) > sa.tuple_(*after))
        .order_by(tx.desc(), col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return (int(last[0]), int(last[1])) if last is not None else after


def feed_page(*, session: Session, actor: Actor, after: Position | None, limit: int) -> FeedPage:
    """The caller's changes after `after`, oldest first; with no cursor, none: it starts from now."""
    below = settled_below(session)
    if after is None:
        return FeedPage(changes=[], position=_last_settled(session, (0, 0), below), has_more=False)
    tx, key = _txid(session), sa.tuple_(_txid(session), col(AuditEvent.id))
    settled = [tx < below, key > sa.tuple_(*after)]
    # The end of this call's window: the SCAN_SPAN-th settled row after the cursor, if there are that many.
    cut = session.execute(
        sa.select(tx, col(AuditEvent.id))
        .where(*settled)
        .order_by(tx, col(AuditEvent.id))
        .offset(SCAN_SPAN - 1)
        .limit(1)
    ).first()
    window = [*settled, key <= sa.tuple_(cut[0], cut[1])] if cut is not None else settled
    scope = caseloads.caseload_scope(session=session, actor=actor)
    rows = (
        []
        if scope is None
        else session.execute(
            sa.select(
                tx,
                col(AuditEvent.id),
                col(AuditEvent.child_id),
                col(AuditEvent.entity),
                col(AuditEvent.action),
                col(AuditEvent.at),
                col(PlanVersion.number),
            )
            .outerjoin(
                PlanVersion,
                sa.and_(col(AuditEvent.entity) == "plan_version", col(PlanVersion.id) == col(AuditEvent.entity_id)),
            )
            .where(
                *window,
                col(AuditEvent.kind) == AuditKind.WRITE,
                col(AuditEvent.child_id).in_(caseloads.children_holding_query(scope, FEED_PERMISSION)),
                _in_feed(),
            )
            .order_by(tx, col(AuditEvent.id))
            .limit(limit + 1)
        ).all()
    )
    if len(rows) > limit:
        rows = rows[:limit]
        position, more = (int(rows[-1][0]), int(rows[-1][1])), True
    elif cut is not None:
        position, more = (int(cut[0]), int(cut[1])), True
    else:
        position, more = _last_settled(session, after, below), False
    changes = []
    for _tx, _id, child_id, entity, action, at, number in rows:
        found = kind_of(entity, action)
        if found is not None:  # always, by _in_feed
            path = found.path.format(child_id=child_id, number=number or 0)
            changes.append(Change(child_id=child_id, kind=found.kind, at=at, resource=API_PREFIX + path))
    return FeedPage(changes=changes, position=position, has_more=more)
