"""Meetings through the service layer: who may schedule and facilitate, the agenda, notes, agreement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from sqlmodel import Session, select

from app.actors import Actor
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.errors import Conflict, NotFound, ValidationFailed
from app.live.changes import current_version, meeting_channel
from app.meetings import operations, queries
from app.meetings.inputs import (
    AgreementInput,
    AttendanceInput,
    FirstWordsInput,
    GuestInput,
    MoveInput,
    NoteInput,
    ScheduleInput,
)
from app.meetings.models import Attendance, Meeting, MeetingStatus
from app.people.models import Practitioner
from app.timeutil import ENGLAND, today
from tests.factories import meetings, people, plans
from tests.factories.people import Case


@dataclass(frozen=True)
class Team:
    """Jordan's case with a plan, its chair and police partner, and Alex, who is not on it."""

    case: Case
    chair: Practitioner
    police: Practitioner
    alex: Practitioner

    @property
    def jordan_id(self) -> int:
        return self.case.child.id or 0


@pytest.fixture
def team(db: Session, case: Case) -> Team:
    plans.plan(db, case.child, by=case.worker)
    priya, rhys = people.chair(db, case.child), people.police_partner(db, case.child)
    return Team(case=case, chair=priya, police=rhys, alex=people.other_case(db).worker)


def _family(member_id: int) -> Actor:
    return Actor(kind=AccountKind.FAMILY, account_id=member_id)


def _details(facilitator: Actor, *, meeting_type: str = "safer_me", days: int = 7) -> ScheduleInput:
    who = (
        {"facilitator_member_id": facilitator.account_id}
        if facilitator.kind == AccountKind.FAMILY
        else {"facilitator_practitioner_id": facilitator.account_id}
    )
    return ScheduleInput.parse(
        {
            "day": (today() + timedelta(days=days)).isoformat(),
            "start": "16:00",
            "place": "Millbrook Academy, meeting room 2",
            "meeting_type": meeting_type,
            **who,
        }
    )


@pytest.fixture
def sam(db: Session, team: Team) -> Actor:
    return people.actor(team.case.worker)


@pytest.fixture
def meeting(db: Session, team: Team) -> Meeting:
    """A Safer Me meeting a week from today, scheduled and facilitated by Sam."""
    return meetings.meeting(db, team.case.child, by=team.case.worker)


def test_scheduling_invites_the_family_and_everyone_on_the_case(
    db: Session, team: Team, sam: Actor, meeting: Meeting
) -> None:
    record = queries.meeting_record(session=db, actor=sam, meeting_id=meeting.id or 0)
    names = [a.name for a in record.attendees]
    assert names[:3] == ["Jordan", "Mum", "Aunt Dee"]  # the family first, the young person first of all
    assert {"Sam Okafor", "Priya Shah", "PC Rhys Hughes"} <= set(names)
    assert record.facilitator == "Sam Okafor"
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at.tzinfo is not None
    assert db.exec(select(AuditEvent).where(AuditEvent.entity == "meeting", AuditEvent.action == "scheduled")).first()


def test_safer_me_plus_is_chaired_by_the_independent_chair(db: Session, team: Team, sam: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        operations.schedule(
            session=db, actor=sam, child_id=team.jordan_id, details=_details(sam, meeting_type="safer_me_plus")
        )
    assert "independent chair" in str(refused.value.errors["facilitator"])
    priya = people.actor(team.chair)
    plus = operations.schedule(
        session=db, actor=sam, child_id=team.jordan_id, details=_details(priya, meeting_type="safer_me_plus")
    )
    assert plus.facilitator_practitioner_id == priya.account_id


def test_the_young_persons_trusted_adult_may_facilitate_safer_me_only(db: Session, team: Team, sam: Actor) -> None:
    dee = _family(team.case.trusted_adult.id or 0)
    meeting = operations.schedule(session=db, actor=sam, child_id=team.jordan_id, details=_details(dee))
    assert operations.runnable(session=db, actor=dee, meeting_id=meeting.id or 0) == meeting
    assert queries.meeting_record(session=db, actor=dee, meeting_id=meeting.id or 0).facilitator == "Aunt Dee"
    with pytest.raises(ValidationFailed):
        operations.schedule(
            session=db, actor=sam, child_id=team.jordan_id, details=_details(dee, meeting_type="safer_me_plus")
        )
    # A parent is not the nominated trusted adult, and another meeting is not Dee's to run.
    with pytest.raises(ValidationFailed):
        operations.schedule(
            session=db, actor=sam, child_id=team.jordan_id, details=_details(_family(team.case.parent.id or 0))
        )
    others = operations.schedule(session=db, actor=sam, child_id=team.jordan_id, details=_details(sam))
    with pytest.raises(NotFound):
        operations.runnable(session=db, actor=dee, meeting_id=others.id or 0)


def test_a_meeting_is_in_the_future_and_only_the_case_schedules_it(db: Session, team: Team, sam: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        operations.schedule(session=db, actor=sam, child_id=team.jordan_id, details=_details(sam, days=-1))
    assert "day" in refused.value.errors
    alex = people.actor(team.alex)
    with pytest.raises(NotFound):
        operations.schedule(session=db, actor=alex, child_id=team.jordan_id, details=_details(sam))
    rhys = people.actor(team.police)
    with pytest.raises(NotFound):
        operations.schedule(session=db, actor=rhys, child_id=team.jordan_id, details=_details(sam))


def test_the_young_person_speaks_first_and_no_one_else_writes_their_words(
    db: Session, team: Team, meeting: Meeting
) -> None:
    jordan = _family(team.case.young_person.id or 0)
    words = FirstWordsInput(expected_revision=meeting.revision, words="I want to keep going to boxing.")
    operations.write_first_words(session=db, actor=jordan, meeting_id=meeting.id or 0, words=words)
    mine = queries.next_meeting(session=db, actor=jordan, child_id=team.jordan_id)
    assert mine is not None and mine.my_first_words == "I want to keep going to boxing." and mine.can_speak_first
    lisas = queries.next_meeting(session=db, actor=_family(team.case.parent.id or 0), child_id=team.jordan_id)
    assert lisas is not None and lisas.my_first_words is None and not lisas.can_speak_first
    with pytest.raises(NotFound):
        operations.write_first_words(
            session=db, actor=_family(team.case.parent.id or 0), meeting_id=meeting.id or 0, words=words
        )
    with pytest.raises(Conflict):  # the form was opened before Jordan's first save
        operations.write_first_words(session=db, actor=jordan, meeting_id=meeting.id or 0, words=words)


def test_the_agenda_opens_at_item_one_and_moves_on(db: Session, sam: Actor, meeting: Meeting) -> None:
    opened = operations.open_meeting(
        session=db, actor=sam, meeting_id=meeting.id or 0, expected_revision=meeting.revision
    )
    assert opened.status == MeetingStatus.OPEN and opened.current_item == "introductions"
    moved = operations.move_to(
        session=db,
        actor=sam,
        meeting_id=meeting.id or 0,
        move=MoveInput(expected_revision=opened.revision, item="patterns"),
    )
    assert moved.current_item == "patterns"
    with pytest.raises(ValidationFailed):
        operations.move_to(
            session=db,
            actor=sam,
            meeting_id=meeting.id or 0,
            move=MoveInput(expected_revision=moved.revision, item="gossip"),
        )
    with pytest.raises(Conflict):
        operations.move_to(
            session=db,
            actor=sam,
            meeting_id=meeting.id or 0,
            move=MoveInput(expected_revision=opened.revision - 1, item="network"),
        )


def test_notes_wait_for_the_meeting_to_open(db: Session, sam: Actor, meeting: Meeting) -> None:
    """The young person speaks first: before the meeting opens, no one writes its notes."""
    mid = meeting.id or 0
    with pytest.raises(Conflict):
        operations.write_note(
            session=db, actor=sam, meeting_id=mid, item="what_we_know", note=NoteInput(expected_revision=0, text="x")
        )
    operations.open_meeting(session=db, actor=sam, meeting_id=mid, expected_revision=meeting.revision)
    written = operations.write_note(
        session=db, actor=sam, meeting_id=mid, item="what_we_know", note=NoteInput(expected_revision=0, text="x")
    )
    assert written.text == "x"


def test_notes_keep_every_writers_words(db: Session, team: Team, sam: Actor, meeting: Meeting) -> None:
    mid = meeting.id or 0
    operations.open_meeting(session=db, actor=sam, meeting_id=mid, expected_revision=meeting.revision)
    before = current_version(db, meeting_channel(mid))
    first = operations.write_note(
        session=db,
        actor=sam,
        meeting_id=mid,
        item="what_we_know",
        note=NoteInput(expected_revision=0, text="Missing twice in October."),
    )
    assert current_version(db, meeting_channel(mid)) > before  # open pages of the meeting hear of it
    seen = first.revision
    # Someone else saved first: the second writer is told, and nothing of theirs or the first is lost.
    priya = people.actor(team.chair)
    operations.write_note(
        session=db,
        actor=priya,
        meeting_id=mid,
        item="what_we_know",
        note=NoteInput(expected_revision=first.revision, text="Missing twice in October; found at the underpass."),
    )
    with pytest.raises(Conflict):
        operations.write_note(
            session=db,
            actor=sam,
            meeting_id=mid,
            item="what_we_know",
            note=NoteInput(expected_revision=seen, text="mine"),
        )
    with pytest.raises(Conflict):  # a second "first" note on an item that has one
        operations.write_note(
            session=db, actor=sam, meeting_id=mid, item="what_we_know", note=NoteInput(expected_revision=0, text="x")
        )
    with pytest.raises(NotFound):  # the plan is written in the plan, not in notes
        operations.write_note(
            session=db, actor=sam, meeting_id=mid, item="safer_plan", note=NoteInput(expected_revision=0, text="x")
        )
    record = queries.meeting_record(session=db, actor=sam, meeting_id=mid)
    assert record.notes["what_we_know"].text == "Missing twice in October; found at the underpass."


def test_attendance_guests_and_agreement(db: Session, team: Team, sam: Actor, meeting: Meeting) -> None:
    mid = meeting.id or 0
    guest = operations.invite_guest(
        session=db,
        actor=sam,
        meeting_id=mid,
        guest=GuestInput(name="Ms Patel", role="Designated Safeguarding Lead", agency="school"),
    )
    operations.set_attendance(
        session=db,
        actor=sam,
        meeting_id=mid,
        person_id=guest.id or 0,
        attendance=AttendanceInput(
            expected_revision=guest.revision, attendance=Attendance.APOLOGIES, update="Attendance is up to 92%."
        ),
    )
    opened = operations.open_meeting(session=db, actor=sam, meeting_id=mid, expected_revision=meeting.revision)
    assert opened.status == MeetingStatus.OPEN
    record = queries.meeting_record(session=db, actor=sam, meeting_id=mid)
    lisa = next(a for a in record.attendees if a.name == "Mum")
    # Jordan agrees on his own phone; Sam records Lisa's agreement in the room.
    operations.confirm_agreement(session=db, actor=_family(team.case.young_person.id or 0), meeting_id=mid)
    operations.record_agreement_for(session=db, actor=sam, meeting_id=mid, person_id=lisa.person.id or 0)
    record = queries.meeting_record(session=db, actor=sam, meeting_id=mid)
    jordan, mum = record.attendees[0], record.attendees[1]
    assert jordan.agreed and jordan.person.agreed_on_own_device and jordan.person.attendance == Attendance.PRESENT
    assert mum.agreed and not mum.person.agreed_on_own_device
    patel = next(a for a in record.attendees if a.name == "Ms Patel")
    assert patel.person.attendance == Attendance.APOLOGIES and patel.person.update == "Attendance is up to 92%."
    assert record.everyone_present_agreed
    # Someone who is not invited cannot agree to it.
    alex = people.actor(team.alex)
    with pytest.raises(NotFound):
        operations.confirm_agreement(session=db, actor=alex, meeting_id=mid)


def test_family_never_run_a_meeting_they_do_not_facilitate(db: Session, team: Team, meeting: Meeting) -> None:
    for member_id in ((team.case.young_person.id or 0), (team.case.parent.id or 0), (team.case.trusted_adult.id or 0)):
        with pytest.raises(NotFound):
            operations.runnable(session=db, actor=_family(member_id), meeting_id=meeting.id or 0)
        with pytest.raises(NotFound):
            queries.meeting_record(session=db, actor=_family(member_id), meeting_id=meeting.id or 0)


def test_cancelling_before_it_starts(db: Session, sam: Actor, meeting: Meeting) -> None:
    cancelled = operations.cancel(session=db, actor=sam, meeting_id=meeting.id or 0, expected_revision=meeting.revision)
    assert cancelled.status == MeetingStatus.CANCELLED
    with pytest.raises(NotFound):  # a cancelled meeting is over: nothing more can be run in it
        operations.open_meeting(session=db, actor=sam, meeting_id=meeting.id or 0, expected_revision=cancelled.revision)


def test_start_time_is_read_as_england_time(db: Session, team: Team, sam: Actor) -> None:
    summer = ScheduleInput.parse(
        {
            "day": "2027-07-01",
            "start": "16:00",
            "place": "Hub",
            "meeting_type": "safer_me",
            "facilitator_practitioner_id": sam.account_id,
        }
    )
    meeting = operations.schedule(session=db, actor=sam, child_id=team.jordan_id, details=summer)
    assert meeting.starts_at.hour == 15 and meeting.starts_at.utcoffset() == timedelta(0)  # BST is UTC+1
    assert summer.start == time(16, 0)


def _agreement(meeting: Meeting, weeks: int) -> AgreementInput:
    day = meeting.starts_at.astimezone(ENGLAND).date()
    return AgreementInput.parse(
        {
            "expected_revision": meeting.revision,
            "review_date": (day + timedelta(weeks=weeks)).isoformat(),
            "review_trigger": "A missing episode, an arrest or an exclusion",
            "shared_with": "Jordan, Lisa Ellis, Denise Carter, school DSL, Police",
        }
    )


def test_agreeing_makes_a_version_that_never_changes_and_closes_the_meeting(
    db: Session, team: Team, sam: Actor, meeting: Meeting
) -> None:
    mid = meeting.id or 0
    opened = operations.open_meeting(session=db, actor=sam, meeting_id=mid, expected_revision=meeting.revision)
    # Nobody here has agreed yet: refused, with what to do.
    operations.confirm_agreement(session=db, actor=_family(team.case.young_person.id or 0), meeting_id=mid)
    record = queries.meeting_record(session=db, actor=sam, meeting_id=mid)
    lisa = next(a for a in record.attendees if a.name == "Mum")
    operations.set_attendance(
        session=db,
        actor=sam,
        meeting_id=mid,
        person_id=lisa.person.id or 0,
        attendance=AttendanceInput(expected_revision=lisa.person.revision, attendance=Attendance.PRESENT),
    )
    with pytest.raises(ValidationFailed) as refused:
        operations.agree(session=db, actor=sam, meeting_id=mid, agreement=_agreement(opened, weeks=6))
    assert "Everyone here agrees first" in str(refused.value.errors["agreement"])
    operations.record_agreement_for(session=db, actor=sam, meeting_id=mid, person_id=lisa.person.id or 0)
    # Nine weeks is too long between reviews: refused with the reason.
    with pytest.raises(ValidationFailed) as too_late:
        operations.agree(session=db, actor=sam, meeting_id=mid, agreement=_agreement(opened, weeks=9))
    assert "8 weeks" in str(too_late.value.errors["review_date"])
    version = operations.agree(session=db, actor=sam, meeting_id=mid, agreement=_agreement(opened, weeks=6))
    assert version.agreed_at is not None and version.agreed_on == opened.starts_at.astimezone(ENGLAND).date()
    assert version.agreed_by == "Jordan, Mum"
    assert version.review_trigger == "A missing episode, an arrest or an exclusion"
    closed = db.get(Meeting, mid)
    assert closed is not None and closed.status == MeetingStatus.CLOSED and closed.agreed_version_id == version.id
    with pytest.raises(NotFound):  # a closed meeting is a record now
        operations.runnable(session=db, actor=sam, meeting_id=mid)
