"""Issue 12 item 9: framework deadlines on the work tray, each with its due date, late ones first.

For the young people on a page: Hub enquiries not yet decided (due within one working day, in
England's working days) and MACE referrals waiting. The Hub co-ordinator (who convenes mapping
meetings) sees the mapping meetings still to hold in a "Framework deadlines" panel, late first.
The clock is frozen across Christmas 2026 (Boxing Day's substitute is Monday 28 December).
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlmodel import Session

from app.concerns.inputs import DecisionInput
from app.concerns.operations import decide_route
from app.demo.seed import DemoPeople
from tests.factories.fixtures import SignIn
from tests.support.clients import CsrfClient
from tests.support.concerns import actor_for, assessed, concern_about
from tests.support.hub import add_hub_worker, enquiry_about_kayla
from tests.support.incidents import freeze
from tests.support.mace import jordan_referred, peer_group_mapped
from tests.support.roles import practitioner_id


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _row_of(page: str, first_name: str) -> str:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = [_text(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return next(row for row in rows if row.startswith(first_name))


def _jordan_to_the_hub(db: Session, sam: int, jordan_id: int, text: str) -> None:
    """Sam's concern about Jordan, high risk, sent to the Hub (a different pathway, with a reason)."""
    concern = concern_about(db, sam, jordan_id, text=text)
    assessment = assessed(db, sam, concern, grade="high")
    decide_route(
        session=db,
        actor=actor_for(sam),
        concern_id=concern.id or 0,
        decision=DecisionInput.parse(
            {"chosen": "hub_enquiry", "reason": "The Hub knows the adults involved", "based_on": assessment.id}
        ),
    )


def test_hub_enquiries_and_mace_referrals_show_on_the_row_late_first(
    monkeypatch: pytest.MonkeyPatch, db: Session, demo: DemoPeople, allocated_worker: CsrfClient
) -> None:
    sam = practitioner_id(db, demo.social_worker_email)
    # Received on Christmas Eve: due Tuesday 29 December. Received on 31 December: due Monday 4 January.
    monkeypatch.setattr("app.hub.operations.today", lambda: date(2026, 12, 24))
    _jordan_to_the_hub(db, sam, demo.jordan_id, "Seen in a car with adults")
    jordan_referred(db, demo, sam)
    monkeypatch.setattr("app.hub.operations.today", lambda: date(2026, 12, 31))
    _jordan_to_the_hub(db, sam, demo.jordan_id, "Went missing again")
    db.commit()
    freeze(monkeypatch, date(2026, 12, 31))
    row = _row_of(allocated_worker.get("/").get_data(as_text=True), "Jordan")
    late = "Hub enquiry not decided: due 29 Dec 2026, late by 2 working days"
    later = "Hub enquiry not decided: due 4 Jan 2027"
    waiting = "MACE referral waiting: no panel date yet"
    assert late in row and later in row and waiting in row
    assert row.index(late) < row.index(later) < row.index(waiting)
    # "Only cases with something overdue" keeps a case whose only late work is the Hub's decision.
    overdue = allocated_worker.get("/?overdue=1").get_data(as_text=True)
    assert late in _row_of(overdue, "Jordan")


def test_a_hub_enquiry_due_today_says_so(
    monkeypatch: pytest.MonkeyPatch, db: Session, demo: DemoPeople, allocated_worker: CsrfClient
) -> None:
    sam = practitioner_id(db, demo.social_worker_email)
    monkeypatch.setattr("app.hub.operations.today", lambda: date(2026, 12, 24))
    _jordan_to_the_hub(db, sam, demo.jordan_id, "Seen in a car with adults")
    db.commit()
    freeze(monkeypatch, date(2026, 12, 29))
    row = _row_of(allocated_worker.get("/").get_data(as_text=True), "Jordan")
    assert "Hub enquiry not decided: due today" in row


def test_the_hub_coordinator_sees_mapping_meetings_late_first(
    monkeypatch: pytest.MonkeyPatch, db: Session, demo: DemoPeople, sign_in: SignIn, allocated_worker: CsrfClient
) -> None:
    hana = add_hub_worker(db, demo)
    sam = practitioner_id(db, demo.social_worker_email)
    # Decided on 14 December: due 30 December (10 working days, skipping Christmas and the substitute Boxing
    # Day); on 18 December: due 6 January (New Year's Day skipped too).
    monkeypatch.setattr("app.mapping.operations.today", lambda: date(2026, 12, 18))
    peer_group_mapped(db, sam, name="the Northside lot")
    monkeypatch.setattr("app.mapping.operations.today", lambda: date(2026, 12, 14))
    peer_group_mapped(db, sam, name="the skate park")
    db.commit()
    freeze(monkeypatch, date(2026, 12, 31))
    page = _text(sign_in(hana).get("/").get_data(as_text=True))
    assert "Framework deadlines" in page
    late = "Mapping meeting: the skate park due 30 Dec 2026, late by 1 working day"
    later = "Mapping meeting: the Northside lot due 6 Jan 2027"
    assert late in page and later in page and page.index(late) < page.index(later)
    # Sam does not convene mapping meetings: no panel on his tray.
    assert "Framework deadlines" not in allocated_worker.get("/").get_data(as_text=True)


def test_the_overdue_filter_keeps_a_case_whose_only_late_work_is_the_hubs_decision(
    monkeypatch: pytest.MonkeyPatch, db: Session, demo: DemoPeople, unallocated_worker: CsrfClient
) -> None:
    """Alex holds Kay's case (no agreed plan, nothing else overdue)."""
    freeze(monkeypatch, date(2026, 12, 31))
    assert "Kayla" not in _text(unallocated_worker.get("/?overdue=1").get_data(as_text=True))
    monkeypatch.setattr("app.hub.operations.today", lambda: date(2026, 12, 24))
    enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email))
    db.commit()
    overdue = unallocated_worker.get("/?overdue=1").get_data(as_text=True)
    assert "Hub enquiry not decided: due 29 Dec 2026, late by 2 working days" in _row_of(overdue, "Kayla")
