"""What a facilitator or family member writes into a meeting, typed and limited (see app.inputs)."""

from __future__ import annotations

from datetime import time
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import StringConstraints

from app.access.sharing_state import MAX_TOKEN_LENGTH
from app.inputs import LONGEST_TEXT, Checkbox, Day, Id, Input, OptionalId, Words
from app.meetings.models import Attendance
from app.people.models import Agency
from app.plans.models import MeetingType
from app.plans.sections import Section

MAX_PLACE_LENGTH = 200
MAX_NOTE_LENGTH = LONGEST_TEXT  # about 300 words an item; each agenda item has its own notes
MAX_WORDS_LENGTH = LONGEST_TEXT
MAX_UPDATE_LENGTH = LONGEST_TEXT


class ScheduleInput(Input):
    """When and where, which kind, and who runs it (a practitioner, or a nominated trusted adult)."""

    day: Day
    start: time
    place: Annotated[str, Words(MAX_PLACE_LENGTH, single_line=True)]
    meeting_type: MeetingType
    is_review: Checkbox = False
    facilitator_practitioner_id: OptionalId = None
    facilitator_member_id: OptionalId = None

    messages = {
        "day": _l("Enter the day of the meeting, like 2026-12-14."),
        "start": _l("Enter the time it starts, like 16:00."),
        "place": {"blank": _l("Say where the meeting is.")},
        "meeting_type": _l("Choose Safer Me or Safer Me Plus."),
    }


class GuestInput(Input):
    """Someone to invite who has no account here: a name, what they do, and their agency."""

    name: Annotated[str, Words(120, name=True)]
    role: Annotated[str, Words(80, required=False, single_line=True)] = ""
    agency: Agency

    messages = {"name": {"blank": _l("Write their name.")}, "agency": _l("Choose their agency.")}


class AttendanceInput(Input):
    expected_revision: int
    attendance: Attendance
    update: Annotated[str, Words(MAX_UPDATE_LENGTH, required=False)] = ""

    messages = {"attendance": _l("Choose present, apologies or absent.")}


class NoteInput(Input):
    """The notes of one agenda item, with the revision the writer started from (0 for none yet)."""

    expected_revision: int
    text: Annotated[str, Words(MAX_NOTE_LENGTH, required=False)] = ""


class FirstWordsInput(Input):
    """What the young person wants the meeting to know, in their own words."""

    expected_revision: int
    words: Annotated[str, Words(MAX_WORDS_LENGTH, required=False)] = ""


class MoveInput(Input):
    expected_revision: int
    item: str


class AgreementInput(Input):
    """The meeting's agreement: the review date (8 weeks at most) and what brings it forward."""

    expected_revision: int
    review_date: Day
    review_trigger: Annotated[str, Words(500)]
    shared_with: Annotated[str, Words(500, required=False)] = ""

    messages = {
        "review_date": _l("Enter the date of the review, like 2027-01-25."),
        "review_trigger": {
            "blank": _l("Say what would bring the review forward, like a missing episode or an arrest.")
        },
    }


class WhoSeesWhatInput(Input):
    """At the agreement, with the young person: the boxes ticked (person, section), and the state
    of the choices the page was made from (app.access.sharing_state), so a stale page is a conflict."""

    seen: Annotated[str, StringConstraints(max_length=MAX_TOKEN_LENGTH)]
    chosen: frozenset[tuple[Id, Section]] = frozenset()

    messages = {
        "seen": _l("This page is out of date. Open it again and choose again."),
        "chosen": _l("Choose parts of the plan from the list."),
    }
