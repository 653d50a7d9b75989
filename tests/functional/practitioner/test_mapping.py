"""Issue 12 part 5, the mapping meeting: a peer-group or location concern routed to "mapping
meeting" opens one, due within 10 working days (counted across Christmas with the clock frozen);
the Hub co-ordinator lists members (children already known, linked; others described, encrypted)
and records the context weighting and whether a conference follows, once. Nobody else reaches it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.mapping.models import MappingMeeting, MappingMember
from app.people.inputs import AssignmentInput
from app.people.models import CaseRole
from app.people.operations import assign_practitioner
from app.timeutil import today
from app.workingdays import add_working_days
from tests.support.clients import CsrfClient, make_client
from tests.support.concerns import peer_group_concern
from tests.support.hub import add_hub_worker
from tests.support.mace import peer_group_mapped
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as

DANGER = "If a child is in immediate danger call 999"
WEIGHING = {
    "held_on": "2027-01-08",
    "weighting": "high",
    "reasons": "Daily recruiting at the park",
    "conference": "yes",
}


@pytest.fixture
def hana(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    worker = add_hub_worker(db, demo)
    # Hana is on Kayla's case team, so Kay is a child she may link; Jordan is not.
    assign_practitioner(
        session=db,
        child_id=demo.kayla_id,
        assignment=AssignmentInput(practitioner_id=worker.id or 0, case_role=CaseRole.TEAM_MEMBER),
    )
    db.commit()
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=worker.id or 0)
    return client


def _sam(db: Session, demo: DemoPeople) -> int:
    return practitioner_id(db, demo.social_worker_email)


def test_routing_a_peer_group_to_mapping_opens_a_meeting_due_in_10_working_days(
    allocated_worker: CsrfClient, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    concern = peer_group_concern(db, _sam(db, demo), name="the Eastgate lot")
    db.commit()
    answer = allocated_worker.post(f"/concerns/{concern.id}/decision", data={"chosen": "mapping_meeting"})
    assert answer.status_code == 303
    mapping = db.exec(select(MappingMeeting).where(MappingMeeting.concern_id == concern.id)).one()
    assert mapping.decided_on == today() and mapping.due_on == add_working_days(today(), 10)
    # Sam sees when it is due on the concern's page, but the meeting is the Hub's (no link for him).
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Mapping meeting" in page and f"/mapping/{mapping.id}" not in page
    # Hana finds it in her list of mapping meetings to hold.
    listing = hana.get("/mapping").get_data(as_text=True)
    assert DANGER in listing and "the Eastgate lot" in listing and f'href="/mapping/{mapping.id}"' in listing


def test_a_mapping_decided_on_christmas_eve_2026_is_due_on_tuesday_12_january_2027(
    monkeypatch: pytest.MonkeyPatch, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    monkeypatch.setattr("app.mapping.operations.today", lambda: date(2026, 12, 24))
    mapping = peer_group_mapped(db, _sam(db, demo))
    db.commit()
    assert (mapping.decided_on, mapping.due_on) == (date(2026, 12, 24), date(2027, 1, 12))
    monkeypatch.setattr("app.mapping.queries.today", lambda: date(2027, 1, 11))
    assert "Due Tuesday 12 January 2027" in hana.get("/mapping").get_data(as_text=True)
    monkeypatch.setattr("app.mapping.queries.today", lambda: date(2027, 1, 12))
    assert "Due today" in hana.get(f"/mapping/{mapping.id}").get_data(as_text=True)
    monkeypatch.setattr("app.mapping.queries.today", lambda: date(2027, 1, 14))
    assert "Late by 2 working days" in hana.get("/mapping").get_data(as_text=True)


def test_the_co_ordinator_lists_members_known_and_described(hana: CsrfClient, db: Session, demo: DemoPeople) -> None:
    mapping = peer_group_mapped(db, _sam(db, demo))
    db.commit()
    path = f"/mapping/{mapping.id}/members"
    page = hana.get(f"/mapping/{mapping.id}").get_data(as_text=True)
    assert f'<option value="{demo.kayla_id}"' in page and f'<option value="{demo.jordan_id}"' not in page
    empty = hana.post(path, data={"child_id": "", "description": ""})
    assert empty.status_code == 422 and "Choose a young person already known" in empty.get_data(as_text=True)
    # Jordan is not a child Hana may read: refused as if he were not there, her words kept.
    not_hers = hana.post(path, data={"child_id": str(demo.jordan_id), "description": "Tall lad, red bike"})
    body = not_hers.get_data(as_text=True)
    assert not_hers.status_code == 422 and "Choose a young person from the list." in body
    assert "Tall lad, red bike</textarea>" in body
    assert hana.post(path, data={"child_id": str(demo.kayla_id)}).status_code == 303
    twice = hana.post(path, data={"child_id": str(demo.kayla_id)})
    assert twice.status_code == 422 and "already on the list" in twice.get_data(as_text=True)
    assert hana.post(path, data={"description": "Older lad called T, about 17"}).status_code == 303
    page = hana.get(f"/mapping/{mapping.id}").get_data(as_text=True)
    assert "Kayla Brooks" in page and "Older lad called T, about 17" in page
    described = db.exec(select(MappingMember).where(MappingMember.child_id.is_(None))).one()  # type: ignore[union-attr]
    stored = db.execute(text("SELECT description FROM mapping_member WHERE id = :id"), {"id": described.id})
    assert "Older lad" not in stored.scalar_one()


def test_the_context_weighting_is_recorded_once_and_a_second_recorder_is_told(
    hana: CsrfClient, allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    mapping = peer_group_mapped(db, _sam(db, demo))
    db.commit()
    path = f"/mapping/{mapping.id}"
    refused = hana.post(path, data={**WEIGHING, "weighting": "", "conference": ""})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Choose low, medium or high." in body
    assert "Say whether a context conference follows." in body and "Daily recruiting at the park</textarea>" in body
    assert hana.post(path, data=WEIGHING).status_code == 303
    db.expire_all()
    weighed = db.get(MappingMeeting, mapping.id)
    assert weighed is not None and weighed.weighting == "high" and weighed.conference_to_follow is True
    assert weighed.held_on == date(2027, 1, 8) and weighed.weighting_reasons == "Daily recruiting at the park"
    page = hana.get(path).get_data(as_text=True)
    assert "a context conference follows." in page and "Record the weighting" not in page
    late = hana.post(
        path, data={**WEIGHING, "weighting": "low", "reasons": "Quiet since the summer", "conference": "no"}
    )
    body = late.get_data(as_text=True)
    assert late.status_code == 422 and "Someone else recorded the context weighting" in body
    assert "Quiet since the summer</textarea>" in body
    db.expire_all()
    assert db.get(MappingMeeting, mapping.id).weighting == "high"  # type: ignore[union-attr]
    # The concern's recorder sees the weighting on the concern's page.
    concern_page = allocated_worker.get(f"/concerns/{mapping.concern_id}").get_data(as_text=True)
    assert "Weighting: High" in concern_page and "Context conference to follow." in concern_page


def test_only_the_hub_convenes_mapping_meetings(
    allocated_worker: CsrfClient,
    unallocated_worker: CsrfClient,
    manager: CsrfClient,
    admin: CsrfClient,
    db: Session,
    demo: DemoPeople,
) -> None:
    mapping = peer_group_mapped(db, _sam(db, demo))
    db.commit()
    for client in (allocated_worker, unallocated_worker, manager, admin):
        assert client.get("/mapping").status_code == 404
        assert client.get(f"/mapping/{mapping.id}").status_code == 404
        assert client.post(f"/mapping/{mapping.id}", data=WEIGHING).status_code == 404
        assert client.post(f"/mapping/{mapping.id}/members", data={"description": "x"}).status_code == 404
    db.expire_all()
    assert db.get(MappingMeeting, mapping.id).weighed_at is None  # type: ignore[union-attr]
    assert db.exec(select(MappingMember)).first() is None
