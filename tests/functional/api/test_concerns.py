"""Issue 12 over the API (issue 11's conventions): concerns with their Safer Me Assessments, the
pathway proposed now and the route decisions; the Adolescent Safety Hub's queue with its due
dates in England's working days. Read through the same queries as the pages, so the same policy:
Alex's token never reads Jordan's concern (404, audited with the token's id)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.api.operations import NewToken
from app.audit.models import AuditEvent, AuditKind
from app.concerns.inputs import DecisionInput
from app.concerns.models import Concern
from app.concerns.operations import decide_route
from app.demo.seed import DemoPeople
from app.hub.inputs import HubDecisionInput
from app.hub.operations import decide_enquiry
from tests.functional.api.conftest import Tokens, bearer, make_token, practitioner_actor
from tests.support.concerns import ASSESSMENT, actor_for, assessed, concern_about, peer_group_concern
from tests.support.hub import HUB_EMAIL, add_hub_worker, enquiry_about_kayla
from tests.support.roles import practitioner_id

PROBLEM = "application/problem+json"


def _last_audit_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def _problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.data  # type: ignore[attr-defined]
    assert response.mimetype == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = json.loads(response.data)  # type: ignore[attr-defined]
    assert body["status"] == status and body["title"]
    return body


def _jordans_routed_concern(db: Session, demo: DemoPeople) -> Concern:
    """Sam's concern about Jordan: assessed medium, then re-assessed high, and routed (Safer Me Plus)."""
    sam = practitioner_id(db, demo.social_worker_email)
    concern = concern_about(db, sam, demo.jordan_id, text="Missing overnight twice")
    assessed(db, sam, concern, grade="medium", reasons="First look: two missing episodes")
    latest = assessed(db, sam, concern, grade="high")
    decide_route(
        session=db,
        actor=actor_for(sam),
        concern_id=concern.id or 0,
        decision=DecisionInput.parse({"chosen": "safer_me_plus", "based_on": latest.id}),
    )
    db.commit()
    return concern


def test_sam_reads_jordans_concern_with_assessments_newest_first_proposal_and_decision(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    concern = _jordans_routed_concern(db, demo)
    response = api.get(f"/concerns/{concern.id}", headers=bearer(tokens.sam))
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.json
    assert (body["id"], body["subject"], body["child_id"]) == (concern.id, "individual", demo.jordan_id)
    assert body["description"] == "Missing overnight twice" and body["name"] is None
    assert body["recorded_by"] == "Sam Okafor"
    # Every assessment, newest first: the re-assessment (high), then the first (medium).
    assert [a["grade"] for a in body["assessments"]] == ["high", "medium"]
    newest = body["assessments"][0]
    assert newest["reasons"] == ASSESSMENT["reasons"] and newest["impact"] == ASSESSMENT["impact_of_harm"]
    assert newest["areas"]["harm"] == {"risks": ASSESSMENT["risks_harm"], "protective": ASSESSMENT["protective_harm"]}
    assert newest["areas"]["needs"] == {"risks": "", "protective": ""}
    assert newest["assessed_by"] == "Sam Okafor"
    assert body["assessments"][1]["reasons"] == "First look: two missing episodes"
    # Jordan is open to Children's Social Work: high risk proposes Safer Me Plus, with the flowchart's steps.
    proposed = body["proposed"]
    assert proposed["pathway"] == "safer_me_plus"
    assert proposed["name"] == "Safer Me Plus, as the alternative to an initial child protection conference"
    assert len(proposed["steps"]) == 2 and "Working Together" in proposed["steps"][0]
    assert body["based_on"] == newest["id"] and body["decided"] is True
    [decision] = body["decisions"]
    assert decision["proposed"] == decision["chosen"] == "safer_me_plus"
    assert decision["assessment_id"] == newest["id"] and decision["reason"] is None
    assert decision["decided_by"] == "Sam Okafor" and decision["decided_at"]


def test_jordans_concerns_list_has_the_latest_grade_proposal_and_decisions(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    routed = _jordans_routed_concern(db, demo)
    fresh = concern_about(db, practitioner_id(db, demo.social_worker_email), demo.jordan_id, text="New worry")
    db.commit()
    body = api.get(f"/children/{demo.jordan_id}/concerns", headers=bearer(tokens.sam)).json
    assert body["child_id"] == demo.jordan_id
    # Newest first: the fresh one (not yet assessed: no grade, nothing proposed), then the routed one.
    assert [item["id"] for item in body["items"]] == [fresh.id, routed.id]
    first, second = body["items"]
    assert (first["latest_grade"], first["proposed_pathway"], first["decisions"]) == (None, None, [])
    assert (second["latest_grade"], second["proposed_pathway"]) == ("high", "safer_me_plus")
    assert [d["chosen"] for d in second["decisions"]] == ["safer_me_plus"]
    # A list carries no concern's words: those are read one concern at a time.
    assert "description" not in first and "assessments" not in second
    # Alex's token reads Kayla's concerns (the demo has one), none of Jordan's.
    kaylas = api.get(f"/children/{demo.kayla_id}/concerns", headers=bearer(tokens.alex)).json["items"]
    assert kaylas and {item["child_id"] for item in kaylas} == {demo.kayla_id}


@pytest.mark.parametrize("path", ["/concerns/{concern}", "/children/{jordan}/concerns"])
def test_alex_gets_404_for_jordans_concerns_audited_with_his_token(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, path: str
) -> None:
    concern = _jordans_routed_concern(db, demo)
    before = _last_audit_id(db)
    url = path.format(concern=concern.id, jordan=demo.jordan_id)
    body = _problem(api.get(url, headers=bearer(tokens.alex)), 404)
    # The same answer as for a concern or child that does not exist, and none of the concern's words.
    missing = _problem(api.get(path.format(concern=999999, jordan=999999), headers=bearer(tokens.alex)), 404)
    assert body == missing
    assert "Missing overnight" not in json.dumps(body)
    rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before).order_by(col(AuditEvent.id))).all()
    denials = [r for r in rows if r.kind == AuditKind.DENIED and r.action == "concern.read"]
    assert denials and denials[0].child_id == demo.jordan_id
    assert all(r.api_token_id == tokens.alex.token.id for r in denials)
    calls = [r for r in rows if r.action == "api.call"]
    assert calls[0].detail.endswith(" 404") and calls[0].api_token_id == tokens.alex.token.id


def test_a_read_only_and_a_read_and_change_token_both_read_and_the_read_is_audited(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    concern = _jordans_routed_concern(db, demo)
    for token in (tokens.sam, tokens.sam_read_write):
        before = _last_audit_id(db)
        assert api.get(f"/concerns/{concern.id}", headers=bearer(token)).status_code == 200
        reads = db.exec(
            select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.action == "concern.read")
        ).all()
        assert [(r.kind, r.child_id, r.api_token_id) for r in reads] == [
            (AuditKind.READ, demo.jordan_id, token.token.id)
        ]
    # No write is offered on a concern: a write method is 405 with Allow, for either token.
    response = api.put(f"/concerns/{concern.id}", headers=bearer(tokens.sam_read_write))
    _problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_a_peer_group_concern_is_its_recorders_alone(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    concern = peer_group_concern(db, practitioner_id(db, demo.social_worker_email), name="the Eastgate lot")
    db.commit()
    body = api.get(f"/concerns/{concern.id}", headers=bearer(tokens.sam)).json
    assert (body["subject"], body["name"], body["child_id"]) == ("peer_group_or_location", "the Eastgate lot", None)
    assert body["assessments"] == [] and body["proposed"]["pathway"] == "mapping_meeting"
    assert "10 working days" in body["proposed"]["steps"][0]
    _problem(api.get(f"/concerns/{concern.id}", headers=bearer(tokens.alex)), 404)


@pytest.fixture
def hub_token(db: Session, demo: DemoPeople) -> NewToken:
    add_hub_worker(db, demo)
    db.commit()
    return make_token(db, practitioner_actor(db, HUB_EMAIL), name="Hub queue")


def test_the_hub_reads_its_queue_with_due_dates_in_working_days(
    monkeypatch: pytest.MonkeyPatch, api: FlaskClient, db: Session, demo: DemoPeople, hub_token: NewToken
) -> None:
    # The clock frozen on Thursday 24 December 2026 when the route is decided: due Tuesday 29th.
    monkeypatch.setattr("app.hub.operations.today", lambda: date(2026, 12, 24))
    enquiry = enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email))
    db.commit()
    monkeypatch.setattr("app.hub.queries.today", lambda: date(2026, 12, 29))
    body = api.get("/hub/enquiries", headers=bearer(hub_token)).json
    [row] = body["open"]
    assert body["decided"] == []
    assert (row["id"], row["concern_id"], row["child_id"]) == (enquiry.id, enquiry.concern_id, demo.kayla_id)
    assert (row["opened"], row["due"]) == ("2026-12-24", "2026-12-29")
    assert (row["state"], row["late"], row["working_days_late"], row["decision"]) == ("today", False, 0, None)
    # Thursday 31st: Wednesday 30th and Thursday 31st are working days past the due date.
    monkeypatch.setattr("app.hub.queries.today", lambda: date(2026, 12, 31))
    [row] = api.get("/hub/enquiries", headers=bearer(hub_token)).json["open"]
    assert (row["state"], row["late"], row["working_days_late"]) == ("late", True, 2)


def test_a_decided_enquiry_carries_its_decision_and_is_late_only_if_decided_late(
    monkeypatch: pytest.MonkeyPatch, api: FlaskClient, db: Session, demo: DemoPeople, hub_token: NewToken
) -> None:
    enquiry = enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email))
    decide_enquiry(
        session=db,
        actor=practitioner_actor(db, HUB_EMAIL),
        enquiry_id=enquiry.id or 0,
        decision=HubDecisionInput.parse({"level": "safer_me_plus", "action": "Strategy discussion with police"}),
    )
    db.commit()
    # Looked at long after: decided on the day received, so it was not late.
    monkeypatch.setattr("app.hub.queries.today", lambda: date(2099, 1, 5))
    body = api.get("/hub/enquiries", headers=bearer(hub_token)).json
    assert body["open"] == []
    [row] = body["decided"]
    assert row["id"] == enquiry.id and (row["late"], row["working_days_late"]) == (False, 0)
    decision = row["decision"]
    assert decision["level"] == "safer_me_plus" and decision["action"] == "Strategy discussion with police"
    assert decision["decided_at"] and decision["mace_notified_at"]


def test_the_hub_reads_one_enquiry_and_the_read_is_audited_against_the_young_person(
    api: FlaskClient, db: Session, demo: DemoPeople, hub_token: NewToken
) -> None:
    enquiry = enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email), text="Seen in a car")
    db.commit()
    before = _last_audit_id(db)
    response = api.get(f"/hub/enquiries/{enquiry.id}", headers=bearer(hub_token))
    assert response.status_code == 200, response.data
    body = response.json
    assert (body["id"], body["child_id"], body["subject"]) == (enquiry.id, demo.kayla_id, "individual")
    assert body["description"] == "Seen in a car" and body["route"] == "hub_enquiry"
    assert body["referred_by"].startswith("Alex") and body["open_to_csw"] is False
    assert body["grade"] == "high" and body["reasons"] == ASSESSMENT["reasons"]
    assert body["areas"]["harm"]["risks"] == ASSESSMENT["risks_harm"]
    assert body["opened"] == enquiry.received_on.isoformat() and body["due"] == enquiry.due_on.isoformat()
    assert body["decision"] is None and body["decided_by"] is None
    reads = db.exec(
        select(AuditEvent)
        .where(col(AuditEvent.id) > before, AuditEvent.action == "hub.work")
        .order_by(col(AuditEvent.id))
    ).all()
    # The policy's account-wide "hub.work", then the read of Kay's record: both with the token's id.
    assert [(r.kind, r.child_id, r.api_token_id) for r in reads] == [
        (AuditKind.READ, None, hub_token.token.id),
        (AuditKind.READ, demo.kayla_id, hub_token.token.id),
    ]
    _problem(api.get("/hub/enquiries/999999999", headers=bearer(hub_token)), 404)


def test_a_token_of_someone_outside_the_hub_gets_an_audited_403(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email), text="Seen in a car with adults")
    db.commit()
    enquiry = enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email), text="Another")
    db.commit()
    for token, path in ((tokens.sam, "/hub/enquiries"), (tokens.alex, f"/hub/enquiries/{enquiry.id}")):
        before = _last_audit_id(db)
        body = _problem(api.get(path, headers=bearer(token)), 403)
        assert "Kayla" not in json.dumps(body) and "open" not in body
        rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before)).all()
        denials = [r for r in rows if r.kind == AuditKind.DENIED and r.action == "hub.work"]
        assert denials and all(r.api_token_id == token.token.id for r in denials)
        assert any(r.action == "api.call" and r.detail.endswith(" 403") for r in rows)
    _problem(api.get("/hub/enquiries"), 401)


def test_the_openapi_document_describes_the_concern_and_hub_operations(api: FlaskClient) -> None:
    document = api.get("/openapi.json").json
    paths = document["paths"]
    assert paths["/concerns/{concern_id}"]["get"]["operationId"] == "getConcern"
    assert paths["/children/{child_id}/concerns"]["get"]["operationId"] == "listChildConcerns"
    hub = paths["/hub/enquiries"]["get"]
    assert hub["operationId"] == "listHubEnquiries" and "403" in hub["responses"]
    one = paths["/hub/enquiries/{enquiry_id}"]["get"]
    assert one["operationId"] == "getHubEnquiry" and {"403", "404"} <= set(one["responses"])
    assert PROBLEM in hub["responses"]["403"]["content"]
    schemas = document["components"]["schemas"]
    assert {"ConcernOut", "ChildConcerns", "HubQueueOut", "HubEnquiryOut", "AssessmentOut"} <= set(schemas)
    assert "due" in schemas["HubEnquiryOut"]["properties"]
    parameters = {p["name"]: p for p in paths["/concerns/{concern_id}"]["get"]["parameters"]}
    assert parameters["concern_id"]["schema"]["maximum"] == 2**31 - 1


@pytest.mark.parametrize("shown", ["9223372036854775808", "99999999999999999999", "2147483648", "arabic", "fullwidth"])
@pytest.mark.parametrize("rule", ["/concerns/{id}", "/children/{jordan}/concerns"])
def test_path_ids_the_column_cannot_hold_or_in_other_digits_are_a_missing_records_404(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, shown: str, rule: str
) -> None:
    """R29 on the new paths: as a missing record (never a 5xx, never the record itself)."""
    concern = _jordans_routed_concern(db, demo)
    real = concern.id if "{id}" in rule else demo.jordan_id
    assert real is not None
    digits = {
        "arabic": "".join(chr(0x0660 + int(d)) for d in str(real)),
        "fullwidth": "".join(chr(0xFF10 + int(d)) for d in str(real)),
    }
    value = digits.get(shown, shown)
    missing = _problem(api.get(rule.format(id=999999999, jordan=999999999), headers=bearer(tokens.sam)), 404)
    assert _problem(api.get(rule.format(id=value, jordan=value), headers=bearer(tokens.sam)), 404) == missing
    # The real id, in ASCII digits, is Sam's to read.
    assert api.get(rule.format(id=real, jordan=real), headers=bearer(tokens.sam)).status_code == 200
