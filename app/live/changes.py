"""Which channels a transaction changed, counted as it flushes and announced once it commits.

A listener on every session, like the guard that keeps agreed versions frozen: no write path can
forget to tell. Rows of a plan (its versions, lists, sharing, family links, carers' progress) move
the plan's channel, `plan:<child id>`; a meeting's rows (the meeting, its people, its notes) move
`meeting:<meeting id>` (the meeting row the plan's channel too); the count is bumped in the same
transaction as the change, so it is committed (or rolled back) with it, and published only after
the commit.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col

from app.access.models import SectionShare
from app.commitments.models import CommitmentUpdate
from app.incidents.models import Incident, ReviewChoice
from app.jobs.queue import defer
from app.live.broker import Broker, LocalBroker, make_broker
from app.live.models import LiveChannel
from app.meetings.models import AgendaNote, Meeting, MeetingPerson
from app.people.models import FamilyLink
from app.plans.models import CarerCommitment, Plan, PlanItem, PlanVersion
from app.push import triggers as push_triggers

log = logging.getLogger(__name__)

_PENDING = "live_pending"  # channel -> the version this transaction moved it to
_CHILD_OF_VERSION = "live_child_of_version"


# Each app's database engine fans out through its own broker (set by create_app), so two apps in
# one process (tests build several) never share one by accident.
_BROKERS: dict[int, Broker] = {}
_IN_PROCESS = LocalBroker()


def attach(engine: Engine, url: str) -> Broker:
    """Changes committed through `engine` fan out through Redis at `url`, or within this process."""
    broker = make_broker(url)
    _BROKERS[id(engine)] = broker
    return broker


def broker_for(engine: Engine) -> Broker:
    return _BROKERS.get(id(engine), _IN_PROCESS)


def _engine_of(session: OrmSession) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def plan_channel(child_id: int) -> str:
    return f"plan:{child_id}"


def meeting_channel(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def event_name(channel: str) -> str:
    """What a page listens for: "plan-changed", "meeting-changed"."""
    return f"{channel.split(':', 1)[0]}-changed"


def current_version(session: Any, channel: str) -> int:
    """How many changes `channel` has seen (0 if none yet)."""
    row = session.get(LiveChannel, channel)
    return row.version if row is not None else 0


def _child_of_version(session: OrmSession, version_id: int | None) -> int | None:
    if version_id is None:
        return None
    cache: dict[int, int | None] = session.info.setdefault(_CHILD_OF_VERSION, {})
    if version_id not in cache:
        # Core on the session's connection: no autoflush inside a flush.
        cache[version_id] = (
            session.connection()
            .execute(
                select(col(Plan.child_id))
                .join(PlanVersion, col(PlanVersion.plan_id) == col(Plan.id))
                .where(col(PlanVersion.id) == version_id)
            )
            .scalar()
        )
    return cache[version_id]


def _child_of(session: OrmSession, obj: object) -> int | None:
    """The child whose plan this row belongs to, or None for a row that is not part of a plan."""
    if isinstance(obj, PlanItem):
        return _child_of_version(session, obj.version_id)
    if isinstance(obj, PlanVersion):
        return session.connection().execute(select(col(Plan.child_id)).where(col(Plan.id) == obj.plan_id)).scalar()
    if isinstance(obj, Plan | SectionShare | FamilyLink):
        return obj.child_id
    if isinstance(obj, Incident) and obj.review_choice == ReviewChoice.BRING_FORWARD:
        # The family's plan shows the review date an incident brought forward (never the incident).
        return obj.child_id
    if isinstance(obj, CommitmentUpdate):
        version_id = (
            session.connection()
            .execute(select(col(CarerCommitment.version_id)).where(col(CarerCommitment.id) == obj.commitment_id))
            .scalar()
        )
        return _child_of_version(session, version_id)
    return None


def _channels_of(session: OrmSession, obj: object) -> set[str]:
    """The channels this row moves on: its plan's, or its meeting's (none for a row no page shows)."""
    if isinstance(obj, Meeting):
        # The family's plan page shows the next meeting (when, where, running now): a change to the
        # meeting itself moves the plan's channel too; its people and notes only the meeting's.
        return {meeting_channel(obj.id), plan_channel(obj.child_id)} if obj.id is not None else set()
    if isinstance(obj, MeetingPerson | AgendaNote):
        return {meeting_channel(obj.meeting_id)}
    child_id = _child_of(session, obj)
    return {plan_channel(child_id)} if child_id is not None else set()


def _bump(session: OrmSession, channel: str) -> int:
    """Count one more change on `channel` in this transaction; the new count."""
    connection = session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(LiveChannel).values(name=channel, version=1)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["name"], set_={"version": LiveChannel.version + 1})
    )
    version = connection.execute(select(col(LiveChannel.version)).where(col(LiveChannel.name) == channel)).scalar()
    return int(version or 0)


@event.listens_for(OrmSession, "after_flush")
def _count_changes(session: OrmSession, _context: Any) -> None:
    changed = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if obj in session.new or obj in session.deleted or session.is_modified(obj)
    ]
    # The same rows decide whether a family member's phone is told (app/push), after the commit.
    push_triggers.note(session, changed)
    channels = set().union(*(_channels_of(session, obj) for obj in changed)) if changed else set()
    if not channels:
        return
    pending: dict[str, int] = session.info.setdefault(_PENDING, {})
    for channel in sorted(channels):
        pending[channel] = _bump(session, channel)


@event.listens_for(OrmSession, "after_commit")
def _announce(session: OrmSession) -> None:
    # A savepoint's release (insert_or_conflict) fires this too, before the change is committed:
    # only the outermost commit announces, or pages would fetch too soon and the commit say nothing.
    if session.in_nested_transaction():
        return
    pending: dict[str, int] = session.info.pop(_PENDING, {})
    session.info.pop(_CHILD_OF_VERSION, None)
    to_tell = push_triggers.take(session)
    if pending:
        broker = broker_for(_engine_of(session))
        for channel, version in pending.items():
            try:
                broker.publish(channel, str(version))
            except Exception:
                # The change is committed and counted; open pages catch up when they reconnect.
                log.exception("could not announce a change on %s", channel.split(":")[0])
    # Phones after open pages, by a job (app/jobs): a push service is slower than Redis, and the
    # request that made the change must not wait for it. Plain ids, after the commit.
    for child_id, member_ids in to_tell.items():
        try:
            defer("push_fan_out", child_id=child_id, member_ids=sorted(member_ids))
        except Exception:
            # The change is committed; a lost notice is a missed nudge, and the plan says it anyway.
            log.exception("could not ask for the push notices of a change")


@event.listens_for(OrmSession, "after_soft_rollback")
def _forget(session: OrmSession, previous: Any) -> None:
    # Only when the whole transaction is undone: a savepoint rolled back inside it may leave other
    # changes to announce (announcing one too many only makes a page fetch its parts again).
    if previous.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_CHILD_OF_VERSION, None)
        push_triggers.forget(session)
