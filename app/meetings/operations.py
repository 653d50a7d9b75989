"""Running a meeting: schedule it, invite people, record who came, take notes item by item, agree.

The facilitator (or the child's allocated worker, who can always take over) runs it; the young
person writes what they want the meeting to know before it starts, and everyone in the family
confirms the agreement on their own phone, or the facilitator records it for them in the room.
Every change states the revision it started from, so two people at once end in a Conflict (R24).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.auth.models import AccountKind
from app.db import flush_or_conflict, insert_or_conflict
from app.errors import Conflict, NotFound, ValidationFailed
from app.meetings import agenda
from app.meetings.inputs import (
    AgreementInput,
    AttendanceInput,
    FirstWordsInput,
    GuestInput,
    MoveInput,
    NoteInput,
    ScheduleInput,
)
from app.meetings.models import AgendaNote, Attendance, Meeting, MeetingPerson, MeetingStatus
from app.meetings.queries import meeting_record
from app.models_base import stamp
from app.people.models import CaseAssignment, Child, FamilyLink, FamilyRole, Practitioner
from app.plans.edits import DraftUpdate, update_draft
from app.plans.models import PlanVersion
from app.plans.versions import Agreement, agree_draft, draft_of, open_plan_for_child
from app.timeutil import ENGLAND, utcnow

STALE = "the meeting changed since you opened it"


def _record(session: Session, actor: Actor, meeting: Meeting, entity: str, entity_id: int | None, action: str) -> None:
    record_change(
        session=session, actor=actor, child_id=meeting.child_id, entity=entity, entity_id=entity_id, action=action
    )


def _save_change(
    session: Session, actor: Actor, meeting: Meeting, row: Meeting | MeetingPerson, entity: str, action: str
) -> None:
    """Save a change to the meeting or one of its people (a conflict if someone saved first), and log it."""
    stamp(row, actor.label, new=False)
    flush_or_conflict(session, STALE)
    _record(session, actor, meeting, entity, row.id, action)


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    return meeting


def runnable(*, session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """The meeting, if the actor may run it: an editor of the plan, or the trusted adult facilitating it."""
    meeting = _meeting(session, meeting_id)
    if actor.kind == AccountKind.FAMILY:
        policy.require("meeting.facilitate_as_family", session=session, actor=actor, child_id=meeting.child_id)
        if meeting.facilitator_member_id != actor.account_id:
            raise NotFound()
    else:
        policy.require("meeting.run", session=session, actor=actor, child_id=meeting.child_id)
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        raise NotFound()
    return meeting


def _check(meeting: Meeting | MeetingPerson | AgendaNote, expected_revision: int) -> None:
    if meeting.revision != expected_revision:
        raise Conflict(STALE)


def _facilitator_errors(session: Session, child_id: int, details: ScheduleInput) -> dict[str, object]:
    """Who may facilitate depends on the kind of meeting (seed 001); they must be part of the case."""
    practitioner_id, member_id = details.facilitator_practitioner_id, details.facilitator_member_id
    if (practitioner_id is None) == (member_id is None):
        return {"facilitator": _l("Choose who will facilitate the meeting.")}
    if practitioner_id is not None:
        practitioner = session.get(Practitioner, practitioner_id)
        on_case = session.exec(
            select(CaseAssignment).where(
                CaseAssignment.child_id == child_id,
                CaseAssignment.practitioner_id == practitioner_id,
                col(CaseAssignment.ended_on).is_(None),
            )
        ).first()
        if on_case is None or not policy.may_facilitate(details.meeting_type, practitioner=practitioner):
            return {
                "facilitator": _l(
                    "Safer Me Plus meetings are chaired by an independent chair; Safer Me meetings by the lead "
                    "professional, the social worker or the young person's trusted adult."
                )
            }
        return {}
    link = session.exec(
        select(FamilyLink).where(FamilyLink.child_id == child_id, FamilyLink.member_id == member_id)
    ).first()
    if link is None or not policy.may_facilitate(details.meeting_type, link=link):
        return {"facilitator": _l("Only a Safer Me meeting can be facilitated by the young person's trusted adult.")}
    return {}


def schedule(*, session: Session, actor: Actor, child_id: int, details: ScheduleInput) -> Meeting:
    """Plan a meeting for the child's open plan, and invite everyone on the case and in the family."""
    policy.require("meeting.run", session=session, actor=actor, child_id=child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    if plan is None:
        raise NotFound()
    errors = _facilitator_errors(session, child_id, details)
    # Typed in England's local time; kept in UTC like every other time here.
    starts_at = datetime.combine(details.day, details.start, tzinfo=ENGLAND).astimezone(UTC)
    if starts_at < utcnow():
        errors["day"] = _l("Choose a day and time still to come.")
    if errors:
        raise ValidationFailed(errors)
    meeting = Meeting(
        child_id=child_id,
        plan_id=plan.id or 0,
        meeting_type=details.meeting_type,
        is_review=details.is_review,
        starts_at=starts_at,
        place=details.place,
        facilitator_practitioner_id=details.facilitator_practitioner_id,
        facilitator_member_id=details.facilitator_member_id,
    )
    stamp(meeting, actor.label, new=True)
    session.add(meeting)
    flush_or_conflict(session, STALE)
    _invite_everyone_linked(session, actor, meeting)
    _record(session, actor, meeting, "meeting", meeting.id, "scheduled")
    return meeting


def _invite_everyone_linked(session: Session, actor: Actor, meeting: Meeting) -> None:
    """The family (the young person first) and the practitioners on the case are invited from the start."""
    links = session.exec(
        select(FamilyLink)
        .where(FamilyLink.child_id == meeting.child_id, col(FamilyLink.revoked_at).is_(None))
        .order_by(col(FamilyLink.id))
    ).all()
    assignments = session.exec(
        select(CaseAssignment, Practitioner)
        .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
        .where(CaseAssignment.child_id == meeting.child_id, col(CaseAssignment.ended_on).is_(None))
        .order_by(col(CaseAssignment.id))
    ).all()
    people = [MeetingPerson(meeting_id=meeting.id or 0, member_id=link.member_id) for link in links]
    if not any(link.role == FamilyRole.YOUNG_PERSON for link in links):
        # The meeting is about them and they speak first, phone or not (Kay has none): they are
        # invited in person, so their attendance and their agreement in the room can be recorded.
        child = session.get(Child, meeting.child_id)
        name = child.preferred_name if child is not None else ""
        people.insert(0, MeetingPerson(meeting_id=meeting.id or 0, name=name, role=FamilyRole.YOUNG_PERSON))
    people += [
        MeetingPerson(meeting_id=meeting.id or 0, practitioner_id=practitioner.id, agency=practitioner.agency)
        for _assignment, practitioner in assignments
    ]
    for person in people:
        stamp(person, actor.label, new=True)
        session.add(person)
    flush_or_conflict(session, STALE)


def invite_guest(*, session: Session, actor: Actor, meeting_id: int, guest: GuestInput) -> MeetingPerson:
    """Invite someone with no account here (seed 003's agencies: school DSL, health, police...)."""
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    person = MeetingPerson(meeting_id=meeting.id or 0, name=guest.name, role=guest.role, agency=guest.agency)
    stamp(person, actor.label, new=True)
    session.add(person)
    flush_or_conflict(session, STALE)
    _record(session, actor, meeting, "meeting_person", person.id, "invited")
    return person


def _person(session: Session, meeting: Meeting, person_id: int) -> MeetingPerson:
    person = session.get(MeetingPerson, person_id)
    if person is None or person.meeting_id != meeting.id:
        raise NotFound()
    return person


def set_attendance(
    *, session: Session, actor: Actor, meeting_id: int, person_id: int, attendance: AttendanceInput
) -> MeetingPerson:
    """Present, apologies (with any update they sent) or absent."""
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    person = _person(session, meeting, person_id)
    _check(person, attendance.expected_revision)
    person.attendance = attendance.attendance
    person.update = attendance.update or None
    _save_change(session, actor, meeting, person, "meeting_person", "attendance")
    return person


def record_consent(*, session: Session, actor: Actor, meeting_id: int, expected_revision: int) -> Meeting:
    """The consent and confidentiality statement has been read to everyone present."""
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    _check(meeting, expected_revision)
    meeting.consent_recorded_at = utcnow()
    _save_change(session, actor, meeting, meeting, "meeting", "consent_recorded")
    return meeting


def open_meeting(*, session: Session, actor: Actor, meeting_id: int, expected_revision: int) -> Meeting:
    """Start: the agenda opens at item 1, where the young person's own words are read first."""
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    _check(meeting, expected_revision)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict("the meeting has already started")
    meeting.status = MeetingStatus.OPEN
    meeting.opened_at = utcnow()
    meeting.current_item = agenda.AGENDA_KEYS[0]
    _save_change(session, actor, meeting, meeting, "meeting", "opened")
    return meeting


def move_to(*, session: Session, actor: Actor, meeting_id: int, move: MoveInput) -> Meeting:
    """Go to another agenda item (everyone's screen follows)."""
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    if agenda.item(move.item) is None:
        raise ValidationFailed({"item": _l("Choose an item of the agenda.")})
    if meeting.status != MeetingStatus.OPEN:
        raise Conflict("the meeting is not running")
    _check(meeting, move.expected_revision)
    meeting.current_item = move.item
    stamp(meeting, actor.label, new=False)
    flush_or_conflict(session, STALE)
    return meeting


def write_note(*, session: Session, actor: Actor, meeting_id: int, item: str, note: NoteInput) -> AgendaNote:
    """Set the notes of one agenda item; `note.expected_revision` is 0 when there were none yet."""
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    if item not in agenda.NOTE_KEYS:
        raise NotFound()
    if meeting.status != MeetingStatus.OPEN:
        # Notes are taken in the running meeting only, after the young person has spoken first:
        # both doors (the page and the API) rely on this one check.
        raise Conflict("the meeting is not running")
    row = session.exec(select(AgendaNote).where(AgendaNote.meeting_id == meeting.id, AgendaNote.item == item)).first()
    if row is None:
        if note.expected_revision != 0:
            raise Conflict("the notes were removed since you opened them")
        row = AgendaNote(meeting_id=meeting.id or 0, item=item, text=note.text)
        stamp(row, actor.label, new=True)
        # Two people starting the same item's notes at once: the unique (meeting, item) lets one in.
        insert_or_conflict(session, row, STALE)
    else:
        _check(row, note.expected_revision)
        if row.text == note.text:
            return row
        row.text = note.text
        stamp(row, actor.label, new=False)
        flush_or_conflict(session, STALE)
    _record(session, actor, meeting, "agenda_note", row.id, "updated")
    return row


def write_first_words(*, session: Session, actor: Actor, meeting_id: int, words: FirstWordsInput) -> Meeting:
    """The young person says what they want the meeting to know; it opens the meeting."""
    meeting = _meeting(session, meeting_id)
    policy.require("meeting.speak_first", session=session, actor=actor, child_id=meeting.child_id)
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.OPEN):
        raise NotFound()
    _check(meeting, words.expected_revision)
    meeting.young_person_words = words.words or None
    meeting.young_person_words_at = utcnow() if words.words else None
    _save_change(session, actor, meeting, meeting, "meeting", "young_person_words")
    return meeting


def _own_place(session: Session, actor: Actor, meeting: Meeting) -> MeetingPerson:
    """The actor's own row among the people invited to `meeting`; NotFound if they were not invited."""
    column = MeetingPerson.member_id if actor.kind == AccountKind.FAMILY else MeetingPerson.practitioner_id
    person = session.exec(
        select(MeetingPerson).where(MeetingPerson.meeting_id == meeting.id, column == actor.account_id)
    ).first()
    if person is None:
        raise NotFound()
    return person


def confirm_agreement(*, session: Session, actor: Actor, meeting_id: int) -> MeetingPerson:
    """I agree, on my own phone or computer (the young person included)."""
    meeting = _meeting(session, meeting_id)
    permission = "meeting.take_part" if actor.kind == AccountKind.FAMILY else "meeting.read"
    policy.require(permission, session=session, actor=actor, child_id=meeting.child_id)
    if meeting.status != MeetingStatus.OPEN:
        raise NotFound()
    person = _own_place(session, actor, meeting)
    if person.agreed_at is None:
        person.agreed_at = utcnow()
        person.agreed_on_own_device = True
        person.attendance = Attendance.PRESENT
        _save_change(session, actor, meeting, person, "meeting_person", "agreed")
    return person


def record_agreement_for(*, session: Session, actor: Actor, meeting_id: int, person_id: int) -> MeetingPerson:
    """The facilitator records the agreement of someone in the room (they said so out loud)."""
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    if meeting.status != MeetingStatus.OPEN:
        raise Conflict("the meeting is not running")
    person = _person(session, meeting, person_id)
    if person.agreed_at is None:
        person.agreed_at = utcnow()
        person.agreed_on_own_device = False
        person.attendance = Attendance.PRESENT
        _save_change(session, actor, meeting, person, "meeting_person", "agreement_recorded")
    return person


def cancel(*, session: Session, actor: Actor, meeting_id: int, expected_revision: int) -> Meeting:
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    _check(meeting, expected_revision)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict("only a meeting that has not started can be cancelled")
    meeting.status = MeetingStatus.CANCELLED
    meeting.closed_at = utcnow()
    _save_change(session, actor, meeting, meeting, "meeting", "cancelled")
    return meeting


def agree(*, session: Session, actor: Actor, meeting_id: int, agreement: AgreementInput) -> PlanVersion:
    """Everyone present has agreed: the draft becomes the agreed version (it never changes again),
    with the review set (8 weeks at most) and what would bring it forward; the meeting closes."""
    meeting = runnable(session=session, actor=actor, meeting_id=meeting_id)
    if meeting.status != MeetingStatus.OPEN:
        raise Conflict("the meeting is not running")
    _check(meeting, agreement.expected_revision)
    people = session.exec(select(MeetingPerson).where(MeetingPerson.meeting_id == meeting.id)).all()
    present = [p for p in people if p.attendance == Attendance.PRESENT]
    if not present or any(p.agreed_at is None for p in present):
        raise ValidationFailed(
            {"agreement": _l("Everyone here agrees first: on their own phone, or you record it for them.")}
        )
    record = meeting_record(session=session, actor=actor, meeting_id=meeting_id)
    agreed_by = ", ".join(a.name for a in record.attendees if a.agreed and a.name)
    draft = draft_of(session=session, plan_id=meeting.plan_id)
    draft = update_draft(
        session=session,
        actor=actor,
        version_id=draft.id or 0,
        update=DraftUpdate(expected_revision=draft.revision, review_trigger=agreement.review_trigger),
    )
    version = agree_draft(
        session=session,
        actor=actor,
        plan_id=meeting.plan_id,
        agreement=Agreement(
            agreed_by=agreed_by,
            agreed_on=meeting.starts_at.astimezone(ENGLAND).date(),
            shared_with=agreement.shared_with,
            review_date=agreement.review_date,
            expected_revision=draft.revision,
        ),
    )
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = utcnow()
    meeting.agreed_version_id = version.id
    meeting.current_item = ""
    _save_change(session, actor, meeting, meeting, "meeting", "agreed")
    return version
