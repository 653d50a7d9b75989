"""The changes feed: what changed on the caller's caseload since their cursor, from the audit log.

Built on the append-only `audit_event` table: every change any door makes writes one row there in
the same transaction (app.audit.operations.record_change), with a monotonic id. A page is one
indexed range of ids after the cursor, narrowed in SQL to change rows about children the caller
may read NOW (app.access.caseloads.children_holding_query: the policy's order, no per-row policy
call) and to the kinds listed in FEED (never the row's detail, never any content).

Correctness: ids are drawn when a row is flushed, not when it commits, so a row with a lower id can
become visible after a higher one. A page therefore stops at a horizon: the id of a row written at
least SETTLE ago. Every transaction lasts at most the server's timeout (gunicorn: 30 s), so once
SETTLE is at least twice that, every row with an id at or below the horizon has committed or rolled
back, and a cursor past it never skips a change. Clients lag the present by about SETTLE.

Cheap: a call reads at most SCAN_SPAN ids past its cursor and returns at most a page; the cursor then
moves past what was read even when nothing in it was the caller's (`has_more` says to call again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.access import caseloads
from app.actors import Actor
from app.api.door import API_PREFIX
from app.audit.models import AuditEvent, AuditKind
from app.plans.models import PlanVersion
from app.timeutil import utcnow

# Twice gunicorn's worker timeout (gunicorn.conf.py), the longest a request's transaction lasts.
SETTLE = timedelta(seconds=60)
# The most audit ids one call reads past its cursor, whatever it finds there.
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
MEETING_CHANGED = FeedKind("meeting_changed", "/children/{child_id}", "meeting.read")
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
    ("meeting", "scheduled"): FeedKind("meeting_scheduled", "/children/{child_id}", "meeting.read"),
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


@dataclass(frozen=True)
class FeedPage:
    changes: list[Change]
    last_event_id: int  # the next cursor's
    has_more: bool


def horizon(session: Session) -> int:
    """The id at or below which every audit row has settled (see the module's note); 0 for none."""
    settled = select(AuditEvent.id).where(col(AuditEvent.at) < utcnow() - SETTLE)
    return session.exec(settled.order_by(col(AuditEvent.at).desc()).limit(1)).first() or 0


def feed_page(*, session: Session, actor: Actor, after: int | None, limit: int) -> FeedPage:
    """The caller's changes after event `after`, oldest first; with no cursor, none: it starts from now."""
    top = horizon(session)
    if after is None:
        return FeedPage(changes=[], last_event_id=top, has_more=False)
    end = min(top, after + SCAN_SPAN)
    scope = caseloads.caseload_scope(session=session, actor=actor)
    if scope is None or end <= after:
        return FeedPage(changes=[], last_event_id=max(after, end), has_more=end < top)
    rows = session.execute(
        sa.select(
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
            col(AuditEvent.id) > after,
            col(AuditEvent.id) <= end,
            col(AuditEvent.kind) == AuditKind.WRITE,
            col(AuditEvent.child_id).in_(caseloads.children_holding_query(scope, FEED_PERMISSION)),
            _in_feed(),
        )
        .order_by(col(AuditEvent.id))
        .limit(limit + 1)
    ).all()
    full = len(rows) > limit
    rows = rows[:limit]
    changes = []
    for _id, child_id, entity, action, at, number in rows:
        found = kind_of(entity, action)
        if found is not None:  # always, by _in_feed
            path = found.path.format(child_id=child_id, number=number or 0)
            changes.append(Change(child_id=child_id, kind=found.kind, at=at, resource=API_PREFIX + path))
    return FeedPage(changes=changes, last_event_id=rows[-1][0] if full else end, has_more=full or end < top)
