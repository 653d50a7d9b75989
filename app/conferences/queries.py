"""What the conference pages show: the list (late first, then by due date; upcoming reviews), one
conference with its agenda notes and plan, and a mapping meeting's conference.

A conference never case-manages a child: its pages name the group's members (from the mapping
meeting) and nothing of any child's own plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from app.access import policy
from app.actors import Actor
from app.concerns.models import Concern
from app.conferences import rules
from app.conferences.agenda import STEPS
from app.conferences.models import ConferenceAction, ContextConference, Domain
from app.conferences.operations import CHAIR, CONVENE, READ, actions_of, conference_for, notes_of
from app.errors import NotFound
from app.mapping.models import MappingMeeting, MappingMember
from app.people.models import Child, Practitioner
from app.timeutil import today

UPCOMING_REVIEWS = 20


@dataclass(frozen=True)
class ConferenceRow:
    conference: ContextConference
    concern: Concern
    state: str  # "late", "today", "later" or "done"
    late_by: int  # working days
    review_overdue: bool = False  # closed, and its review date has passed


@dataclass(frozen=True)
class ConferencePage:
    row: ConferenceRow
    mapping: MappingMeeting
    members: list[str]  # names or descriptions only: never a child's plan
    notes: dict[str, str]
    actions: dict[Domain, list[ConferenceAction]]
    steps_done: frozenset[int]  # steps with something recorded (1 to 10)
    plan_minutes: int | None
    closer: str
    may_chair: bool
    may_convene: bool


def _row(session: Session, conference: ContextConference, on: date) -> ConferenceRow:
    concern = session.get(Concern, conference.concern_id)
    if concern is None:  # a foreign key: cannot happen
        raise NotFound()
    state, late = rules.due_state(conference.due_on, on, closed=conference.closed_at is not None)
    overdue = conference.review_on is not None and conference.review_on < on
    return ConferenceRow(conference=conference, concern=concern, state=state, late_by=late, review_overdue=overdue)


def may_read(session: Session, actor: Actor) -> bool:
    """Whether the actor reads conferences (not audited: for showing links)."""
    return policy.holds(READ, session=session, actor=actor)


def conference_list(*, session: Session, actor: Actor) -> tuple[list[ConferenceRow], list[ConferenceRow]]:
    """Conferences to hold (late first, then by due date) and closed ones by review date, soonest first."""
    policy.require(READ, session=session, actor=actor)
    now = today()
    waiting = session.exec(
        select(ContextConference)
        .where(col(ContextConference.closed_at).is_(None))
        .order_by(col(ContextConference.due_on), col(ContextConference.id))
    ).all()
    reviews = session.exec(
        select(ContextConference)
        .where(col(ContextConference.closed_at).is_not(None))
        .order_by(col(ContextConference.review_on), col(ContextConference.id))
        .limit(UPCOMING_REVIEWS)
    ).all()
    # Already in due-date order, so the late (the earliest due) come first.
    return [_row(session, c, now) for c in waiting], [_row(session, c, now) for c in reviews]


def conference_rows(*, session: Session, actor: Actor, offset: int, limit: int) -> tuple[list[ConferenceRow], int]:
    """A page of every conference (open ones by due date, then closed ones), and how many there are."""
    policy.require(READ, session=session, actor=actor)
    total = session.exec(select(func.count()).select_from(ContextConference)).one()
    rows = session.exec(
        select(ContextConference)
        .order_by(
            col(ContextConference.closed_at).is_not(None), col(ContextConference.due_on), col(ContextConference.id)
        )
        .offset(offset)
        .limit(limit)
    ).all()
    now = today()
    return [_row(session, c, now) for c in rows], int(total)


def _members(session: Session, mapping_id: int) -> list[str]:
    members = session.exec(
        select(MappingMember).where(MappingMember.mapping_id == mapping_id).order_by(col(MappingMember.id))
    ).all()
    names = []
    for member in members:
        child = session.get(Child, member.child_id) if member.child_id is not None else None
        name = f"{child.first_name} {child.last_name}" if child is not None else ""
        names.append(", ".join(part for part in (name, member.description or "") if part))
    return names


def conference_page(*, session: Session, actor: Actor, conference_id: int) -> ConferencePage:
    conference = conference_for(session=session, actor=actor, conference_id=conference_id)
    mapping = session.get(MappingMeeting, conference.mapping_id)
    if mapping is None:  # a foreign key: cannot happen
        raise NotFound()
    notes = notes_of(session, conference_id)
    by_domain: dict[Domain, list[ConferenceAction]] = {domain: [] for domain in Domain}
    for action in actions_of(session, conference_id):
        by_domain[Domain(action.domain)].append(action)
    done = frozenset(
        number for number, step in enumerate(STEPS, start=1) if any(h.name in notes for h in step.headings)
    )
    minutes = None
    if conference.plan_started is not None and conference.plan_ended is not None:
        minutes = rules.plan_minutes(conference.plan_started, conference.plan_ended)
    closer = session.get(Practitioner, conference.closed_by_id) if conference.closed_by_id else None
    return ConferencePage(
        row=_row(session, conference, today()),
        mapping=mapping,
        members=_members(session, mapping.id or 0),
        notes=notes,
        actions=by_domain,
        steps_done=done,
        plan_minutes=minutes,
        closer=closer.display_name if closer is not None else "",
        may_chair=policy.holds(CHAIR, session=session, actor=actor),
        may_convene=policy.holds(CONVENE, session=session, actor=actor),
    )


def mapping_conference(session: Session, actor: Actor, mapping_id: int) -> ContextConference | None:
    """The conference a mapping meeting opened, if the actor may read conferences (for a link)."""
    if not may_read(session, actor):
        return None
    return session.exec(select(ContextConference).where(ContextConference.mapping_id == mapping_id)).first()
