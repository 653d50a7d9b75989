"""A meeting of Jordan's for the route tables: scheduled by Sam (who facilitates) and running."""

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


def schedule_for_jordan(db: Session, demo: DemoPeople, sam: Practitioner, *, days: int = 7) -> Meeting:
    actor = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
    details = ScheduleInput.parse(
        {
            "day": (today() + timedelta(days=days)).isoformat(),
            "start": "16:00",
            "place": "Millbrook Academy, room 2",
            "meeting_type": "safer_me",
            "facilitator_practitioner_id": sam.id,
        }
    )
    return operations.schedule(session=db, actor=actor, child_id=demo.jordan_id, details=details)


def open_meeting_for_jordan(db: Session, demo: DemoPeople, sam: Practitioner) -> tuple[int, int]:
    """The meeting's id and one invited person's (Mum's), the meeting open at item 1."""
    meeting = schedule_for_jordan(db, demo, sam)
    actor = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
    operations.open_meeting(session=db, actor=actor, meeting_id=meeting.id or 0, expected_revision=meeting.revision)
    mum = db.exec(
        select(MeetingPerson)
        .where(MeetingPerson.meeting_id == meeting.id, MeetingPerson.member_id == demo.parent_id)
        .order_by(col(MeetingPerson.id))
    ).one()
    return meeting.id or 0, mum.id or 0
