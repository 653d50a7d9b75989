"""Reading meetings: the record a practitioner runs from, and what the family sees on their phones.

The family never see the notes (they can name people and places of concern, R4): they see which
item is being discussed, their own agreement, and the young person sees their own first words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app import timeutil
from app.access import policy
from app.actors import Actor
from app.auth.models import AccountKind
from app.db_reads import SideBySide, side_by_side, side_by_side_first, table_of
from app.errors import NotFound
from app.meetings import agenda
from app.meetings.models import AgendaNote, Attendance, Meeting, MeetingPerson, MeetingStatus
from app.people.models import CaseAssignment, Child, FamilyLink, FamilyMember, FamilyRole, Practitioner
from app.plans.read_model import author_name


@dataclass(frozen=True)
class Attendee:
    """Someone invited to a meeting, as the record names them."""

    person: MeetingPerson
    name: str
    role: str  # a FamilyRole, a PractitionerRole, or what a guest does
    is_family: bool

    @property
    def agreed(self) -> bool:
        return self.person.agreed_at is not None


@dataclass
class MeetingRecord:
    """A meeting as the people running or reading it see it."""

    meeting: Meeting
    child: Child
    access: policy.Access
    attendees: list[Attendee] = field(default_factory=list)
    notes: dict[str, AgendaNote] = field(default_factory=dict)
    facilitator: str = ""

    @property
    def current(self) -> agenda.AgendaItem | None:
        return agenda.item(self.meeting.current_item)

    @property
    def is_open(self) -> bool:
        return self.meeting.status == MeetingStatus.OPEN

    @property
    def young_person_has_the_app(self) -> bool:
        """Whether the young person is invited with their own account (else in person only, like Kay)."""
        return any(a.is_family and a.role == FamilyRole.YOUNG_PERSON and a.person.member_id for a in self.attendees)

    @property
    def everyone_present_agreed(self) -> bool:
        present = [a for a in self.attendees if a.person.attendance == Attendance.PRESENT]
        return bool(present) and all(a.agreed for a in present)


def _attendees(session: Session, meeting: Meeting, child: Child) -> list[Attendee]:
    people = session.exec(
        select(MeetingPerson).where(MeetingPerson.meeting_id == meeting.id).order_by(col(MeetingPerson.id))
    ).all()
    links = {
        link.member_id: (link, member)
        for link, member in session.exec(
            select(FamilyLink, FamilyMember)
            .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
            .where(FamilyLink.child_id == child.id)
        ).all()
    }
    practitioner_ids = [p.practitioner_id for p in people if p.practitioner_id is not None]
    practitioners = {
        p.id: p for p in session.exec(select(Practitioner).where(col(Practitioner.id).in_(practitioner_ids))).all()
    }
    result: list[Attendee] = []
    for person in people:
        if person.member_id is not None and person.member_id in links:
            link, member = links[person.member_id]
            result.append(Attendee(person, author_name(child, link, member), link.role, is_family=True))
        elif person.practitioner_id is not None and person.practitioner_id in practitioners:
            practitioner = practitioners[person.practitioner_id]
            result.append(Attendee(person, practitioner.display_name, practitioner.role, is_family=False))
        elif person.role == FamilyRole.YOUNG_PERSON and not person.agency:
            # The young person with no account here, invited in person (a guest always has an agency).
            result.append(Attendee(person, child.preferred_name, FamilyRole.YOUNG_PERSON, is_family=True))
        else:
            result.append(Attendee(person, person.name or "", person.role, is_family=False))
    return result


def _facilitator(session: Session, meeting: Meeting, attendees: list[Attendee]) -> str:
    for attendee in attendees:
        person = attendee.person
        by_practitioner = (
            person.practitioner_id is not None and person.practitioner_id == meeting.facilitator_practitioner_id
        )
        by_member = person.member_id is not None and person.member_id == meeting.facilitator_member_id
        if by_practitioner or by_member:
            return attendee.name
    return ""


def meeting_record(*, session: Session, actor: Actor, meeting_id: int) -> MeetingRecord:
    """The whole record of one meeting: people, attendance, agreement, notes (practitioners, and a
    trusted adult facilitating it)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    if actor.kind == AccountKind.FAMILY:
        access = policy.require("meeting.facilitate_as_family", session=session, actor=actor, child_id=meeting.child_id)
        if meeting.facilitator_member_id != actor.account_id:
            raise NotFound()
    else:
        access = policy.require("meeting.read", session=session, actor=actor, child_id=meeting.child_id)
    child = session.get(Child, meeting.child_id)
    if child is None:
        raise NotFound()
    record = MeetingRecord(meeting=meeting, child=child, access=access)
    record.attendees = _attendees(session, meeting, child)
    record.facilitator = _facilitator(session, meeting, record.attendees)
    record.notes = {
        note.item: note for note in session.exec(select(AgendaNote).where(AgendaNote.meeting_id == meeting.id)).all()
    }
    return record


def meetings_of_child(*, session: Session, actor: Actor, child_id: int) -> list[Meeting]:
    """Every meeting about the child, the next one first, then the past ones newest first."""
    policy.require("meeting.read", session=session, actor=actor, child_id=child_id)
    meetings = list(session.exec(select(Meeting).where(Meeting.child_id == child_id)).all())
    coming = sorted(
        (m for m in meetings if m.status in (MeetingStatus.SCHEDULED, MeetingStatus.OPEN)), key=lambda m: m.starts_at
    )
    past = sorted(
        (m for m in meetings if m.status not in (MeetingStatus.SCHEDULED, MeetingStatus.OPEN)),
        key=lambda m: m.starts_at,
        reverse=True,
    )
    return coming + past


@dataclass(frozen=True)
class FamilyMeeting:
    """A meeting as a family member sees it on their phone: when, where, which item, their agreement."""

    meeting: Meeting
    me: MeetingPerson | None
    # Only the young person sees (and can change) what they wrote for the meeting to know.
    my_first_words: str | None
    can_speak_first: bool

    @property
    def current(self) -> agenda.AgendaItem | None:
        return agenda.item(self.meeting.current_item)

    @property
    def is_open(self) -> bool:
        return self.meeting.status == MeetingStatus.OPEN


def next_meeting(*, session: Session, actor: Actor, child_id: int) -> FamilyMeeting | None:
    """The meeting coming up (or running now) that this family member is invited to, if any."""
    access = policy.require("meeting.take_part", session=session, actor=actor, child_id=child_id)
    return invited_meeting(session=session, access=access, actor=actor, child_id=child_id)


def invited_place(child_id: Any, member_id: Any) -> Any:
    """The member's place (their MeetingPerson row's id) in the child's next meeting to come, or
    the one running now, as a scalar SELECT (NULL if they are invited to none). `child_id` and
    `member_id` are bound parameters or columns of the enclosing statement: a page can read the
    meeting with other things in one statement (app.family.plan_page)."""
    # Aliased: the enclosing statement may read the same tables (their rows of this very place).
    meetings, people = table_of(Meeting).alias("invited_meeting"), table_of(MeetingPerson).alias("invited_person")
    meeting, person = meetings.c, people.c
    return (
        select(person.id)
        .select_from(meetings)
        .join(people, person.meeting_id == meeting.id)
        .where(
            meeting.child_id == child_id,
            meeting.status.in_([MeetingStatus.SCHEDULED, MeetingStatus.OPEN]),
            person.member_id == member_id,
        )
        .order_by(meeting.starts_at, person.id)
        .limit(1)
        .scalar_subquery()
    )


@cache
def _invited_query() -> SideBySide:
    """The member's next meeting (`invited_place`) and their place in it: built once (its SQL
    compiled once), read by hand (app.db_reads.side_by_side: cheaper than the ORM's loading)."""
    meeting, person = table_of(Meeting).c, table_of(MeetingPerson).c
    return side_by_side(
        (Meeting, MeetingPerson),
        lambda statement: (
            statement.select_from(table_of(MeetingPerson))
            .join(table_of(Meeting), meeting.id == person.meeting_id)
            .where(person.id == invited_place(bindparam("child_id"), bindparam("member_id")))
        ),
    )


def invited_meeting(*, session: Session, access: policy.Access, actor: Actor, child_id: int) -> FamilyMeeting | None:
    """`next_meeting` for a page that has already decided (and audited) "meeting.take_part"."""
    if not access.holds("meeting.take_part"):
        return None
    found = side_by_side_first(session, _invited_query(), {"child_id": child_id, "member_id": actor.account_id})
    return family_meeting(access, *found) if found is not None else None


def family_meeting(access: policy.Access, meeting: Meeting | None, me: MeetingPerson | None) -> FamilyMeeting | None:
    """The meeting as this family member sees it, from their place in it as read (`invited_place`),
    for a reader the page's decision (`access`) lets take part; None otherwise."""
    if meeting is None or not access.holds("meeting.take_part"):
        return None
    speaks_first = access.holds("meeting.speak_first")
    return FamilyMeeting(
        meeting=meeting,
        me=me,
        my_first_words=meeting.young_person_words if speaks_first else None,
        can_speak_first=speaks_first,
    )


@dataclass(frozen=True)
class FacilitatorChoice:
    """Someone who may facilitate a kind of meeting: a form value ("p:<id>" or "m:<id>") and a name."""

    value: str
    name: str
    meeting_types: frozenset[str]


def facilitator_choices(*, session: Session, actor: Actor, child_id: int) -> list[FacilitatorChoice]:
    """Who may facilitate the child's meetings, as the policy decides (by job, or as the young
    person's trusted adult), with the kinds of meeting each may facilitate."""
    policy.require("meeting.run", session=session, actor=actor, child_id=child_id)
    kinds = tuple(policy.FACILITATING_ROLES)
    choices: list[FacilitatorChoice] = []
    workers = session.exec(
        select(Practitioner)
        .join(CaseAssignment, col(CaseAssignment.practitioner_id) == col(Practitioner.id))
        .where(CaseAssignment.child_id == child_id, col(CaseAssignment.ended_on).is_(None))
        .order_by(col(CaseAssignment.id))
    ).all()
    for practitioner in workers:
        allowed = frozenset(k for k in kinds if policy.may_facilitate(k, practitioner=practitioner))
        if allowed:
            choices.append(FacilitatorChoice(f"p:{practitioner.id}", practitioner.display_name, allowed))
    child = session.get(Child, child_id)
    family = session.exec(
        select(FamilyLink, FamilyMember)
        .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
        .where(FamilyLink.child_id == child_id, col(FamilyLink.revoked_at).is_(None))
        .order_by(col(FamilyLink.id))
    ).all()
    for link, member in family:
        allowed = frozenset(k for k in kinds if policy.may_facilitate(k, link=link))
        if allowed and child is not None:
            choices.append(FacilitatorChoice(f"m:{member.id}", author_name(child, link, member), allowed))
    return choices


@dataclass(frozen=True)
class ComingMeeting:
    """A child's next meeting, and who facilitates it, by name."""

    meeting: Meeting
    facilitator: str


def coming_meetings(*, session: Session, child_ids: list[int]) -> dict[int, ComingMeeting]:
    """Each child's next meeting still to come (scheduled, from now on: the work tray's flag), with
    its facilitator, in three queries for a page of the caseload. The caller has asked the policy
    (`meeting.read` on each child, as the work tray does for its flags)."""
    if not child_ids:
        return {}
    meetings = session.exec(
        select(Meeting)
        .where(
            col(Meeting.child_id).in_(child_ids),
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.starts_at) >= timeutil.utcnow(),
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    ).all()
    first: dict[int, Meeting] = {}
    for meeting in meetings:
        first.setdefault(meeting.child_id, meeting)
    practitioner_ids = [m.facilitator_practitioner_id for m in first.values() if m.facilitator_practitioner_id]
    workers = {
        p.id: p.display_name
        for p in session.exec(select(Practitioner).where(col(Practitioner.id).in_(practitioner_ids))).all()
    }
    member_ids = [m.facilitator_member_id for m in first.values() if m.facilitator_member_id]
    family = {
        (link.child_id, link.member_id): author_name(child, link, member)
        for link, member, child in session.exec(
            select(FamilyLink, FamilyMember, Child)
            .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
            .join(Child, col(Child.id) == col(FamilyLink.child_id))
            .where(col(FamilyLink.member_id).in_(member_ids), col(FamilyLink.child_id).in_(list(first)))
        ).all()
    }
    return {
        child_id: ComingMeeting(
            meeting=meeting,
            facilitator=workers.get(meeting.facilitator_practitioner_id or 0)
            or family.get((child_id, meeting.facilitator_member_id or 0))
            or "",
        )
        for child_id, meeting in first.items()
    }
