"""Issue 12 part 4, MACE: a concern whose route says "refer to MACE if appropriate" is referred
from its page, and a Hub decision refers by itself; the Hub's people and managers add panel dates,
list waiting referrals for a date and record each outcome once (a second recorder is told, never
overwrites); the referrer reads the outcome; nobody else reaches the panel."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import AccountKind
from app.concerns.inputs import ConcernInput, DecisionInput
from app.concerns.operations import decide_route, record_concern
from app.demo.seed import DemoPeople
from app.mace.models import MacePanel, MaceReferral
from tests.support.clients import CsrfClient, make_client
from tests.support.concerns import actor_for
from tests.support.hub import add_hub_worker, enquiry_about_kayla
from tests.support.mace import jordan_referred, jordan_routed_to_safer_me, panel_on, peer_group_mapped
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as

DANGER = "If a child is in immediate danger call 999"


@pytest.fixture
def hana(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    worker = add_hub_worker(db, demo)
    db.commit()
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=worker.id or 0)
    return client


def _sam(db: Session, demo: DemoPeople) -> int:
    return practitioner_id(db, demo.social_worker_email)


def test_sam_refers_jordan_from_the_concern_page_and_reads_the_panels_outcome(
    allocated_worker: CsrfClient, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    concern = jordan_routed_to_safer_me(db, demo, _sam(db, demo))
    db.commit()
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Refer to MACE" in page and f'action="/concerns/{concern.id}/mace"' in page
    refused = allocated_worker.post(f"/concerns/{concern.id}/mace", data={"why": "   "})
    assert refused.status_code == 422 and "Say why you are referring to MACE." in refused.get_data(as_text=True)
    assert db.exec(select(MaceReferral)).first() is None
    answer = allocated_worker.post(f"/concerns/{concern.id}/mace", data={"why": "Seen at a known trap house"})
    assert answer.status_code == 303
    referral = db.exec(select(MaceReferral).where(MaceReferral.concern_id == concern.id)).one()
    assert referral.child_id == demo.jordan_id and referral.reason == "Seen at a known trap house"
    # The reason is encrypted at rest.
    stored = db.execute(text("SELECT reason FROM mace_referral WHERE id = :id"), {"id": referral.id}).scalar_one()
    assert "trap house" not in stored
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Waiting for the panel's outcome." in page and 'action="/concerns/' + str(concern.id) + '/mace"' not in page
    # A second referral while one waits is refused, keeping the words.
    again = allocated_worker.post(f"/concerns/{concern.id}/mace", data={"why": "Another missing episode"})
    body = again.get_data(as_text=True)
    assert (
        again.status_code == 422 and "already referred to MACE" in body and "Another missing episode</textarea>" in body
    )

    # Hana adds a panel date (a bad date keeps what was typed), lists Jordan, records the outcome.
    bad = hana.post("/mace", data={"meets_on": "2027-13-01"})
    assert bad.status_code == 422 and 'value="2027-13-01"' in bad.get_data(as_text=True)
    made = hana.post("/mace", data={"meets_on": "2027-01-12"})
    assert made.status_code == 303
    panel = db.exec(select(MacePanel).where(MacePanel.meets_on == date(2027, 1, 12))).one()
    twice = hana.post("/mace", data={"meets_on": "2027-01-12"})
    assert twice.status_code == 422 and "A panel already meets on that date" in twice.get_data(as_text=True)
    listing = hana.get(f"/mace/panels/{panel.id}").get_data(as_text=True)
    assert DANGER in listing and "Jordan" in listing and "Nothing listed yet." in listing
    assert hana.post(f"/mace/panels/{panel.id}", data={"referral_id": str(referral.id)}).status_code == 303
    listing = hana.get(f"/mace/panels/{panel.id}").get_data(as_text=True)
    assert "Outcome to record" in listing and "Seen at a known trap house" in listing
    relisted = hana.post(f"/mace/panels/{panel.id}", data={"referral_id": str(referral.id)})
    assert relisted.status_code == 422 and "already listed" in relisted.get_data(as_text=True)
    path = f"/mace/referrals/{referral.id}"
    no_choice = hana.post(f"{path}/outcome", data={"outcome": "", "notes": "Police to visit the address"})
    body = no_choice.get_data(as_text=True)
    assert no_choice.status_code == 422 and "Choose the outcome." in body
    assert "Police to visit the address</textarea>" in body
    assert (
        hana.post(
            f"{path}/outcome", data={"outcome": "actions_agreed", "notes": "Police to visit the address"}
        ).status_code
        == 303
    )

    # Sam reads the outcome on his referral and on the concern's page; there is no form for him.
    mine = allocated_worker.get(path)
    body = mine.get_data(as_text=True)
    assert mine.status_code == 200 and "Actions agreed" in body and "Police to visit the address" in body
    assert "Record the outcome" not in body and DANGER in body
    assert "Actions agreed" in allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert allocated_worker.post(f"{path}/outcome", data={"outcome": "refer_on", "notes": "x"}).status_code == 404


def test_two_people_recording_the_same_outcome_the_second_is_told_and_nothing_is_overwritten(
    hana: CsrfClient, manager: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    referral = jordan_referred(db, demo, _sam(db, demo))
    panel = panel_on(db, practitioner_id(db, demo.manager_email))
    referral.panel_id = panel.id
    db.add(referral)
    db.commit()
    path = f"/mace/referrals/{referral.id}"
    # Both open the form; Hana records first, then Morgan sends his.
    assert "Record the outcome" in manager.get(path).get_data(as_text=True)
    assert "Record the outcome" in hana.get(path).get_data(as_text=True)
    assert (
        hana.post(
            f"{path}/outcome", data={"outcome": "no_further_action", "notes": "Known to police already"}
        ).status_code
        == 303
    )
    late = manager.post(f"{path}/outcome", data={"outcome": "refer_on", "notes": "Refer on to the NRM"})
    body = late.get_data(as_text=True)
    assert late.status_code == 422 and "Someone else recorded this referral" in body
    assert "Refer on to the NRM</textarea>" in body and "No further MACE action" in body
    db.expire_all()
    kept = db.get(MaceReferral, referral.id)
    assert kept is not None and kept.outcome == "no_further_action" and kept.outcome_notes == "Known to police already"


def test_an_outcome_waits_for_the_referral_to_be_listed_for_a_panel(
    hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    referral = jordan_referred(db, demo, _sam(db, demo))
    db.commit()
    page = hana.get(f"/mace/referrals/{referral.id}").get_data(as_text=True)
    assert "Waiting for a panel date" in page and "Record the outcome" not in page
    early = hana.post(f"/mace/referrals/{referral.id}/outcome", data={"outcome": "refer_on", "notes": "Early"})
    assert early.status_code == 422 and "List this referral for a panel first" in early.get_data(as_text=True)
    assert "Jordan" in hana.get("/mace").get_data(as_text=True)


def test_a_hub_decision_refers_to_mace_by_itself(hana: CsrfClient, db: Session, demo: DemoPeople) -> None:
    enquiry = enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email))
    db.commit()
    answer = hana.post(f"/hub/enquiries/{enquiry.id}", data={"level": "safer_me_plus", "action": "Strategy today"})
    assert answer.status_code == 303
    referral = db.exec(select(MaceReferral).where(MaceReferral.hub_enquiry_id == enquiry.id)).one()
    assert referral.child_id == demo.kayla_id and referral.reason == "Strategy today"
    waiting = hana.get("/mace").get_data(as_text=True)
    assert "Kayla Brooks" in waiting
    assert "The Hub's decision" in hana.get(f"/mace/referrals/{referral.id}").get_data(as_text=True)
    decided = hana.get(f"/hub/enquiries/{enquiry.id}").get_data(as_text=True)
    assert f'href="/mace/referrals/{referral.id}"' in decided
    # The Hub page links to the panel and to mapping meetings.
    queue = hana.get("/hub").get_data(as_text=True)
    assert 'href="/mace"' in queue and 'href="/mapping"' in queue


def test_only_the_hubs_people_and_managers_run_the_panel_and_only_the_referrer_reads_a_referral(
    allocated_worker: CsrfClient,
    unallocated_worker: CsrfClient,
    manager: CsrfClient,
    admin: CsrfClient,
    db: Session,
    demo: DemoPeople,
) -> None:
    referral = jordan_referred(db, demo, _sam(db, demo))
    panel = panel_on(db, practitioner_id(db, demo.manager_email), date(2027, 2, 2))
    db.commit()
    assert manager.get("/mace").status_code == 200
    assert 'href="/mace"' in manager.get("/concerns").get_data(as_text=True)
    for client in (allocated_worker, unallocated_worker, admin):
        assert client.get("/mace").status_code == 404
        assert client.post("/mace", data={"meets_on": "2027-03-03"}).status_code == 404
        assert client.get(f"/mace/panels/{panel.id}").status_code == 404
        assert client.post(f"/mace/panels/{panel.id}", data={"referral_id": str(referral.id)}).status_code == 404
        assert 'href="/mace"' not in client.get("/concerns").get_data(as_text=True)
    for client in (unallocated_worker, admin):
        assert client.get(f"/mace/referrals/{referral.id}").status_code == 404
        concern = referral.concern_id
        assert client.post(f"/concerns/{concern}/mace", data={"why": "x"}).status_code == 404
    assert allocated_worker.get(f"/mace/referrals/{referral.id}").status_code == 200
    db.expire_all()
    assert db.get(MaceReferral, referral.id).panel_id is None  # type: ignore[union-attr]


def test_the_panel_list_shows_contexts_and_persons_of_concern_as_well_as_children(
    allocated_worker: CsrfClient, hana: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    sam = _sam(db, demo)
    mapped = peer_group_mapped(db, sam, name="the skate park")
    adults = record_concern(
        session=db,
        actor=actor_for(sam),
        concern=ConcernInput.parse({"subject": "persons_of_concern", "description": "A man in a grey Audi"}),
    )
    decide_route(
        session=db,
        actor=actor_for(sam),
        concern_id=adults.id or 0,
        decision=DecisionInput.parse({"chosen": "hub_and_mace"}),
    )
    db.commit()
    for concern_id in (mapped.concern_id, adults.id):
        page = allocated_worker.get(f"/concerns/{concern_id}").get_data(as_text=True)
        assert "Refer to MACE" in page
        answer = allocated_worker.post(f"/concerns/{concern_id}/mace", data={"why": f"Referral {concern_id}"})
        assert answer.status_code == 303
    assert hana.post("/mace", data={"meets_on": "2027-01-19"}).status_code == 303
    panel = db.exec(select(MacePanel).where(MacePanel.meets_on == date(2027, 1, 19))).one()
    for referral in db.exec(select(MaceReferral)).all():
        assert hana.post(f"/mace/panels/{panel.id}", data={"referral_id": str(referral.id)}).status_code == 303
    listing = hana.get(f"/mace/panels/{panel.id}").get_data(as_text=True)
    assert "the skate park (A peer group or location)" in listing and "A person or people of concern" in listing
    assert f"Referral {mapped.concern_id}" in listing and f"Referral {adults.id}" in listing
