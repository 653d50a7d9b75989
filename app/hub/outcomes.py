"""What a concern's reader sees of the Hub enquiries its route decisions opened: waiting (when it is
due, and how late) or decided (the level, the action, by whom and when); and, once the Hub decides
Safer Me Plus, the Safer Me Plus meeting scheduled for the young person since, if there is one.

The caller has already checked that the reader may read the concern (concerns.queries): the Hub's
answer is part of the concern's story, so no Hub permission is asked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app.concerns.models import Concern
from app.hub.models import HubEnquiry, Level
from app.hub.queries import QueueRow, queue_row
from app.meetings.models import Meeting, MeetingStatus
from app.people.models import Child, Practitioner
from app.plans.models import MeetingType
from app.timeutil import today


@dataclass(frozen=True)
class HubOutcome:
    """One enquiry, as the concern's page shows it under the route decision that opened it."""

    row: QueueRow  # the due date and lateness, measured as the Hub's queue measures them
    decider: str
    # Decided Safer Me Plus: the first such meeting for the young person since (not cancelled).
    meeting: Meeting | None

    @property
    def safer_me_plus(self) -> bool:
        return self.row.enquiry.level == Level.SAFER_ME_PLUS


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive times; they were written in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def safer_me_plus_meeting(session: Session, enquiry: HubEnquiry) -> Meeting | None:
    """The young person's first Safer Me Plus meeting starting after the Hub decided, not cancelled."""
    if enquiry.child_id is None or enquiry.decided_at is None or enquiry.level != Level.SAFER_ME_PLUS:
        return None
    decided = _aware(enquiry.decided_at)
    meetings = session.exec(
        select(Meeting)
        .where(
            Meeting.child_id == enquiry.child_id,
            Meeting.meeting_type == MeetingType.SAFER_ME_PLUS,
            col(Meeting.status) != MeetingStatus.CANCELLED,
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    ).all()
    return next((m for m in meetings if _aware(m.starts_at) >= decided), None)


def concern_outcomes(session: Session, concern: Concern) -> dict[int, HubOutcome]:
    """The concern's Hub enquiries, by the id of the route decision that opened each."""
    enquiries = session.exec(
        select(HubEnquiry).where(HubEnquiry.concern_id == concern.id).order_by(col(HubEnquiry.id))
    ).all()
    if not enquiries:
        return {}
    deciders = {e.decided_by_id for e in enquiries if e.decided_by_id is not None}
    names = {
        p.id: p.display_name
        for p in (
            session.exec(select(Practitioner).where(col(Practitioner.id).in_(deciders))).all() if deciders else []
        )
    }
    child = session.get(Child, concern.child_id) if concern.child_id is not None else None
    now = today()
    return {
        e.route_decision_id: HubOutcome(
            row=queue_row(e, concern, child, now),
            decider=names.get(e.decided_by_id or 0, ""),
            meeting=safer_me_plus_meeting(session, e),
        )
        for e in enquiries
    }
