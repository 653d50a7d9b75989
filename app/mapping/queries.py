"""What the mapping pages show: the co-ordinator's list (late first), one meeting, and a
concern's mapping meetings (on the concern's page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from app.access import policy
from app.actors import Actor
from app.concerns.models import Concern
from app.errors import NotFound
from app.mapping.models import MappingMeeting, MappingMember
from app.mapping.operations import CONVENE, known_children, mapping_for, may_convene
from app.people.models import Child, Practitioner
from app.timeutil import today
from app.workingdays import working_days_late

RECENTLY_WEIGHED = 20


@dataclass(frozen=True)
class MappingRow:
    mapping: MappingMeeting
    concern: Concern
    state: str  # "late", "today", "later" or "done"
    late_by: int  # working days


@dataclass(frozen=True)
class MemberRow:
    member: MappingMember
    child: Child | None


@dataclass(frozen=True)
class MappingPage:
    row: MappingRow
    members: list[MemberRow]
    children: list[Child]  # the young people the convenor may link
    weigher: str


def _row(session: Session, mapping: MappingMeeting, on: date) -> MappingRow:
    concern = session.get(Concern, mapping.concern_id)
    if concern is None:  # a foreign key: cannot happen
        raise NotFound()
    if mapping.weighed_at is not None:
        state = "done"
    elif mapping.due_on < on:
        state = "late"
    else:
        state = "today" if mapping.due_on == on else "later"
    late = working_days_late(mapping.due_on, on) if state == "late" else 0
    return MappingRow(mapping=mapping, concern=concern, state=state, late_by=late)


def mapping_list(*, session: Session, actor: Actor) -> tuple[list[MappingRow], list[MappingRow]]:
    """Mapping meetings to hold (late first, then by due date) and the latest weighed."""
    policy.require(CONVENE, session=session, actor=actor)
    now = today()
    waiting = session.exec(
        select(MappingMeeting)
        .where(col(MappingMeeting.weighed_at).is_(None))
        .order_by(col(MappingMeeting.due_on), col(MappingMeeting.id))
    ).all()
    weighed = session.exec(
        select(MappingMeeting)
        .where(col(MappingMeeting.weighed_at).is_not(None))
        .order_by(col(MappingMeeting.weighed_at).desc())
        .limit(RECENTLY_WEIGHED)
    ).all()
    return [_row(session, m, now) for m in waiting], [_row(session, m, now) for m in weighed]


def mapping_page(*, session: Session, actor: Actor, mapping_id: int) -> MappingPage:
    mapping = mapping_for(session=session, actor=actor, mapping_id=mapping_id)
    members = session.exec(
        select(MappingMember).where(MappingMember.mapping_id == mapping_id).order_by(col(MappingMember.id))
    ).all()
    ids = known_children(session, actor)
    children = session.exec(select(Child).where(col(Child.id).in_(ids))).all() if ids else []
    weigher = session.get(Practitioner, mapping.weighed_by_id) if mapping.weighed_by_id else None
    return MappingPage(
        row=_row(session, mapping, today()),
        members=[
            # A child linked by another convenor, whom this one may not read, is not named.
            MemberRow(member=m, child=session.get(Child, m.child_id) if m.child_id in ids else None)
            for m in members
        ],
        children=sorted(children, key=lambda c: (c.first_name.casefold(), c.last_name.casefold())),
        weigher=weigher.display_name if weigher is not None else "",
    )


def concern_mappings(*, session: Session, actor: Actor, concern_id: int) -> tuple[list[MappingRow], bool]:
    """A concern's mapping meetings (the caller read the concern), and whether the actor may open them."""
    rows = session.exec(
        select(MappingMeeting).where(MappingMeeting.concern_id == concern_id).order_by(col(MappingMeeting.id).desc())
    ).all()
    now = today()
    return [_row(session, m, now) for m in rows], may_convene(session, actor)


def mapping_rows(*, session: Session, actor: Actor, offset: int, limit: int) -> tuple[list[MappingRow], int]:
    """A page of every mapping meeting (those to hold by due date, then the weighed), and how many there are."""
    policy.require(CONVENE, session=session, actor=actor)
    total = session.exec(select(func.count()).select_from(MappingMeeting)).one()
    rows = session.exec(
        select(MappingMeeting)
        .order_by(col(MappingMeeting.weighed_at).is_not(None), col(MappingMeeting.due_on), col(MappingMeeting.id))
        .offset(offset)
        .limit(limit)
    ).all()
    now = today()
    return [_row(session, m, now) for m in rows], int(total)
