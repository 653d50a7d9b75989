"""The API's shapes for meetings and the reviews due (issue 11): paths, bodies, and what is answered.

Bodies are the web forms' own input models' fields (app.meetings.inputs), less the revision the
page carries in a hidden field: over the API that is the If-Match header. Answers are filled from
the `MeetingRecord` the meeting page renders and the work tray's rows, never from hand-built dicts.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from app.api.etags import etag_of, tag_of
from app.api.problems import Problem
from app.api.schemas import ChildPath, PageQuery, body_from
from app.inputs import MAX_ID
from app.meetings import agenda
from app.meetings.inputs import AgreementInput, AttendanceInput, NoteInput, ScheduleInput
from app.meetings.models import AgendaNote, Attendance, Meeting, MeetingStatus
from app.meetings.queries import Attendee, MeetingRecord
from app.plans.models import MeetingType
from app.worktray.inputs import REVIEW_ANY, REVIEW_DUE_SOON, REVIEW_OVERDUE

# The agenda items that have notes (1 to 7; item 8 is the plan itself, written in the draft).
AgendaItem = StrEnum("AgendaItem", {key: key for key in agenda.NOTE_KEYS})  # type: ignore[misc]


class MeetingPath(ChildPath):
    meeting_id: int = Field(ge=0, le=MAX_ID, description="The meeting's record number.")


class PersonPath(MeetingPath):
    person_id: int = Field(ge=0, le=MAX_ID, description="The invited person's record number (an attendee's `id`).")


class AgendaPath(MeetingPath):
    item: AgendaItem = Field(description="The agenda item, by its key (items 1 to 7 have notes).")


ScheduleBody = body_from(ScheduleInput, tuple(ScheduleInput.model_fields))
AttendanceBody = body_from(AttendanceInput, ("attendance", "update"))
NoteBody = body_from(NoteInput, ("text",))
AgreementBody = body_from(AgreementInput, ("review_date", "review_trigger", "shared_with"))


def note_tag(meeting_id: int, item: str, revision: int) -> str:
    """An agenda item's notes have an ETag before they are written (revision 0), so the first
    writer states it too: two people starting the same item at once cannot both win (R24)."""
    return f'"{tag_of(note_kind(item), meeting_id, revision)}"'


def note_kind(item: str) -> str:
    return f"agenda_{item}"


class MeetingSummary(BaseModel):
    """One of a child's meetings, as the list of them shows it."""

    id: int
    meeting_type: MeetingType
    is_review: bool
    starts_at: datetime = Field(description="When it starts (UTC).")
    place: str
    status: MeetingStatus
    revision: int
    etag: str = Field(description="The meeting's ETag: state it as If-Match to open, cancel or agree it.")

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingSummary:
        return cls(
            id=meeting.id or 0,
            meeting_type=MeetingType(meeting.meeting_type),
            is_review=meeting.is_review,
            starts_at=meeting.starts_at,
            place=meeting.place,
            status=MeetingStatus(meeting.status),
            revision=meeting.revision,
            etag=etag_of(meeting),
        )


class ChildMeetings(BaseModel):
    """A child's meetings: those to come first (soonest first), then the past ones, newest first."""

    child_id: int
    items: list[MeetingSummary]


class AttendeeOut(BaseModel):
    """Someone invited: their attendance, any update they sent, and their agreement."""

    id: int
    name: str
    role: str = Field(description="A family role, a practitioner's role, or what a guest does.")
    agency: str = Field(description="Their agency; empty for the family.")
    is_family: bool
    practitioner_id: int | None = Field(description="A practitioner's record number; null for anyone else.")
    member_id: int | None = Field(description="A family member's record number; null for anyone else.")
    attendance: Attendance
    update: str | None = Field(description="What they sent instead of coming.")
    agreed: bool
    agreed_on_own_device: bool = Field(description="True when they agreed themselves; false when recorded for them.")
    revision: int
    etag: str = Field(description="State it as If-Match to change their attendance.")

    @classmethod
    def of(cls, attendee: Attendee) -> AttendeeOut:
        person = attendee.person
        return cls(
            id=person.id or 0,
            name=attendee.name,
            role=attendee.role,
            agency=person.agency,
            is_family=attendee.is_family,
            practitioner_id=person.practitioner_id,
            member_id=person.member_id,
            attendance=Attendance(person.attendance),
            update=person.update,
            agreed=attendee.agreed,
            agreed_on_own_device=person.agreed_on_own_device,
            revision=person.revision,
            etag=etag_of(person),
        )


class AgendaNoteOut(BaseModel):
    """One agenda item and its notes (empty, revision 0, until someone writes them)."""

    item: AgendaItem
    number: int
    title: str
    text: str
    revision: int
    etag: str = Field(description="State it as If-Match to write the item's notes (also before there are any).")

    @classmethod
    def of(cls, meeting_id: int, key: str, note: AgendaNote | None) -> AgendaNoteOut:
        found = agenda.item(key)
        revision = note.revision if note is not None else 0
        return cls(
            item=AgendaItem(key),
            number=found.number if found is not None else 0,
            title=str(found.title) if found is not None else key,
            text=note.text if note is not None else "",
            revision=revision,
            etag=note_tag(meeting_id, key, revision),
        )


class MeetingOut(MeetingSummary):
    """A meeting's record: the young person's own words first, then who was invited and came, each
    agenda item's notes in order, and where it stands."""

    child_id: int
    young_person_words: str | None = Field(description="What the young person wrote for the meeting: read first.")
    facilitator: str = Field(description="Who runs it, by name.")
    facilitator_practitioner_id: int | None
    facilitator_member_id: int | None
    current_item: str = Field(description="The agenda item under discussion while it runs; empty otherwise.")
    consent_recorded_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    agreed_version: int | None = Field(description="The plan version it agreed (its number), once agreed.")
    everyone_present_agreed: bool
    attendees: list[AttendeeOut]
    agenda: list[AgendaNoteOut]

    @classmethod
    def of_record(cls, record: MeetingRecord, agreed_version: int | None) -> MeetingOut:
        meeting = record.meeting
        summary = MeetingSummary.of(meeting).model_dump()
        return cls(
            **summary,
            child_id=meeting.child_id,
            young_person_words=meeting.young_person_words,
            facilitator=record.facilitator,
            facilitator_practitioner_id=meeting.facilitator_practitioner_id,
            facilitator_member_id=meeting.facilitator_member_id,
            current_item=meeting.current_item,
            consent_recorded_at=meeting.consent_recorded_at,
            opened_at=meeting.opened_at,
            closed_at=meeting.closed_at,
            agreed_version=agreed_version,
            everyone_present_agreed=record.everyone_present_agreed,
            attendees=[AttendeeOut.of(a) for a in record.attendees],
            agenda=[AgendaNoteOut.of(meeting.id or 0, key, record.notes.get(key)) for key in agenda.NOTE_KEYS],
        )


class AgreedVersion(BaseModel):
    """The plan version a meeting agreed."""

    number: int
    agreed_on: date | None
    agreed_by: str
    review_date: date | None


class MeetingConflict(Problem):
    """412: the meeting changed since that ETag was read; `current` is how it is now."""

    current: MeetingOut


class AttendeeConflict(Problem):
    """412: the person's attendance changed since that ETag was read; `current` is how it is now."""

    current: AttendeeOut


class AgendaNoteConflict(Problem):
    """412: the item's notes changed since that ETag was read; `current` is how they are now."""

    current: AgendaNoteOut


# Named in responses by reference, so added to the document's schemas by the door (app.api.door).
DOCUMENTED: tuple[type[BaseModel], ...] = (
    MeetingSummary,
    MeetingOut,
    AttendeeOut,
    AgendaNoteOut,
    MeetingConflict,
    AttendeeConflict,
    AgendaNoteConflict,
)


class ReviewStatus(StrEnum):
    """The work tray's review filter (app.worktray.inputs), by the same names."""

    OVERDUE = REVIEW_OVERDUE
    DUE_SOON = REVIEW_DUE_SOON
    ALL = REVIEW_ANY


class ReviewQuery(PageQuery):
    """Which reviews, and which page of them (`per_page` at most 100)."""

    status: ReviewStatus = Field(
        default=ReviewStatus.ALL,
        description="overdue: the review date has passed; due_soon: today or within the week; all: every review.",
    )


class NextMeeting(BaseModel):
    id: int
    starts_at: datetime
    meeting_type: MeetingType
    is_review: bool
    facilitator: str


class ReviewDue(BaseModel):
    """One child's review: when, how late or how soon, and the meeting that will hold it."""

    child_id: int
    preferred_name: str
    review_date: date
    days_overdue: int = Field(description="Days since the review date (0 when it has not passed).")
    days_until: int | None = Field(description="Days until the review (0: today); null when it is overdue.")
    meeting_type: MeetingType | None = Field(description="The kind of meeting that agrees the plan.")
    next_meeting: NextMeeting | None = Field(
        description="The next meeting scheduled (with its facilitator), if any and if you may read the meetings."
    )


class ReviewPage(BaseModel):
    items: list[ReviewDue]
    total: int
    page: int
    pages: int
    per_page: int
