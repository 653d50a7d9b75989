"""Who sees what at the agreement, on the young person's own phone (issue 9, item 6).

At the plan (the agreement step) the young person's meeting page offers the same choice as their
privacy page, saved through the same service: a lock holds, a stale page is a conflict that keeps
their ticks, Mum (parental responsibility on the plan) is offered where to be taken if found when
missing. Nobody else in the family chooses: not Mum, not Aunt Dee, not even when she facilitates.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from app.access import policy
from app.access.sharing import SectionLock, choose_sharing, set_lock
from app.actors import Actor
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.meetings import operations
from app.meetings.inputs import MoveInput
from app.meetings.models import Meeting
from app.people.models import FamilyLink, Practitioner
from app.plans.sections import Section
from tests.support.clients import CsrfClient
from tests.support.meetings import sam_of, schedule_for_jordan

HTMX = {"HX-Request": "true"}


def _sam(db: Session, demo: DemoPeople) -> Actor:
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    return Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)


def _running(db: Session, demo: DemoPeople, *, item: str = "safer_plan", by_dee: bool = False) -> Meeting:
    sam = _sam(db, demo)
    meeting = schedule_for_jordan(db, demo, sam_of(db, demo), days=3, by_dee=by_dee)
    operations.open_meeting(session=db, actor=sam, meeting_id=meeting.id or 0, expected_revision=meeting.revision)
    if item != "introductions":
        move = MoveInput(item=item, expected_revision=meeting.revision)
        operations.move_to(session=db, actor=sam, meeting_id=meeting.id or 0, move=move)
    db.commit()
    return meeting


@pytest.fixture
def at_the_plan(db: Session, demo: DemoPeople) -> Meeting:
    return _running(db, demo)


def _url(demo: DemoPeople) -> str:
    return f"/c/{demo.jordan_id}/meeting"


def _seen(page: str) -> str:
    found = re.search(r'name="seen" value="([^"]*)"', page)
    assert found, "no who-sees-what form"
    return found.group(1)


def _as_page_shows(page: str) -> dict[str, str]:
    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="(share-[^"]+)"', tag)
        if name and " checked" in tag and " disabled" not in tag:
            data[name.group(1)] = "on"
    return data


def _sees(db: Session, demo: DemoPeople, member_id: int) -> frozenset[Section]:
    db.expire_all()
    link = db.exec(
        select(FamilyLink).where(FamilyLink.child_id == demo.jordan_id, FamilyLink.member_id == member_id)
    ).one()
    return policy.sections_for(db, link)


def test_the_young_person_chooses_at_the_agreement_on_their_phone(
    young_person: CsrfClient, db: Session, demo: DemoPeople, at_the_plan: Meeting
) -> None:
    page = young_person.get(_url(demo)).get_data(as_text=True)
    assert "Who sees what" in page and "Lisa Ellis" in page and "Denise Carter" in page
    assert "If I&#39;m in danger" in page or "If I'm in danger" in page  # in the young person's own voice
    mum_emergency = f"share-{demo.parent_id}-emergency"
    assert f'aria-describedby="{mum_emergency}-offered"' in page
    assert "has parental responsibility for you" in page
    data = {**_as_page_shows(page), mum_emergency: "on", "seen": _seen(page)}
    response = young_person.post(f"{_url(demo)}/sharing", data=data)
    assert response.status_code == 303 and "shared=1" in response.headers["Location"]
    assert Section.EMERGENCY in _sees(db, demo, demo.parent_id)
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "chosen_with_young_person")).first() is not None
    # The privacy page shows the same choice (one write path), still theirs to change.
    privacy = young_person.get(f"/c/{demo.jordan_id}/sharing").get_data(as_text=True)
    assert re.search(rf'id="{mum_emergency}" name="{mum_emergency}"\s*checked', privacy)


def test_htmx_gets_the_part_and_a_lock_holds(
    young_person: CsrfClient, db: Session, demo: DemoPeople, at_the_plan: Meeting
) -> None:
    lock = SectionLock(member_id=demo.trusted_adult_id, section=Section.SAFE_WORD, locked=True)
    set_lock(session=db, actor=_sam(db, demo), child_id=demo.jordan_id, lock=lock)
    db.commit()
    page = young_person.get(_url(demo)).get_data(as_text=True)
    box = f"share-{demo.trusted_adult_id}-safe_word"
    assert re.search(rf'id="{box}" name="{box}"\s*disabled', page)
    assert "Your worker has kept this private for now" in page
    data = {**_as_page_shows(page), box: "on", "seen": _seen(page)}
    response = young_person.post(f"{_url(demo)}/sharing", data=data, headers=HTMX)
    part = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in part and 'id="who-sees-what"' in part
    assert Section.SAFE_WORD not in _sees(db, demo, demo.trusted_adult_id)


def test_a_stale_page_is_a_conflict_that_keeps_the_young_persons_ticks(
    young_person: CsrfClient, db: Session, demo: DemoPeople, at_the_plan: Meeting
) -> None:
    page = young_person.get(_url(demo)).get_data(as_text=True)
    # Meanwhile the worker locks Mum's review date.
    lock = SectionLock(member_id=demo.parent_id, section=Section.REVIEW, locked=True)
    set_lock(session=db, actor=_sam(db, demo), child_id=demo.jordan_id, lock=lock)
    db.commit()
    mine = f"share-{demo.parent_id}-safe_network"
    response = young_person.post(
        f"{_url(demo)}/sharing", data={**_as_page_shows(page), mine: "on", "seen": _seen(page)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "These choices are not saved yet" in page
    assert "A worker has kept this private from Lisa Ellis: When we check in next." in page
    assert re.search(rf'id="{mine}" name="{mine}"\s*checked', page)
    assert Section.SAFE_NETWORK not in _sees(db, demo, demo.parent_id)


def test_not_before_the_agreement_and_never_by_anyone_else_in_the_family(
    young_person: CsrfClient, parent: CsrfClient, trusted_adult: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    meeting = _running(db, demo, item="introductions", by_dee=True)
    assert "Who sees what" not in young_person.get(_url(demo)).get_data(as_text=True)
    sam = _sam(db, demo)
    db.refresh(meeting)
    operations.move_to(
        session=db,
        actor=sam,
        meeting_id=meeting.id or 0,
        move=MoveInput(item="safer_plan", expected_revision=meeting.revision),
    )
    db.commit()
    page = young_person.get(_url(demo)).get_data(as_text=True)
    data = {**_as_page_shows(page), f"share-{demo.parent_id}-safe_word": "on", "seen": _seen(page)}
    for client in (parent, trusted_adult):
        assert "Who sees what" not in client.get(_url(demo)).get_data(as_text=True)
        assert client.post(f"{_url(demo)}/sharing", data=data).status_code == 404
        assert client.post(f"{_url(demo)}/sharing", data={"seen": ""}).status_code == 404
    # Aunt Dee facilitates this meeting, and still does not choose for Jordan on the agreement page.
    agreement = trusted_adult.get(f"/c/{demo.jordan_id}/meetings/{meeting.id}/agreement")
    assert agreement.status_code == 200 and "Who sees what" not in agreement.get_data(as_text=True)
    assert trusted_adult.post(f"/c/{demo.jordan_id}/meetings/{meeting.id}/sharing", data=data).status_code == 404
    assert Section.SAFE_WORD not in _sees(db, demo, demo.parent_id)


def test_the_young_persons_own_choice_page_without_a_meeting_is_still_the_privacy_page(
    young_person: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    jordan = Actor(kind=AccountKind.FAMILY, account_id=demo.young_person_id)
    page = young_person.get(f"/c/{demo.jordan_id}/sharing").get_data(as_text=True)
    data = {**_as_page_shows(page), "seen": _seen(page)}
    assert young_person.post(f"{_url(demo)}/sharing", data=data).status_code == 404  # no meeting running
    choose_sharing(session=db, actor=jordan, child_id=demo.jordan_id, chosen=set())
    db.commit()
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "chosen_with_young_person")).first() is None
