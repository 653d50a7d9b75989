"""Safer Me meetings, scheduled through the service as a worker on the case would."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.meetings.inputs import ScheduleInput
from app.meetings.models import Meeting
from app.meetings.operations import schedule
from app.people.models import Child, FamilyMember, Practitioner
from app.timeutil import today
from tests.factories.people import actor

PLACE = "Millbrook Academy, meeting room 2"


def schedule_input(
    facilitator: FamilyMember | Practitioner,
    *,
    meeting_type: str = "safer_me",
    days: int = 7,
    start: str = "16:00",
    place: str = PLACE,
) -> ScheduleInput:
    """What the scheduling form sends: a day `days` from today, a start time, a place and a facilitator."""
    who = (
        {"facilitator_member_id": facilitator.id}
        if isinstance(facilitator, FamilyMember)
        else {"facilitator_practitioner_id": facilitator.id}
    )
    return ScheduleInput.parse(
        {
            "day": (today() + timedelta(days=days)).isoformat(),
            "start": start,
            "place": place,
            "meeting_type": meeting_type,
            **who,
        }
    )


def meeting(
    db: Session,
    of: Child,
    *,
    by: Practitioner,
    facilitator: FamilyMember | Practitioner | None = None,
    meeting_type: str = "safer_me",
    days: int = 7,
) -> Meeting:
    """A meeting for the child, facilitated by `facilitator` (the scheduler unless given)."""
    return schedule(
        session=db,
        actor=actor(by),
        child_id=of.id or 0,
        details=schedule_input(facilitator or by, meeting_type=meeting_type, days=days),
    )
