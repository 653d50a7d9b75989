"""Issue 12, parts 1-2: a practitioner records a concern, assesses the young person (Safer Me
Assessment, risk grade with reasons, history kept), sees the pathway the flowchart proposes and
records the route decision. Refusals keep what was typed; the family never sees any of it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from app import SaferPlan
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.concerns.models import Assessment, Concern, RouteDecision
from app.demo.seed import DemoPeople
from app.people.models import Child
from tests.support.clients import CsrfClient, make_client
from tests.support.concerns import ASSESSMENT, concern_about
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as

DANGER = "If a child is in immediate danger call 999"


def _sam(db: Session, demo: DemoPeople) -> int:
    return practitioner_id(db, demo.social_worker_email)


def test_record_assess_and_route_a_concern_about_jordan(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    page = allocated_worker.get("/concerns/new")
    assert page.status_code == 200 and DANGER in page.get_data(as_text=True)
    assert f'<option value="{demo.jordan_id}"' in page.get_data(as_text=True)
    # Sam holds Jordan's case, not Kayla's: only Jordan is offered.
    assert f'<option value="{demo.kayla_id}"' not in page.get_data(as_text=True)
    answer = allocated_worker.post(
        "/concerns/new",
        data={"subject": "individual", "child_id": str(demo.jordan_id), "description": "Missing overnight twice"},
    )
    assert answer.status_code == 303
    concern = db.exec(select(Concern).order_by(col(Concern.id).desc())).first()
    assert concern is not None and concern.child_id == demo.jordan_id and concern.subject == "individual"
    assert answer.headers["Location"].endswith(f"/concerns/{concern.id}?done=recorded")

    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert DANGER in page and "Missing overnight twice" in page
    assert "Complete the Safer Me Assessment below" in page
    # Each grade has the seed's description beside it.
    assert "Needs can be addressed by a single agency" in page
    assert "require a multi-agency child protection plan" in page

    answer = allocated_worker.post(f"/concerns/{concern.id}/assessments", data=ASSESSMENT)
    assert answer.status_code == 303
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    # Jordan is open to Children's Social Work (demo): high risk -> Safer Me Plus.
    assert db.get(Child, demo.jordan_id).open_to_csw  # type: ignore[union-attr]
    assert "Safer Me Plus, as the alternative to an initial child protection conference" in page
    assert "Follow flow chart 2 of Working Together" in page
    assessment = db.exec(select(Assessment).where(Assessment.concern_id == concern.id)).one()
    based_on = re.search(r'name="based_on" value="(\d*)"', page)
    assert based_on and based_on.group(1) == str(assessment.id)

    answer = allocated_worker.post(
        f"/concerns/{concern.id}/decision",
        data={"chosen": "safer_me_plus", "reason": "", "based_on": based_on.group(1)},
    )
    assert answer.status_code == 303
    decision = db.exec(select(RouteDecision).where(RouteDecision.concern_id == concern.id)).one()
    assert (decision.proposed, decision.chosen, decision.reason) == ("safer_me_plus", "safer_me_plus", None)
    assert decision.decided_by_id == _sam(db, demo) and decision.assessment_id == assessment.id
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "As proposed" in page and "Decided by Sam" in page
    # The list shows it, with its grade and the pathway decided.
    listing = allocated_worker.get("/concerns").get_data(as_text=True)
    assert "High risk" in listing and "Safer Me Plus, as the alternative" in listing and DANGER in listing


def test_reassessment_keeps_history_newest_first_and_a_stale_decision_is_refused(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    concern = concern_about(db, _sam(db, demo), demo.jordan_id)
    db.commit()
    first = allocated_worker.post(f"/concerns/{concern.id}/assessments", data={**ASSESSMENT, "grade": "low"})
    assert first.status_code == 303
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    seen = re.search(r'name="based_on" value="(\d*)"', page)
    assert seen and "Help from universal services" in page
    # The re-assessment form starts from the latest assessment's words.
    assert "Seen with older youths at the station after dark</textarea>" in page
    second = allocated_worker.post(
        f"/concerns/{concern.id}/assessments", data={**ASSESSMENT, "grade": "medium", "reasons": "Now carrying"}
    )
    assert second.status_code == 303
    rows = db.exec(select(Assessment).where(Assessment.concern_id == concern.id).order_by(col(Assessment.id))).all()
    assert [row.grade for row in rows] == ["low", "medium"]
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    history = page[page.index("Assessments, newest first") :]
    assert history.index("Medium risk") < history.index("Low risk")
    # A decision made from the page opened before the re-assessment is refused, and says why.
    stale = allocated_worker.post(
        f"/concerns/{concern.id}/decision",
        data={"chosen": "universal_services", "reason": "keep it light", "based_on": seen.group(1)},
    )
    assert stale.status_code == 422
    body = stale.get_data(as_text=True)
    assert "Someone re-assessed this young person" in body and "keep it light</textarea>" in body
    assert db.exec(select(RouteDecision).where(RouteDecision.concern_id == concern.id)).first() is None


def test_a_different_pathway_needs_a_reason_and_keeps_it(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    concern = concern_about(db, _sam(db, demo), demo.jordan_id)
    db.commit()
    allocated_worker.post(f"/concerns/{concern.id}/assessments", data={**ASSESSMENT, "grade": "medium"})
    latest = db.exec(select(Assessment).where(Assessment.concern_id == concern.id)).one()
    refused = allocated_worker.post(
        f"/concerns/{concern.id}/decision", data={"chosen": "safer_me_plus", "reason": "", "based_on": str(latest.id)}
    )
    assert refused.status_code == 422
    assert "Say why you chose a different pathway" in refused.get_data(as_text=True)
    accepted = allocated_worker.post(
        f"/concerns/{concern.id}/decision",
        data={"chosen": "safer_me_plus", "reason": "Strategy discussion agreed s47", "based_on": str(latest.id)},
    )
    assert accepted.status_code == 303
    decision = db.exec(select(RouteDecision).where(RouteDecision.concern_id == concern.id)).one()
    assert decision.proposed == "safer_me_with_social_worker" and decision.chosen == "safer_me_plus"
    assert decision.reason == "Strategy discussion agreed s47"


def test_the_route_is_decided_once_for_each_assessment(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    concern = concern_about(db, _sam(db, demo), demo.jordan_id)
    db.commit()
    allocated_worker.post(f"/concerns/{concern.id}/assessments", data={**ASSESSMENT, "grade": "medium"})
    latest = db.exec(select(Assessment).where(Assessment.concern_id == concern.id)).one()
    decide = {"chosen": "safer_me_with_social_worker", "reason": "", "based_on": str(latest.id)}
    assert allocated_worker.post(f"/concerns/{concern.id}/decision", data=decide).status_code == 303
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Record the decision" not in page and "To decide again, re-assess the young person first." in page
    # A second decision on the same assessment (a second tab, a double press) is refused, keeping its words.
    again = allocated_worker.post(f"/concerns/{concern.id}/decision", data={**decide, "reason": "second go"})
    assert again.status_code == 422
    assert "already been decided" in again.get_data(as_text=True)
    assert "second go</textarea>" in again.get_data(as_text=True)
    assert len(db.exec(select(RouteDecision).where(RouteDecision.concern_id == concern.id)).all()) == 1
    # A re-assessment opens a new decision.
    allocated_worker.post(f"/concerns/{concern.id}/assessments", data={**ASSESSMENT, "grade": "low"})
    newest = db.exec(
        select(Assessment).where(Assessment.concern_id == concern.id).order_by(col(Assessment.id).desc())
    ).first()
    assert newest is not None
    after = allocated_worker.post(
        f"/concerns/{concern.id}/decision",
        data={"chosen": "universal_services", "reason": "", "based_on": str(newest.id)},
    )
    assert after.status_code == 303
    assert len(db.exec(select(RouteDecision).where(RouteDecision.concern_id == concern.id)).all()) == 2


def test_bad_assessment_gives_clear_errors_and_loses_nothing(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    concern = concern_about(db, _sam(db, demo), demo.jordan_id)
    db.commit()
    typed = {**ASSESSMENT, "grade": "", "reasons": "", "risks_harm": "Cash and a second phone"}
    answer = allocated_worker.post(f"/concerns/{concern.id}/assessments", data=typed)
    assert answer.status_code == 422
    body = answer.get_data(as_text=True)
    assert "Choose low, medium or high risk." in body and "Give the reasons for the grade." in body
    assert "Cash and a second phone</textarea>" in body and "Three missing episodes in a month</textarea>" in body
    no_risks = {**ASSESSMENT, **{f"risks_{key}": "" for key in ("harm", "places")}}
    answer = allocated_worker.post(f"/concerns/{concern.id}/assessments", data=no_risks)
    assert answer.status_code == 422 and "Write the risks you see in at least one area." in answer.get_data(
        as_text=True
    )
    assert db.exec(select(Assessment).where(Assessment.concern_id == concern.id)).first() is None


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"subject": "", "description": "x"}, "Choose what the concern is about."),
        ({"subject": "individual", "child_id": "", "description": "x"}, "Choose the young person."),
        ({"subject": "peer_group_or_location", "name": "", "description": "x"}, "Name the peer group or the place."),
        ({"subject": "persons_of_concern", "description": "  "}, "Describe the concern."),
    ],
)
def test_recording_a_concern_refuses_bad_input_keeping_what_was_typed(
    allocated_worker: CsrfClient, db: Session, form: dict[str, str], message: str
) -> None:
    before = len(db.exec(select(Concern)).all())
    answer = allocated_worker.post("/concerns/new", data={**form, "name": form.get("name", "Kept name")})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and message in body and DANGER in body
    if form.get("name", "Kept name"):
        assert 'value="Kept name"' in body
    assert len(db.exec(select(Concern)).all()) == before


def test_a_child_not_on_ones_cases_is_refused_like_a_missing_one(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    about_kayla = len(db.exec(select(Concern).where(Concern.child_id == demo.kayla_id)).all())
    answer = allocated_worker.post(
        "/concerns/new", data={"subject": "individual", "child_id": str(demo.kayla_id), "description": "About Kayla"}
    )
    assert answer.status_code == 422 and "Choose the young person." in answer.get_data(as_text=True)
    assert "About Kayla</textarea>" in answer.get_data(as_text=True)
    assert len(db.exec(select(Concern).where(Concern.child_id == demo.kayla_id)).all()) == about_kayla


def test_peer_group_concern_proposes_mapping_and_only_its_recorder_reads_it(
    allocated_worker: CsrfClient, unallocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    answer = allocated_worker.post(
        "/concerns/new",
        data={"subject": "peer_group_or_location", "name": "the Eastgate lot", "description": "Recruiting at the park"},
    )
    assert answer.status_code == 303
    concern = db.exec(select(Concern).order_by(col(Concern.id).desc())).first()
    assert concern is not None and concern.child_id is None
    page = allocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "A mapping meeting, context weighting, then a context conference" in page
    assert "within 10 working days" in page and "Safer Me Assessment</h2>" not in page
    decided = allocated_worker.post(
        f"/concerns/{concern.id}/decision", data={"chosen": "mapping_meeting", "based_on": ""}
    )
    assert decided.status_code == 303
    # Alex did not record it: "not found", audited as a denial.
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    assert unallocated_worker.get(f"/concerns/{concern.id}").status_code == 404
    denials = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.kind == "denied")).all()
    assert denials
    assert "the Eastgate lot" not in unallocated_worker.get("/concerns").get_data(as_text=True)
    assert unallocated_worker.post(f"/concerns/{concern.id}/assessments", data=ASSESSMENT).status_code == 404


def test_who_may_read_assess_and_route_a_concern_about_jordan(
    application: SaferPlan,
    allocated_worker: CsrfClient,
    unallocated_worker: CsrfClient,
    manager: CsrfClient,
    admin: CsrfClient,
    db: Session,
    demo: DemoPeople,
) -> None:
    concern = concern_about(db, _sam(db, demo), demo.jordan_id, text="Seen at the station at 2am")
    db.commit()
    # Alex is not on Jordan's case: not found, and no trace of the concern in the list.
    assert unallocated_worker.get(f"/concerns/{concern.id}").status_code == 404
    assert unallocated_worker.post(f"/concerns/{concern.id}/assessments", data=ASSESSMENT).status_code == 404
    assert "station at 2am" not in unallocated_worker.get("/concerns").get_data(as_text=True)
    # Sam's manager reads, assesses and decides (their team holds the case).
    page = manager.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "station at 2am" in page and "Save the assessment" in page
    # An admin never reads case material, and has no concerns pages at all.
    assert admin.get("/concerns").status_code == 404
    assert admin.get(f"/concerns/{concern.id}").status_code == 404
    assert "/concerns" not in admin.get("/").get_data(as_text=True)
    assert 'href="/concerns"' in allocated_worker.get("/").get_data(as_text=True)


def test_an_agency_partner_may_raise_a_concern_but_not_read_it(
    application: SaferPlan, db: Session, demo: DemoPeople
) -> None:
    rhys = make_client(application.practitioner)
    sign_in_as(
        rhys,
        session=db,
        account_kind=AccountKind.PRACTITIONER,
        account_id=practitioner_id(db, demo.agency_partner_email),
    )
    answer = rhys.post(
        "/concerns/new",
        data={"subject": "individual", "child_id": str(demo.jordan_id), "description": "Stopped with a knife"},
    )
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/concerns?done=recorded")
    concern = db.exec(select(Concern).order_by(col(Concern.id).desc())).first()
    assert concern is not None and concern.child_id == demo.jordan_id
    assert rhys.get(f"/concerns/{concern.id}").status_code == 404
    assert "Stopped with a knife" not in rhys.get("/concerns").get_data(as_text=True)


def test_the_family_never_sees_a_concern(
    allocated_worker: CsrfClient,
    young_person: CsrfClient,
    parent: CsrfClient,
    trusted_adult: CsrfClient,
    db: Session,
    demo: DemoPeople,
) -> None:
    canary = "CANARY-concern-7f3a"
    concern = concern_about(db, _sam(db, demo), demo.jordan_id, text=canary)
    db.commit()
    allocated_worker.post(f"/concerns/{concern.id}/assessments", data={**ASSESSMENT, "reasons": canary + " reasons"})
    for client in (young_person, parent, trusted_adult):
        for path in ("/", f"/children/{demo.jordan_id}/plan", f"/concerns/{concern.id}", "/concerns"):
            response = client.get(path)
            assert canary not in response.get_data(as_text=True)
        assert client.get(f"/concerns/{concern.id}").status_code == 404


def test_concern_text_is_encrypted_at_rest(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    concern = concern_about(db, _sam(db, demo), demo.jordan_id, text="PLAINTEXT-CANARY-91")
    db.commit()
    raw = (
        db.connection().execute(text("SELECT description FROM concern WHERE id = :id"), {"id": concern.id}).scalar_one()
    )
    assert "PLAINTEXT-CANARY-91" not in raw and concern.description == "PLAINTEXT-CANARY-91"


def test_the_demo_has_kays_assessed_concern_proposing_a_hub_enquiry(
    unallocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    concern = db.exec(select(Concern).where(Concern.child_id == demo.kayla_id)).one()
    listing = unallocated_worker.get("/concerns").get_data(as_text=True)
    assert "Kayla Brooks" in listing and "High risk" in listing
    page = unallocated_worker.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "An Adolescent Safety Hub enquiry, then Safer Me Plus" in page
