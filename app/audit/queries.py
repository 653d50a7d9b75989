"""Reading the audit log: the young person's "who saw my plan", and the practitioners' search.

The search goes through the same policy as the records (R2). A manager sees the rows about the
children their team holds ("audit.read"), with names. An admin, who never reads plans, may search
the whole log ("audit.search_all": it holds no plan content) but sees children and family
members by number only: "Lisa Ellis opened Jordan's plan" is itself personal data about Jordan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from app.access import policy
from app.actors import Actor
from app.audit.inputs import AuditFilters
from app.audit.models import AuditEvent, AuditKind
from app.audit.names import ChildName, Person, child_names, family_roles, people
from app.audit.operations import record_access
from app.commitments.models import CommitmentUpdate
from app.people.models import Child
from app.timeutil import ENGLAND


@dataclass(frozen=True)
class HistoryEntry:
    """One line of "who saw or changed my plan", in plain words."""

    at: datetime
    who: str
    who_kind: str  # "you", "family" or "practitioner"
    detail: str  # e.g. the practitioner's role
    changed: bool


def plan_history(*, session: Session, actor: Actor, child_id: int, limit: int = 50) -> list[HistoryEntry]:
    """Who looked at or changed this child's plan, newest first; one line per person per day and kind."""
    policy.require("history.read", session=session, actor=actor, child_id=child_id)
    rows = session.exec(
        select(AuditEvent)
        .where(AuditEvent.child_id == child_id, col(AuditEvent.kind).in_([AuditKind.READ, AuditKind.WRITE]))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(2000)
    ).all()
    named = {label: person for label, person in people(session, {row.actor for row in rows}).items() if person.name}
    seen: set[tuple[str, str, bool]] = set()
    entries: list[HistoryEntry] = []
    for row in rows:
        changed = row.kind == AuditKind.WRITE
        key = (row.actor, row.at.date().isoformat(), changed)
        if key in seen or row.actor not in named:
            continue
        seen.add(key)
        person = named[row.actor]
        kind = "you" if row.actor == actor.label else ("practitioner" if person.is_practitioner else "family")
        entries.append(HistoryEntry(at=row.at, who=person.name, who_kind=kind, detail=person.role, changed=changed))
        if len(entries) >= limit:
            break
    return entries


# --- The audit search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditScope:
    """What one reader may search; made only by `audit_scope`, which asks the policy."""

    actor: Actor
    whole_log: bool  # every row, children by number only
    named_children: frozenset[int]  # children whose rows the reader may see, with names


def audit_scope(*, session: Session, actor: Actor) -> AuditScope:
    """The reader's reach in the audit log; NotFound for anyone who may not search it (audited)."""
    policy.require("audit.search", session=session, actor=actor)
    return AuditScope(
        actor=actor,
        whole_log=policy.holds("audit.search_all", session=session, actor=actor),
        named_children=policy.children_holding("audit.read", session=session, actor=actor),
    )


def _in_scope(query: SelectOfScalar[AuditEvent], scope: AuditScope) -> SelectOfScalar[AuditEvent]:
    if scope.whole_log:
        return query
    return query.where(col(AuditEvent.child_id).in_(scope.named_children))


@dataclass(frozen=True)
class SearchChoices:
    """What the filters offer: people who appear in the reader's rows, and the children they may search."""

    people: list[tuple[Person, bool]]  # (person, whether their name may be shown)
    children: list[tuple[int, ChildName | None]]  # (record number, name where the reader may see it)


def _actors(session: Session, scope: AuditScope, *, named_only: bool = False) -> set[str]:
    query = select(AuditEvent.actor).distinct()
    if named_only or not scope.whole_log:
        query = query.where(col(AuditEvent.child_id).in_(scope.named_children))
    return set(session.exec(query).all())


def _choice_order(item: tuple[Person, bool]) -> tuple[bool, bool, str, int]:
    """Practitioners by name, then family members named, then those shown by number."""
    person, named = item
    shown_by_name = person.is_practitioner or named
    return (not person.is_practitioner, not shown_by_name, person.name if shown_by_name else "", person.account_id or 0)


def search_choices(*, session: Session, scope: AuditScope, selected_actor: str = "") -> SearchChoices:
    """The people and children the reader may filter by. A person asked for by label who is not
    among them is listed by that label alone (the search then finds nothing the reader may see)."""
    labels = _actors(session, scope)
    # A family member is named only beside a child the reader may read (see AuditLine.named).
    named_labels = labels if not scope.whole_log else _actors(session, scope, named_only=True)
    found = people(session, labels)
    listed = sorted(((found[label], label in named_labels) for label in labels), key=_choice_order)
    if selected_actor and selected_actor not in labels:
        listed.append((Person(label=selected_actor, kind="", account_id=None), False))
    names = child_names(session, scope.named_children)
    if scope.whole_log:
        ids = [child_id for child_id in session.exec(select(Child.id).order_by(col(Child.id))).all() if child_id]
        children = [(child_id, names.get(child_id)) for child_id in ids]
    else:
        children = sorted(((i, names.get(i)) for i in scope.named_children), key=lambda c: c[1].full if c[1] else "")
    return SearchChoices(people=listed, children=children)


@dataclass(frozen=True)
class AuditLine:
    """One row of the log with what the reader may know about it (sentences.describe words it)."""

    event: AuditEvent
    who: Person
    named: bool  # the reader may read this row's child: their name, and their family's, are shown
    family_role: str = ""  # the actor's role for this row's child, if a family member
    child: ChildName | None = None
    target: Person | None = None  # whose account an account change was about
    commitment_change: str = ""  # "comment", "done" or "not_done" (see _commitment_changes)


@dataclass(frozen=True)
class SearchPage:
    lines: list[AuditLine]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _start_of(day: date) -> datetime:
    """Midnight in England on `day`, in UTC (the log's clock): dates are the reader's days."""
    return datetime.combine(day, time.min, tzinfo=ENGLAND).astimezone(UTC)


def search(*, session: Session, scope: AuditScope, filters: AuditFilters) -> SearchPage:
    """One page of the rows the reader may see, newest first. A child filter outside the reader's
    reach is NotFound, audited, like the child's record; the page size is capped (R20)."""
    if filters.child_id is not None:
        if scope.whole_log:
            # The search itself was audited without a child; this names whose rows were read (R21).
            record_access(
                session=session,
                actor=scope.actor,
                child_id=filters.child_id,
                permission="audit.search_all",
                allowed=True,
            )
        else:
            policy.require("audit.read", session=session, actor=scope.actor, child_id=filters.child_id)
    query = _in_scope(select(AuditEvent), scope)
    if filters.child_id is not None:
        query = query.where(AuditEvent.child_id == filters.child_id)
    if filters.actor:
        query = query.where(AuditEvent.actor == filters.actor)
    if filters.kind:
        query = query.where(AuditEvent.kind == filters.kind)
    if filters.from_day:
        query = query.where(col(AuditEvent.at) >= _start_of(filters.from_day))
    if filters.to_day:
        query = query.where(col(AuditEvent.at) < _start_of(filters.to_day + timedelta(days=1)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    events = session.exec(
        query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset((filters.page - 1) * filters.per_page)
        .limit(filters.per_page)
    ).all()
    return SearchPage(
        lines=_lines(session, scope, list(events)), page=filters.page, per_page=filters.per_page, total=int(total)
    )


def _lines(session: Session, scope: AuditScope, events: list[AuditEvent]) -> list[AuditLine]:
    """What the reader may know about each row, read in a handful of queries for the whole page."""
    targets = {e.id: f"practitioner:{e.entity_id}" for e in events if e.entity == "practitioner" and e.entity_id}
    found = people(session, [e.actor for e in events] + list(targets.values()))
    named_rows = [e for e in events if e.child_id is not None and e.child_id in scope.named_children]
    names = child_names(session, {e.child_id for e in named_rows if e.child_id is not None})
    roles = family_roles(
        session,
        {found[e.actor].account_id or 0 for e in events if found[e.actor].is_family},
        {e.child_id for e in events if e.child_id is not None},
    )
    commitments = _commitment_changes(
        session, {e.entity_id for e in events if e.entity == "commitment_update" and e.entity_id}
    )
    lines = []
    for event in events:
        person = found[event.actor]
        named = event.child_id is not None and event.child_id in scope.named_children
        lines.append(
            AuditLine(
                event=event,
                who=person,
                named=named,
                family_role=roles.get((person.account_id or 0, event.child_id or 0), "") if person.is_family else "",
                child=names.get(event.child_id) if named and event.child_id is not None else None,
                target=found[targets[event.id]] if event.id in targets else None,
                commitment_change=commitments.get(event.entity_id or 0, "")
                if event.entity == "commitment_update"
                else "",
            )
        )
    return lines


def _commitment_changes(session: Session, update_ids: set[int]) -> dict[int, str]:
    """What each commitment update changed, against the one before it: "done", "not_done" or
    "comment" (the log records only that an update was made; the words stay in their table)."""
    if not update_ids:
        return {}
    commitment_ids = select(CommitmentUpdate.commitment_id).where(col(CommitmentUpdate.id).in_(update_ids))
    history = session.exec(
        select(CommitmentUpdate)
        .where(col(CommitmentUpdate.commitment_id).in_(commitment_ids))
        .order_by(col(CommitmentUpdate.id))
    ).all()
    before: dict[int, CommitmentUpdate] = {}
    changes: dict[int, str] = {}
    for update in history:
        previous = before.get(update.commitment_id)
        if update.id in update_ids:
            if update.done != (previous.done if previous else False):
                changes[update.id] = "done" if update.done else "not_done"
            elif update.comment != (previous.comment if previous else None):
                changes[update.id] = "comment"
        before[update.commitment_id] = update
    return changes
