"""Meeting pages on the practitioner door: schedule, people, agenda and notes, agreement, record.

Through the pages as a browser sends them (CSRF on): every refusal says why per field and gives
back what was typed; notes changed by two people end in a conflict showing both texts; htmx
gets the page's part, a plain request the whole page; read-only roles see no controls and
outsiders get "not found".
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.actors import Actor
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.meetings import operations
from app.meetings.inputs import ScheduleInput
from app.meetings.models import AgendaNote, Meeting, MeetingPerson, MeetingStatus
from app.people.models import Practitioner
from app.plans.versions import latest_agreed, open_plan_for_child
from app.timeutil import today
from tests.support.clients import CsrfClient

HTMX = {"HX-Request": "true"}


def _sam(db: Session, demo: DemoPeople) -> Practitioner:
    return db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()


def _schedule(db: Session, demo: DemoPeople, *, days: int = 7) -> Meeting:
    sam = _sam(db, demo)
    details = ScheduleInput.parse(
        {
            "day": (today() + timedelta(days=days)).isoformat(),
            "start": "16:00",
            "place": "Millbrook Academy, room 2",
            "meeting_type": "safer_me",
            "facilitator_practitioner_id": sam.id,
        }
    )
    meeting = operations.schedule(
        session=db,
        actor=Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0),
        child_id=demo.jordan_id,
        details=details,
    )
    db.commit()
    return meeting


def _base(demo: DemoPeople, meeting: Meeting) -> str:
    return f"/children/{demo.jordan_id}/meetings/{meeting.id}"


def _revision(page: str, action_end: str) -> str:
    """The revision field of the form posting to a URL ending in `action_end`."""
    form = rf'action="[^"]*{re.escape(action_end)}"[^>]*>\s*<input[^>]*csrf_token[^>]*>\s*'
    match = re.search(form + r'<input type="hidden" name="revision" value="(\d+)"', page)
    assert match, f"no form posting to {action_end}"
    return match.group(1)


def test_scheduling_refuses_with_a_reason_per_field_and_keeps_what_was_typed(
    allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    url = f"/children/{demo.jordan_id}/meetings"
    page = allocated_worker.get(url).get_data(as_text=True)
    assert "Schedule a meeting" in page and "Sam Okafor" in page
    yesterday = (today() - timedelta(days=1)).isoformat()
    response = allocated_worker.post(
        url, data={"day": yesterday, "start": "16:00", "place": "The youth centre", "meeting_type": "safer_me"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose who will facilitate the meeting." in page
    assert 'value="The youth centre"' in page and f'value="{yesterday}"' in page
    response = allocated_worker.post(url, data={"day": "not a day", "start": "", "place": "", "meeting_type": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for words in ("Enter the day of the meeting", "Enter the time it starts", "Say where the meeting is"):
        assert words in page
    assert 'aria-invalid="true"' in page and 'class="error-summary"' in page


def test_safer_me_plus_needs_the_independent_chair(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    sam = _sam(db, demo)
    day = (today() + timedelta(days=5)).isoformat()
    response = allocated_worker.post(
        f"/children/{demo.jordan_id}/meetings",
        data={
            "day": day,
            "start": "10:00",
            "place": "Town hall",
            "meeting_type": "safer_me_plus",
            "facilitator": f"p:{sam.id}",
        },
    )
    assert response.status_code == 422
    assert "independent chair" in response.get_data(as_text=True)


def test_schedule_then_run_the_agenda_and_agree(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    sam = _sam(db, demo)
    day = (today() + timedelta(days=3)).isoformat()
    response = allocated_worker.post(
        f"/children/{demo.jordan_id}/meetings",
        data={
            "day": day,
            "start": "16:00",
            "place": "Millbrook Academy",
            "meeting_type": "safer_me",
            "facilitator": f"p:{sam.id}",
        },
    )
    assert response.status_code == 303
    meeting = db.exec(select(Meeting).where(Meeting.child_id == demo.jordan_id)).one()
    base = _base(demo, meeting)
    page = allocated_worker.get(base).get_data(as_text=True)
    assert "Jordan" in page and "Consent and confidentiality" in page and "Open the meeting" in page
    # A guest from an agency in seed 003: a name is needed, and the words come back.
    response = allocated_worker.post(f"{base}/guests", data={"name": "", "role": "School DSL", "agency": "school"})
    assert response.status_code == 422 and 'value="School DSL"' in response.get_data(as_text=True)
    assert (
        allocated_worker.post(
            f"{base}/guests", data={"name": "Ms Patel", "role": "DSL", "agency": "school"}
        ).status_code
        == 303
    )
    db.expire_all()
    assert db.exec(
        select(MeetingPerson).where(MeetingPerson.meeting_id == meeting.id, MeetingPerson.agency == "school")
    ).first()
    # Open: the agenda starts at item 1 with the young person's words first.
    page = allocated_worker.get(base).get_data(as_text=True)
    response = allocated_worker.post(f"{base}/open", data={"revision": _revision(page, "/open")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/run")
    page = allocated_worker.get(f"{base}/run").get_data(as_text=True)
    assert page.index("What Jordan wants the meeting to know") < page.index("Item 1: Introductions and purpose")
    assert "The chair says what the Safer Meeting is for" in page
    # Notes of item 1, then next item (htmx answers with the part only).
    response = allocated_worker.post(
        f"{base}/notes", data={"item": "introductions", "revision": "0", "text": "Everyone said hello."}
    )
    assert response.status_code == 303
    db.expire_all()
    revision = db.get(Meeting, meeting.id).revision  # type: ignore[union-attr]
    response = allocated_worker.post(
        f"{base}/move", data={"item": "key_professionals", "revision": str(revision)}, headers=HTMX
    )
    part = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in part and 'id="run-main"' in part
    assert "Item 2: Key professionals" in part
    # Agreement: everyone present first; then the review is at most 8 weeks away.
    db.expire_all()
    people = db.exec(select(MeetingPerson).where(MeetingPerson.meeting_id == meeting.id)).all()
    for person in people[:2]:
        assert allocated_worker.post(f"{base}/people/{person.id}/agreed").status_code == 303
    db.expire_all()
    revision = db.get(Meeting, meeting.id).revision  # type: ignore[union-attr]
    too_late = (today() + timedelta(days=3 + 60)).isoformat()
    response = allocated_worker.post(
        f"{base}/agreement",
        data={"revision": str(revision), "review_date": too_late, "review_trigger": "a missing episode"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "no more than 8 weeks apart" in page and "a missing episode" in page
    review = (today() + timedelta(days=3 + 42)).isoformat()
    response = allocated_worker.post(
        f"{base}/agreement",
        data={
            "revision": str(revision),
            "review_date": review,
            "review_trigger": "a missing episode",
            "shared_with": "the network",
        },
    )
    assert response.status_code == 303 and "/record" in response.headers["Location"]
    record = allocated_worker.get(response.headers["Location"]).get_data(as_text=True)
    assert "Everyone said hello." in record and "Ms Patel" in record and "a missing episode" in record
    assert "Print the meeting record" in record
    db.expire_all()
    closed = db.get(Meeting, meeting.id)
    assert closed is not None and closed.status == MeetingStatus.CLOSED
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None and latest_agreed(session=db, plan_id=plan.id or 0).id == closed.agreed_version_id  # type: ignore[union-attr]


def test_two_people_writing_the_same_notes_see_both_texts(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    meeting = _schedule(db, demo)
    base = _base(demo, meeting)
    operations.open_meeting(
        session=db,
        actor=Actor(kind=AccountKind.PRACTITIONER, account_id=_sam(db, demo).id or 0),
        meeting_id=meeting.id or 0,
        expected_revision=meeting.revision,
    )
    db.commit()
    first = allocated_worker.post(
        f"{base}/notes", data={"item": "introductions", "revision": "0", "text": "their words"}
    )
    assert first.status_code == 303
    response = allocated_worker.post(
        f"{base}/notes", data={"item": "introductions", "revision": "0", "text": "my words"}, headers=HTMX
    )
    part = response.get_data(as_text=True)
    assert response.status_code == 409 and "<html" not in part
    assert "their words" in part and ">my words</textarea>" in part
    # The form now carries the saved revision: saving again replaces it, on purpose.
    note = db.exec(select(AgendaNote).where(AgendaNote.meeting_id == meeting.id)).one()
    assert f'name="revision" value="{note.revision}"' in part
    again = allocated_worker.post(
        f"{base}/notes", data={"item": "introductions", "revision": str(note.revision), "text": "my words"}
    )
    assert again.status_code == 303
    db.expire_all()
    assert db.exec(select(AgendaNote).where(AgendaNote.meeting_id == meeting.id)).one().text == "my words"


def test_cancel_asks_first(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    meeting = _schedule(db, demo)
    base = _base(demo, meeting)
    page = allocated_worker.get(f"{base}/cancel").get_data(as_text=True)
    assert "Yes, cancel the meeting" in page
    assert allocated_worker.post(f"{base}/cancel", data={"revision": "99"}).status_code == 409
    assert allocated_worker.post(f"{base}/cancel", data={"revision": str(meeting.revision)}).status_code == 303
    db.expire_all()
    assert db.get(Meeting, meeting.id).status == MeetingStatus.CANCELLED  # type: ignore[union-attr]


def test_readers_see_no_controls_and_outsiders_nothing(
    allocated_worker: CsrfClient, manager: CsrfClient, unallocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    meeting = _schedule(db, demo)
    base = _base(demo, meeting)
    page = manager.get(base).get_data(as_text=True)
    assert "Who is invited" in page and "Open the meeting" not in page and "Invite them" not in page
    assert "Schedule a meeting" not in manager.get(f"/children/{demo.jordan_id}/meetings").get_data(as_text=True)
    assert manager.post(f"{base}/open", data={"revision": str(meeting.revision)}).status_code == 404
    for path in (base, f"{base}/run", f"{base}/record", f"/children/{demo.jordan_id}/meetings"):
        assert unallocated_worker.get(path).status_code == 404, path
    # Jordan's meeting asked for under Kayla's record is not there, even for Alex who has Kayla.
    assert unallocated_worker.get(f"/children/{demo.kayla_id}/meetings/{meeting.id}").status_code == 404


@pytest.mark.parametrize("path", ["", "/run", "/agreement", "/record", "/cancel"])
def test_htmx_gets_a_part_a_browser_the_whole_page(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, path: str
) -> None:
    meeting = _schedule(db, demo)
    full = allocated_worker.get(_base(demo, meeting) + path)
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    if path in ("", "/run", "/agreement"):
        part = allocated_worker.get(_base(demo, meeting) + path, headers=HTMX)
        assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
        assert "HX-Request" in part.headers.get("Vary", "")
