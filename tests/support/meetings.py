"""Meetings of Jordan's for the route tables: scheduled by Sam; one running, facilitated by Aunt Dee
(his nominated trusted adult, so the family door's facilitation pages have a meeting to act on)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from app.actors import Actor
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.meetings import operations
from app.meetings.inputs import ScheduleInput
from app.meetings.models import Meeting, MeetingPerson
from app.people.models import Practitioner
from app.timeutil import today


def sam_of(db: Session, demo: DemoPeople) -> Practitioner:
    """Sam Okafor, Jordan's allocated social worker, who schedules and facilitates his meetings."""
    return db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()


def schedule_for_jordan(
    db: Session,
    demo: DemoPeople,
    sam: Practitioner,
    *,
    days: int = 7,
    by_dee: bool = False,
    place: str = "Millbrook Academy, room 2",
) -> Meeting:
    """Scheduled by Sam, who facilitates it, or Aunt Dee does (`by_dee`), in `days` days at `place`."""
    actor = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
    who = {"facilitator_member_id": demo.trusted_adult_id} if by_dee else {"facilitator_practitioner_id": sam.id}
    details = ScheduleInput.parse(
        {
            "day": (today() + timedelta(days=days)).isoformat(),
            "start": "16:00",
            "place": place,
            "meeting_type": "safer_me",
            **who,
        }
    )
    return operations.schedule(session=db, actor=actor, child_id=demo.jordan_id, details=details)


def open_meeting_for_jordan(db: Session, demo: DemoPeople, sam: Practitioner) -> tuple[int, int]:
    """The meeting's id and one invited person's (Mum's), the meeting open at item 1 (Dee facilitates)."""
    meeting = schedule_for_jordan(db, demo, sam, by_dee=True)
    actor = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
    operations.open_meeting(session=db, actor=actor, meeting_id=meeting.id or 0, expected_revision=meeting.revision)
    mum = db.exec(
        select(MeetingPerson)
        .where(MeetingPerson.meeting_id == meeting.id, MeetingPerson.member_id == demo.parent_id)
        .order_by(col(MeetingPerson.id))
    ).one()
    return meeting.id or 0, mum.id or 0
