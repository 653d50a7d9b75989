"""Issue 12, the Hub's queue: a route decision "Hub enquiry" opens an enquiry due within one
working day; the queue lists what is late first, then what is due today; the Hub decides the
level of support and/or action once, and MACE is notified. Only the Hub's people see the queue."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.hub.models import HubEnquiry
from app.timeutil import today
from app.workingdays import add_working_days
from tests.support.clients import CsrfClient, make_client
from tests.support.concerns import ASSESSMENT
from tests.support.hub import add_hub_worker, enquiry_about_kayla
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as


@pytest.fixture
def hana(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    worker = add_hub_worker(db, demo)
    db.commit()
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=worker.id or 0)
    return client


def _alex(db: Session, demo: DemoPeople) -> int:
    return practitioner_id(db, demo.other_worker_email)


def test_deciding_hub_enquiry_for_kay_puts_her_in_the_hub_queue_due_next_working_day(
    unallocated_worker: CsrfClient, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    # Alex (Kay's allocated worker) records and assesses: high risk, not open to CSW.
    answer = unallocated_worker.post(
        "/concerns/new", data={"subject": "individual", "child_id": str(demo.kayla_id), "description": "In a car"}
    )
    concern_page = answer.headers["Location"].split("?")[0]
    unallocated_worker.post(f"{concern_page}/assessments", data={**ASSESSMENT, "grade": "high"})
    page = unallocated_worker.get(concern_page).get_data(as_text=True)
    assert "An Adolescent Safety Hub enquiry, then Safer Me Plus" in page
    based_on = page.split('name="based_on" value="')[1].split('"')[0]
    assert (
        unallocated_worker.post(
            f"{concern_page}/decision", data={"chosen": "hub_enquiry", "based_on": based_on}
        ).status_code
        == 303
    )
    enquiry = db.exec(select(HubEnquiry).where(HubEnquiry.child_id == demo.kayla_id)).one()
    assert enquiry.received_on == today() and enquiry.due_on == add_working_days(today(), 1)
    queue = hana.get("/hub").get_data(as_text=True)
    assert "Kayla Brooks" in queue
    # Hana has no case relation to Kay: her opening the enquiry is audited against Kay's record.
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    page = hana.get(f"/hub/enquiries/{enquiry.id}").get_data(as_text=True)
    assert "In a car" in page and "High risk" in page and "Alex" in page
    reads = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.child_id == demo.kayla_id)).all()
    assert any(row.action == "hub.work" and row.kind == "read" for row in reads)


def test_an_enquiry_on_christmas_eve_2026_is_due_on_tuesday_29_december(
    monkeypatch: pytest.MonkeyPatch, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    # The clock frozen on Thursday 24 December 2026 when the route is decided, and when the Hub looks.
    monkeypatch.setattr("app.hub.operations.today", lambda: date(2026, 12, 24))
    enquiry = enquiry_about_kayla(db, demo, _alex(db, demo))
    db.commit()
    assert (enquiry.received_on, enquiry.due_on) == (date(2026, 12, 24), date(2026, 12, 29))
    monkeypatch.setattr("app.hub.queries.today", lambda: date(2026, 12, 29))
    assert "Due today" in hana.get("/hub").get_data(as_text=True)
    monkeypatch.setattr("app.hub.queries.today", lambda: date(2026, 12, 31))
    assert "Late by 2 working days" in hana.get("/hub").get_data(as_text=True)


def test_the_queue_lists_late_first_then_due_today_then_later(
    monkeypatch: pytest.MonkeyPatch, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    alex = _alex(db, demo)
    for received, words in (
        (date(2026, 12, 3), "LATER-ONE"),
        (date(2026, 11, 30), "LATE-ONE"),
        (date(2026, 12, 2), "TODAY-ONE"),
    ):
        monkeypatch.setattr("app.hub.operations.today", lambda received=received: received)
        enquiry_about_kayla(db, demo, alex, text=words)
    db.commit()
    monkeypatch.setattr("app.hub.queries.today", lambda: date(2026, 12, 3))
    queue = hana.get("/hub").get_data(as_text=True)
    ids = [
        db.exec(select(HubEnquiry.id).where(HubEnquiry.received_on == day)).one()
        for day in (date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 3))
    ]
    positions = [queue.index(f'/hub/enquiries/{enquiry_id}"') for enquiry_id in ids]
    assert positions == sorted(positions)
    assert "Late by 2 working days" in queue and "Due today" in queue and "Due Friday 4 December 2026" in queue


def test_the_hub_decides_once_with_a_level_and_an_action_and_mace_is_notified(
    hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    enquiry = enquiry_about_kayla(db, demo, _alex(db, demo))
    db.commit()
    path = f"/hub/enquiries/{enquiry.id}"
    refused = hana.post(path, data={"level": "", "action": "Strategy discussion today"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Choose the level of support." in body
    assert "Strategy discussion today</textarea>" in body
    answer = hana.post(path, data={"level": "safer_me_plus", "action": "Strategy discussion today with police"})
    assert answer.status_code == 303
    db.expire_all()
    decided = db.get(HubEnquiry, enquiry.id)
    assert decided is not None and decided.level == "safer_me_plus" and decided.decided_at is not None
    assert decided.action == "Strategy discussion today with police" and decided.mace_notified_at is not None
    page = hana.get(path).get_data(as_text=True)
    assert "MACE notified" in page and "Record the decision" not in page
    again = hana.post(path, data={"level": "early_help", "action": "Something else"})
    assert again.status_code == 422 and "already been decided" in again.get_data(as_text=True)
    db.expire_all()
    assert db.get(HubEnquiry, enquiry.id).level == "safer_me_plus"  # type: ignore[union-attr]


def test_only_the_hubs_people_see_the_queue(
    allocated_worker: CsrfClient, unallocated_worker: CsrfClient, admin: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    enquiry = enquiry_about_kayla(db, demo, _alex(db, demo))
    db.commit()
    for client in (allocated_worker, unallocated_worker, admin):
        assert client.get("/hub").status_code == 404
        assert client.get(f"/hub/enquiries/{enquiry.id}").status_code == 404
        assert (
            client.post(f"/hub/enquiries/{enquiry.id}", data={"level": "early_help", "action": "x"}).status_code == 404
        )
        assert "/hub" not in client.get("/").get_data(as_text=True)
