"""Issue 12, from the Hub's decision to a Safer Me Plus meeting: the concern's page shows the Hub
enquiry its route decision opened (waiting, and how late; or decided, with the level and action);
once the Hub decides Safer Me Plus, whoever may schedule meetings for the young person (the policy
answers) gets a link to the meetings page with Safer Me Plus chosen, others are told who schedules
it, and a meeting scheduled since is named instead. The meetings page takes the kind of meeting
from the link only when it is one."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from app import SaferPlan
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.hub.models import HubEnquiry
from app.timeutil import today
from tests.support.clients import CsrfClient, make_client
from tests.support.hub import add_hub_worker, enquiry_about_kayla
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as

SCHEDULE_LINK = "Schedule the Safer Me Plus meeting"
WHO_SCHEDULES = "The allocated worker schedules the Safer Me Plus meeting."


def _client(application: SaferPlan, db: Session, account_id: int) -> CsrfClient:
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=account_id)
    return client


@pytest.fixture
def hana(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    worker = add_hub_worker(db, demo)
    db.commit()
    return _client(application, db, worker.id or 0)


@pytest.fixture
def nadia(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    """Nadia Rahman, a team member on Kay's case: reads her concerns, does not schedule her meetings."""
    return _client(application, db, practitioner_id(db, "nadia.rahman@example.org"))


def _enquiry(db: Session, demo: DemoPeople) -> HubEnquiry:
    enquiry = enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email), text="Seen in a car")
    db.commit()
    return enquiry


def _checked_type(page: str) -> list[str]:
    return re.findall(r'name="meeting_type" value="(\w+)" checked', page)


def test_a_waiting_enquiry_shows_when_it_is_due_and_how_late_it_is(
    monkeypatch: pytest.MonkeyPatch, unallocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    monkeypatch.setattr("app.hub.operations.today", lambda: date(2026, 12, 24))
    enquiry = _enquiry(db, demo)
    monkeypatch.setattr("app.hub.outcomes.today", lambda: date(2026, 12, 31))
    page = unallocated_worker.get(f"/concerns/{enquiry.concern_id}").get_data(as_text=True)
    assert "Adolescent Safety Hub enquiry" in page
    assert "Waiting for the Hub's decision, due Tuesday 29 December 2026." in page
    assert "Late by 2 working days" in page
    assert SCHEDULE_LINK not in page


def test_decided_safer_me_plus_links_the_allocated_worker_to_schedule_it(
    unallocated_worker: CsrfClient, nadia: CsrfClient, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    enquiry = _enquiry(db, demo)
    decided = hana.post(
        f"/hub/enquiries/{enquiry.id}", data={"level": "safer_me_plus", "action": "Strategy discussion with police"}
    )
    assert decided.status_code == 303
    concern = f"/concerns/{enquiry.concern_id}"
    page = unallocated_worker.get(concern).get_data(as_text=True)
    assert "Decided: Safer Me Plus (strategy discussion, section 47 enquiry)" in page
    assert "Strategy discussion with police" in page and "Decided by Hana Okafor" in page
    link = f'href="/children/{demo.kayla_id}/meetings?meeting_type=safer_me_plus#schedule"'
    assert link in page and SCHEDULE_LINK in page
    # Nadia reads the concern but may not schedule Kay's meetings: no link, she is told who does.
    theirs = nadia.get(concern).get_data(as_text=True)
    assert "Strategy discussion with police" in theirs
    assert SCHEDULE_LINK not in theirs and "meeting_type=safer_me_plus" not in theirs and WHO_SCHEDULES in theirs
    # The Hub worker is told who schedules it (the Hub is on no one's case).
    hub_page = hana.get(f"/hub/enquiries/{enquiry.id}").get_data(as_text=True)
    assert WHO_SCHEDULES in hub_page and SCHEDULE_LINK not in hub_page


def test_another_level_offers_no_safer_me_plus_meeting(
    unallocated_worker: CsrfClient, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    enquiry = _enquiry(db, demo)
    hana.post(f"/hub/enquiries/{enquiry.id}", data={"level": "early_help", "action": "Early Help assessment"})
    page = unallocated_worker.get(f"/concerns/{enquiry.concern_id}").get_data(as_text=True)
    assert "Decided: Early Help assessment and interventions" in page
    assert SCHEDULE_LINK not in page and WHO_SCHEDULES not in page
    assert WHO_SCHEDULES not in hana.get(f"/hub/enquiries/{enquiry.id}").get_data(as_text=True)


def test_the_meetings_page_chooses_the_kind_of_meeting_the_link_asks_for_and_ignores_anything_else(
    unallocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    meetings = f"/children/{demo.kayla_id}/meetings"
    plain = unallocated_worker.get(meetings).get_data(as_text=True)
    assert _checked_type(plain) == ["safer_me"]  # Kay's plan is a Safer Me plan
    asked = unallocated_worker.get(f"{meetings}?meeting_type=safer_me_plus").get_data(as_text=True)
    assert _checked_type(asked) == ["safer_me_plus"]
    for odd in ("complex_strategy", "SAFER_ME_PLUS", "safer_me_plus'", "x" * 500):
        answer = unallocated_worker.get(meetings, query_string={"meeting_type": odd})
        assert answer.status_code == 200 and _checked_type(answer.get_data(as_text=True)) == ["safer_me"]


def test_once_scheduled_the_concern_names_the_safer_me_plus_meeting_instead(
    unallocated_worker: CsrfClient, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    enquiry = _enquiry(db, demo)
    hana.post(f"/hub/enquiries/{enquiry.id}", data={"level": "safer_me_plus", "action": "Strategy discussion"})
    meetings = f"/children/{demo.kayla_id}/meetings"
    day = today() + timedelta(days=10)
    chair, alex = practitioner_id(db, "priya.shah@example.org"), practitioner_id(db, demo.other_worker_email)
    form = {"day": day.isoformat(), "start": "16:00", "place": "Westfield High School", "facilitator": f"p:{chair}"}
    # A Safer Me meeting (Alex facilitates) is not the Safer Me Plus meeting the Hub decided on.
    safer_me = {**form, "meeting_type": "safer_me", "facilitator": f"p:{alex}"}
    assert unallocated_worker.post(meetings, data=safer_me).status_code == 303
    concern = f"/concerns/{enquiry.concern_id}"
    assert SCHEDULE_LINK in unallocated_worker.get(concern).get_data(as_text=True)
    scheduled = unallocated_worker.post(meetings, data={**form, "meeting_type": "safer_me_plus"})
    assert scheduled.status_code == 303
    meeting_path = scheduled.headers["Location"].split("?")[0]
    page = unallocated_worker.get(concern).get_data(as_text=True)
    assert "The Safer Me Plus meeting is scheduled for" in page and f'href="{meeting_path}"' in page
    assert SCHEDULE_LINK not in page
