"""Who sees what at the agreement, on the practitioner door (issue 9, item 6).

The facilitator ticks, with the young person, which parts each family member sees: saved through
the young person's own sharing service (app.access.sharing), so the privacy page shows the same
choice; a worker's safety lock holds; a page gone stale is a conflict listing what changed and
keeping the ticks; Mum, who holds parental responsibility on Jordan's plan, is offered where to be
taken if found when missing; only plan editors running the meeting may save it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from app.access import policy
from app.access.sharing import SectionLock, choose_sharing, set_lock
from app.actors import Actor
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.meetings import operations
from app.meetings.models import Meeting, MeetingPerson
from app.people.models import FamilyLink, Practitioner
from app.plans.sections import Section
from app.timeutil import today
from tests.support.clients import CsrfClient
from tests.support.meetings import sam_of, schedule_for_jordan

HTMX = {"HX-Request": "true"}


def _sam(db: Session, demo: DemoPeople) -> Actor:
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    return Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)


@pytest.fixture
def meeting(db: Session, demo: DemoPeople) -> Meeting:
    """Jordan's meeting, facilitated by Sam, running."""
    sam = _sam(db, demo)
    scheduled = schedule_for_jordan(db, demo, sam_of(db, demo), days=3)
    operations.open_meeting(session=db, actor=sam, meeting_id=scheduled.id or 0, expected_revision=scheduled.revision)
    db.commit()
    return scheduled


def _base(demo: DemoPeople, meeting: Meeting) -> str:
    return f"/children/{demo.jordan_id}/meetings/{meeting.id}"


def _seen(page: str) -> str:
    found = re.search(r'name="seen" value="([^"]*)"', page)
    assert found, "no who-sees-what form"
    return found.group(1)


def _sees(db: Session, demo: DemoPeople, member_id: int) -> frozenset[Section]:
    db.expire_all()
    link = db.exec(
        select(FamilyLink).where(FamilyLink.child_id == demo.jordan_id, FamilyLink.member_id == member_id)
    ).one()
    return policy.sections_for(db, link)


def _box(member_id: int, section: Section) -> str:
    return f"share-{member_id}-{section.value}"


def _as_page_shows(page: str) -> dict[str, str]:
    """The boxes ticked on the page, as a browser would send them (disabled ones are never sent)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="(share-[^"]+)"', tag)
        if name and " checked" in tag and " disabled" not in tag:
            data[name.group(1)] = "on"
    return data


def test_the_agreement_lists_each_family_member_and_saves_through_the_sharing_service(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    url = f"{_base(demo, meeting)}/agreement"
    page = allocated_worker.get(url).get_data(as_text=True)
    assert "Who sees what" in page and "Lisa Ellis" in page and "Denise Carter" in page
    assert "Jordan&#39;s safe word" in page and "My safe word" not in page  # about Jordan, not in his voice
    mum_emergency = _box(demo.parent_id, Section.EMERGENCY)
    # Mum holds parental responsibility on the plan: she is offered where to be taken if found missing.
    assert f'aria-describedby="{mum_emergency}-offered"' in page
    assert "should be taken if found when missing" in page
    assert f"{_box(demo.trusted_adult_id, Section.EMERGENCY)}-offered" not in page  # Aunt Dee holds none
    before = _sees(db, demo, demo.parent_id)
    assert Section.EMERGENCY not in before
    data = {**_as_page_shows(page), mum_emergency: "on", "seen": _seen(page)}
    response = allocated_worker.post(f"{_base(demo, meeting)}/sharing", data=data)
    assert response.status_code == 303 and "shared=1" in response.headers["Location"]
    assert _sees(db, demo, demo.parent_id) == before | {Section.EMERGENCY}
    audit = db.exec(
        select(AuditEvent).where(AuditEvent.child_id == demo.jordan_id, AuditEvent.action == "chosen_with_young_person")
    ).all()
    assert len(audit) == 1
    # The same choice on the young person's privacy page: one write path, one state.
    page = allocated_worker.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. The change works straight away." in page
    assert re.search(rf'id="{mum_emergency}" name="{mum_emergency}"\s*checked', page)


def test_htmx_gets_the_part_back_in_place(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    page = allocated_worker.get(f"{_base(demo, meeting)}/agreement").get_data(as_text=True)
    data = {**_as_page_shows(page), _box(demo.trusted_adult_id, Section.REVIEW): "on", "seen": _seen(page)}
    response = allocated_worker.post(f"{_base(demo, meeting)}/sharing", data=data, headers=HTMX)
    part = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in part and 'id="who-sees-what"' in part
    assert "Saved. The change works straight away." in part
    assert Section.REVIEW in _sees(db, demo, demo.trusted_adult_id)


def test_a_locked_section_shows_locked_and_cannot_be_shared(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    lock = SectionLock(member_id=demo.parent_id, section=Section.EMERGENCY, locked=True)
    set_lock(session=db, actor=_sam(db, demo), child_id=demo.jordan_id, lock=lock)
    db.commit()
    page = allocated_worker.get(f"{_base(demo, meeting)}/agreement").get_data(as_text=True)
    box = _box(demo.parent_id, Section.EMERGENCY)
    assert re.search(rf'id="{box}" name="{box}"\s*disabled aria-describedby="{box}-locked"', page)
    assert "Locked by a worker for safety" in page and f"{box}-offered" not in page
    # A forged post ticking it anyway: the lock holds.
    data = {**_as_page_shows(page), box: "on", "seen": _seen(page)}
    assert allocated_worker.post(f"{_base(demo, meeting)}/sharing", data=data).status_code == 303
    assert Section.EMERGENCY not in _sees(db, demo, demo.parent_id)


def test_a_choice_changed_meanwhile_is_a_conflict_with_both_choices(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    page = allocated_worker.get(f"{_base(demo, meeting)}/agreement").get_data(as_text=True)
    seen = _seen(page)
    # Meanwhile Jordan shares the safe network with Aunt Dee on his own phone.
    jordan = Actor(kind=AccountKind.FAMILY, account_id=demo.young_person_id)
    now = {(demo.trusted_adult_id, Section.SAFE_NETWORK.value)}
    now |= {(demo.parent_id, s.value) for s in _sees(db, demo, demo.parent_id) if s != Section.CARER_COMMITMENTS}
    now |= {(demo.parent_id, Section.CARER_COMMITMENTS.value)}
    choose_sharing(session=db, actor=jordan, child_id=demo.jordan_id, chosen=now)
    db.commit()
    mine = _box(demo.parent_id, Section.SAFE_WORD)
    data = {**_as_page_shows(page), mine: "on", "seen": seen}
    response = allocated_worker.post(f"{_base(demo, meeting)}/sharing", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "These choices are not saved yet" in page
    assert "Denise Carter can now see: Safe people and places." in page  # what is saved now
    assert re.search(rf'id="{mine}" name="{mine}"\s*checked', page)  # what was ticked here, kept
    assert Section.SAFE_WORD not in _sees(db, demo, demo.parent_id)  # nothing written
    # Saving again from the page as it came back keeps this choice on purpose, after seeing the other
    # (as on the privacy page: the boxes are the ones ticked here, nothing merged behind anyone's back).
    again = {**_as_page_shows(page), "seen": _seen(page)}
    assert allocated_worker.post(f"{_base(demo, meeting)}/sharing", data=again).status_code == 303
    assert Section.SAFE_WORD in _sees(db, demo, demo.parent_id)
    assert Section.SAFE_NETWORK not in _sees(db, demo, demo.trusted_adult_id)


def test_bad_input_is_refused_per_field_and_the_ticks_come_back(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    page = allocated_worker.get(f"{_base(demo, meeting)}/agreement").get_data(as_text=True)
    mine = _box(demo.parent_id, Section.SAFE_WORD)
    data = {**_as_page_shows(page), mine: "on", f"share-{demo.parent_id}-not_a_section": "on", "seen": _seen(page)}
    response = allocated_worker.post(f"{_base(demo, meeting)}/sharing", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose parts of the plan from the list." in page
    assert re.search(rf'id="{mine}" name="{mine}"\s*checked', page)
    assert Section.SAFE_WORD not in _sees(db, demo, demo.parent_id)
    response = allocated_worker.post(f"{_base(demo, meeting)}/sharing", data={"seen": "x" * 9000})
    assert response.status_code == 422 and "This page is out of date." in response.get_data(as_text=True)


def test_only_an_editor_running_the_meeting_may_choose(
    allocated_worker: CsrfClient,
    manager: CsrfClient,
    unallocated_worker: CsrfClient,
    db: Session,
    demo: DemoPeople,
    meeting: Meeting,
) -> None:
    page = allocated_worker.get(f"{_base(demo, meeting)}/agreement").get_data(as_text=True)
    data = {**_as_page_shows(page), _box(demo.parent_id, Section.SAFE_WORD): "on", "seen": _seen(page)}
    # The manager reads the meeting but runs nothing: no form, and a post is refused.
    assert "Who sees what" not in manager.get(f"{_base(demo, meeting)}/agreement").get_data(as_text=True)
    for client in (manager, unallocated_worker):
        assert client.post(f"{_base(demo, meeting)}/sharing", data=data).status_code == 404
        assert client.post(f"{_base(demo, meeting)}/sharing", data={"seen": ""}).status_code == 404
    assert Section.SAFE_WORD not in _sees(db, demo, demo.parent_id)


def test_no_choosing_once_the_meeting_is_not_running(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    page = allocated_worker.get(f"{_base(demo, meeting)}/agreement").get_data(as_text=True)
    data = {**_as_page_shows(page), "seen": _seen(page)}
    db.refresh(meeting)
    meeting.status = "closed"
    db.commit()
    assert allocated_worker.post(f"{_base(demo, meeting)}/sharing", data=data).status_code == 404


def test_the_record_lists_who_sees_what(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, meeting: Meeting
) -> None:
    sam = _sam(db, demo)
    people = db.exec(
        select(MeetingPerson).where(MeetingPerson.meeting_id == meeting.id).order_by(col(MeetingPerson.id))
    ).all()
    for person in people[:2]:
        operations.record_agreement_for(session=db, actor=sam, meeting_id=meeting.id or 0, person_id=person.id or 0)
    db.commit()
    db.refresh(meeting)
    base = _base(demo, meeting)
    review = (today() + timedelta(days=3 + 42)).isoformat()
    response = allocated_worker.post(
        f"{base}/agreement",
        data={"revision": str(meeting.revision), "review_date": review, "review_trigger": "a missing episode"},
    )
    assert response.status_code == 303
    record = allocated_worker.get(f"{base}/record").get_data(as_text=True)
    assert "Who sees what" in record
    mum = re.search(r"<li><strong>Lisa Ellis</strong> \(Mum\):\s*([^<]*)</li>", record)
    assert mum and "When we check in next" in mum.group(1)
    dee = re.search(r"<li><strong>Denise Carter</strong> \(Aunt Dee\):\s*([^<]*)</li>", record)
    assert dee is not None
