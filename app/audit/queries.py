"""Reading the audit log: the young person's "who saw my plan", and the practitioners' search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.access import policy
from app.actors import Actor
from app.audit.models import AuditEvent, AuditKind
from app.auth.models import AccountKind
from app.inputs import parse_id
from app.people.models import FamilyMember, Practitioner

# The most rows one page of the audit search returns, whatever is asked (R20).
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class HistoryEntry:
    """One line of "who saw or changed my plan", in plain words."""

    at: datetime
    who: str
    who_kind: str  # "you", "family" or "practitioner"
    detail: str  # e.g. the practitioner's role
    changed: bool


def _names(session: Session, labels: set[str]) -> dict[str, tuple[str, str, str]]:
    """Actor label -> (name, kind, detail)."""
    names: dict[str, tuple[str, str, str]] = {}
    for label in labels:
        kind, _, raw_id = label.partition(":")
        account_id = parse_id(raw_id)
        if account_id is None:
            continue
        if kind == AccountKind.PRACTITIONER:
            practitioner = session.get(Practitioner, account_id)
            if practitioner is not None:
                names[label] = (practitioner.display_name, "practitioner", practitioner.role)
        elif kind == AccountKind.FAMILY:
            member = session.get(FamilyMember, account_id)
            if member is not None:
                names[label] = (member.display_name, "family", "")
    return names


def plan_history(*, session: Session, actor: Actor, child_id: int, limit: int = 50) -> list[HistoryEntry]:
    """Who looked at or changed this child's plan, newest first; one line per person per day and kind."""
    policy.require("history.read", session=session, actor=actor, child_id=child_id)
    rows = session.exec(
        select(AuditEvent)
        .where(AuditEvent.child_id == child_id, col(AuditEvent.kind).in_([AuditKind.READ, AuditKind.WRITE]))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(2000)
    ).all()
    names = _names(session, {row.actor for row in rows})
    seen: set[tuple[str, str, bool]] = set()
    entries: list[HistoryEntry] = []
    for row in rows:
        changed = row.kind == AuditKind.WRITE
        key = (row.actor, row.at.date().isoformat(), changed)
        if key in seen or row.actor not in names:
            continue
        seen.add(key)
        name, kind, detail = names[row.actor]
        if row.actor == actor.label:
            kind = "you"
        entries.append(HistoryEntry(at=row.at, who=name, who_kind=kind, detail=detail, changed=changed))
        if len(entries) >= limit:
            break
    return entries


@dataclass(frozen=True)
class SearchPage:
    events: list[AuditEvent]
    page: int
    per_page: int
    total: int


def search(
    *,
    session: Session,
    actor: Actor,
    child_id: int | None = None,
    actor_label: str = "",
    kind: str = "",
    page: int = 1,
    per_page: int = 50,
) -> SearchPage:
    """Search the audit log (managers and admins). Page size is capped (R20); the search is itself audited."""
    policy.require("audit.search", session=session, actor=actor)
    per_page = max(1, min(per_page, MAX_PAGE_SIZE))
    page = max(1, page)
    query = select(AuditEvent)
    if child_id is not None:
        query = query.where(AuditEvent.child_id == child_id)
    if actor_label:
        query = query.where(AuditEvent.actor == actor_label[:40])
    if kind in {k.value for k in AuditKind}:
        query = query.where(AuditEvent.kind == kind)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    events = session.exec(
        query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return SearchPage(events=list(events), page=page, per_page=per_page, total=int(total))
