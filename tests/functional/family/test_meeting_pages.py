"""Meeting pages on the family door: the card on the plan, what I want the meeting to know (the
young person only), which item is being discussed, and "I agree" on my own phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.actors import Actor
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.live.changes import current_version, meeting_channel, plan_channel
from app.meetings import operations
from app.meetings.inputs import MoveInput, NoteInput, ScheduleInput
from app.meetings.models import Meeting, MeetingPerson
from app.people.models import Practitioner
from app.timeutil import today
from tests.support.clients import CsrfClient
from tests.support.meetings import sam_of, schedule_for_jordan

HTMX = {"HX-Request": "true"}


def _sam(db: Session, demo: DemoPeople) -> Actor:
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    return Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)


@pytest.fixture
def meeting(db: Session, demo: DemoPeople) -> Meeting:
    scheduled = schedule_for_jordan(db, demo, sam_of(db, demo))
    db.commit()
    return scheduled


def _open(db: Session, demo: DemoPeople, meeting: Meeting, item: str = "introductions") -> None:
    sam = _sam(db, demo)
    db.refresh(meeting)
    operations.open_meeting(session=db, actor=sam, meeting_id=meeting.id or 0, expected_revision=meeting.revision)
    if item != "introductions":
        move = MoveInput(item=item, expected_revision=meeting.revision)
        operations.move_to(session=db, actor=sam, meeting_id=meeting.id or 0, move=move)
    db.commit()


def test_the_plan_page_shows_the_next_meeting_in_plain_words(
    young_person: CsrfClient, parent: CsrfClient, demo: DemoPeople, meeting: Meeting
) -> None:
    page = young_person.get(f"/c/{demo.jordan_id}").get_data(as_text=True)
    assert "My next meeting" in page and "Millbrook Academy, room 2" in page
    assert "Tell the meeting what I want it to know" in page
    carer = parent.get(f"/c/{demo.jordan_id}").get_data(as_text=True)
    assert "Next meeting" in carer and "Tell the meeting what I want it to know" not in carer


def test_the_card_shows_the_soonest_meeting_i_am_invited_to_that_is_still_to_come(
    young_person: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    """The page reads the bookmark and the next meeting in one statement (app.family.plan_page):
    still the soonest one coming, among those I am invited to, and none cancelled."""
    sam = sam_of(db, demo)
    later = schedule_for_jordan(db, demo, sam, days=9, place="Youth centre, Hill Street")
    sooner = schedule_for_jordan(db, demo, sam, days=3, place="Millbrook Academy, room 2")
    db.commit()
    url = f"/c/{demo.jordan_id}"
    page = young_person.get(url).get_data(as_text=True)
    assert "Millbrook Academy, room 2" in page and "Youth centre, Hill Street" not in page
    # Not invited to the sooner one (my place in it taken away): the later one is my next.
    mine = db.exec(
        select(MeetingPerson).where(
            MeetingPerson.meeting_id == sooner.id, MeetingPerson.member_id == demo.young_person_id
        )
    ).one()
    db.delete(mine)
    db.commit()
    page = young_person.get(url).get_data(as_text=True)
    assert "Youth centre, Hill Street" in page and "Millbrook Academy, room 2" not in page
    # The later one cancelled: no meeting to come, no card (and the page is still whole).
    operations.cancel(session=db, actor=_sam(db, demo), meeting_id=later.id or 0, expected_revision=later.revision)
    db.commit()
    page = young_person.get(url).get_data(as_text=True)
    assert "My next meeting" not in page and "Youth centre, Hill Street" not in page
    assert "</html>" in page


def test_only_the_young_person_writes_what_they_want_the_meeting_to_know(
    young_person: CsrfClient, parent: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    url = f"/c/{demo.jordan_id}/meeting"
    started_at = str(meeting.revision)  # the revision the page was opened at
    assert "What I want the meeting to know" not in parent.get(url).get_data(as_text=True)
    assert parent.post(f"{url}/first-words", data={"words": "hi", "revision": str(meeting.revision)}).status_code == 404
    response = young_person.post(f"{url}/first-words", data={"words": "x" * 5000, "revision": str(meeting.revision)})
    assert response.status_code == 422 and "x" * 5000 in response.get_data(as_text=True)
    response = young_person.post(
        f"{url}/first-words", data={"words": "I want to stay at school.", "revision": str(meeting.revision)}
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Meeting, meeting.id).young_person_words == "I want to stay at school."  # type: ignore[union-attr]
    # A stale page: both texts are shown, mine kept in the box (htmx gets the part only).
    response = young_person.post(f"{url}/first-words", data={"words": "mine", "revision": started_at}, headers=HTMX)
    part = response.get_data(as_text=True)
    assert response.status_code == 409 and "<html" not in part
    assert "I want to stay at school." in part and ">mine</textarea>" in part
    assert "I want to stay at school." not in parent.get(url).get_data(as_text=True)


def test_the_phone_follows_the_agenda_and_agrees_when_asked(
    young_person: CsrfClient, parent: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    url = f"/c/{demo.jordan_id}/meeting"
    before = (current_version(db, meeting_channel(meeting.id or 0)), current_version(db, plan_channel(demo.jordan_id)))
    _open(db, demo, meeting)
    after = (current_version(db, meeting_channel(meeting.id or 0)), current_version(db, plan_channel(demo.jordan_id)))
    assert after[0] > before[0] and after[1] > before[1], "opening the meeting is announced on both channels"
    db.refresh(meeting)
    operations.write_note(
        session=db,
        actor=_sam(db, demo),
        meeting_id=meeting.id or 0,
        item="introductions",
        note=NoteInput(text="Police are worried about the flat on Kings Road.", expected_revision=0),
    )
    db.commit()
    page = young_person.get(url).get_data(as_text=True)
    assert "The meeting is on now" in page and "Introductions and purpose" in page
    assert "I agree" not in page  # not asked yet
    for client in (young_person, parent):  # the notes are never on the family side
        for path in (url, f"/c/{demo.jordan_id}"):
            assert "Kings Road" not in client.get(path).get_data(as_text=True), path
    sam = _sam(db, demo)
    db.refresh(meeting)
    operations.move_to(
        session=db,
        actor=sam,
        meeting_id=meeting.id or 0,
        move=MoveInput(item="safer_plan", expected_revision=meeting.revision),
    )
    db.commit()
    part = young_person.get(url, headers=HTMX).get_data(as_text=True)
    assert "<html" not in part and "The Safer Plan" in part and "I agree" in part
    assert young_person.post(f"{url}/agree").status_code == 303
    assert parent.post(f"{url}/agree", headers=HTMX).status_code == 200
    db.expire_all()
    agreed = db.exec(
        select(MeetingPerson).where(
            MeetingPerson.meeting_id == meeting.id, MeetingPerson.agreed_on_own_device.is_(True)
        )  # type: ignore[attr-defined]
    ).all()
    assert {p.member_id for p in agreed} == {demo.young_person_id, demo.parent_id}


def test_no_meeting_and_no_link_means_nothing_to_see(young_person: CsrfClient, demo: DemoPeople) -> None:
    page = young_person.get(f"/c/{demo.jordan_id}/meeting").get_data(as_text=True)
    assert "There is no meeting planned for you right now." in page
    assert young_person.post(f"/c/{demo.jordan_id}/meeting/agree").status_code == 404
    assert young_person.get(f"/c/{demo.kayla_id}/meeting").status_code == 404


@pytest.fixture
def dees_meeting(db: Session, demo: DemoPeople) -> Meeting:
    """A Safer Me meeting facilitated by Aunt Dee, Jordan's nominated trusted adult."""
    details = ScheduleInput.parse(
        {
            "day": (today() + timedelta(days=4)).isoformat(),
            "start": "17:30",
            "place": "Dee's kitchen",
            "meeting_type": "safer_me",
            "facilitator_member_id": demo.trusted_adult_id,
        }
    )
    scheduled = operations.schedule(session=db, actor=_sam(db, demo), child_id=demo.jordan_id, details=details)
    db.commit()
    return scheduled


def test_the_trusted_adult_facilitating_runs_the_meeting_from_the_family_door(
    trusted_adult: CsrfClient,
    parent: CsrfClient,
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    dees_meeting: Meeting,
) -> None:
    base = f"/c/{demo.jordan_id}/meetings/{dees_meeting.id}"
    assert "You facilitate this meeting" in trusted_adult.get(f"/c/{demo.jordan_id}/meeting").get_data(as_text=True)
    assert "You facilitate this meeting" not in parent.get(f"/c/{demo.jordan_id}/meeting").get_data(as_text=True)
    page = trusted_adult.get(base).get_data(as_text=True)
    assert "Open the meeting" in page and "Consent and confidentiality" in page
    assert "Quick exit" in page  # the family door's own layout
    response = trusted_adult.post(f"{base}/open", data={"revision": str(dees_meeting.revision)})
    assert response.status_code == 303 and response.headers["Location"] == f"{base}/run"
    page = trusted_adult.get(f"{base}/run").get_data(as_text=True)
    assert "Item 1: Introductions and purpose" in page
    response = trusted_adult.post(
        f"{base}/notes", data={"item": "introductions", "revision": "0", "text": "Jordan chose the biscuits."}
    )
    assert response.status_code == 303
    # The allocated worker sees everything she records, and can take over.
    sams = allocated_worker.get(f"/children/{demo.jordan_id}/meetings/{dees_meeting.id}/run").get_data(as_text=True)
    assert "Jordan chose the biscuits." in sams and "Save the notes" in sams
    # Nobody else in the family runs it, and it is the only meeting Dee runs.
    assert parent.get(f"{base}/run").status_code == 404
    assert parent.post(f"{base}/move", data={"item": "patterns", "revision": "2"}).status_code == 404


def test_the_trusted_adult_runs_no_meeting_she_was_not_nominated_for(
    trusted_adult: CsrfClient, demo: DemoPeople, meeting: Meeting
) -> None:
    base = f"/c/{demo.jordan_id}/meetings/{meeting.id}"
    for path in ("", "/run", "/agreement", "/cancel"):
        assert trusted_adult.get(base + path).status_code == 404, path
    assert trusted_adult.post(f"{base}/open", data={"revision": str(meeting.revision)}).status_code == 404
