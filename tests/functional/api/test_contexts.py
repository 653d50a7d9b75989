"""Issue 12 over the API: mapping meetings and context conferences with their due dates computed in
England's working days (across Christmas, the clock frozen), read through the pages' queries. The
Hub reads mapping meetings; chairs, managers, QAS and the Hub read conferences; anyone else's token
gets an audited 403. A conference's answer names the group's members and no child's plan."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent, AuditKind
from app.demo.seed import DemoPeople
from app.plans.models import ChildStatement
from tests.functional.api.conftest import Tokens, bearer, make_token, practitioner_actor
from tests.support.conferences import conference_opened, plan_ready
from tests.support.hub import HUB_EMAIL, add_hub_worker
from tests.support.mace import peer_group_mapped
from tests.support.roles import practitioner_id

PROBLEM = "application/problem+json"


def _problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.data  # type: ignore[attr-defined]
    assert response.mimetype == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = json.loads(response.data)  # type: ignore[attr-defined]
    return body


@pytest.fixture
def hub_id(db: Session, demo: DemoPeople) -> int:
    worker = add_hub_worker(db, demo)
    db.commit()
    return worker.id or 0


def test_the_hub_reads_mapping_meetings_and_conferences_with_working_day_due_dates(
    api: FlaskClient, db: Session, demo: DemoPeople, hub_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam = practitioner_id(db, demo.social_worker_email)
    for where in ("app.mapping.operations", "app.conferences.operations"):
        monkeypatch.setattr(f"{where}.today", lambda: date(2026, 12, 24))
    waiting = peer_group_mapped(db, sam, name="the skate park")
    conference = conference_opened(db, sam, hub_id, name="the Eastgate lot")
    for where in ("app.mapping.queries", "app.conferences.queries"):
        monkeypatch.setattr(f"{where}.today", lambda: date(2027, 1, 21))
    db.commit()
    token = make_token(db, practitioner_actor(db, HUB_EMAIL))
    listed = api.get("/mapping-meetings", headers=bearer(token)).json
    assert listed["total"] == 2 and listed["pages"] == 1
    first = listed["items"][0]
    # Christmas Eve 2026 + 10 working days: Tuesday 12 January 2027; on the 21st, 7 working days late.
    assert (first["id"], first["due"], first["state"], first["working_days_late"]) == (
        waiting.id,
        "2027-01-12",
        "late",
        7,
    )
    assert listed["items"][1]["weighting"] == "high" and listed["items"][1]["conference_to_follow"] is True
    one = api.get(f"/mapping-meetings/{conference.mapping_id}", headers=bearer(token)).json
    assert one["weighting_reasons"] == "Daily recruiting at the park" and one["state"] == "done"
    conferences = api.get("/conferences", headers=bearer(token)).json
    item = conferences["items"][0]
    # + 15 working days: Tuesday 19 January 2027; on the 21st, 2 working days late.
    assert (item["id"], item["kind"], item["due"], item["late"], item["working_days_late"]) == (
        conference.id,
        "peer_group",
        "2027-01-19",
        True,
        2,
    )
    paged = api.get("/mapping-meetings?per_page=1&page=2", headers=bearer(token)).json
    assert paged["pages"] == 2 and len(paged["items"]) == 1 and paged["per_page"] == 1
    # Page sizes are capped (R20).
    _problem(api.get("/conferences?per_page=1000000", headers=bearer(token)), 422)
    _problem(api.get("/conferences/999999999", headers=bearer(token)), 404)
    _problem(api.get("/mapping-meetings/999999999", headers=bearer(token)), 404)


def test_a_chair_reads_a_conference_with_its_agenda_plan_and_review_but_no_childs_plan(
    api: FlaskClient, db: Session, demo: DemoPeople, hub_id: int
) -> None:
    priya = practitioner_id(db, demo.chair_email)
    conference = conference_opened(db, practitioner_id(db, demo.social_worker_email), hub_id)
    plan_ready(db, priya, conference, minutes=45)
    db.commit()
    token = make_token(db, practitioner_actor(db, demo.chair_email))
    body = api.get(f"/conferences/{conference.id}", headers=bearer(token)).json
    assert body["plan_minutes"] == 45 and body["plan_started"] == "14:00:00"
    assert body["actions"] == [
        {
            "domain": "target_contexts",
            "action": "patrol the park after school",
            "owner": "Police Youth Engagement Officer",
            "due_on": "2027-01-29",
        }
    ]
    assert [s["number"] for s in body["steps"]] == list(range(1, 11))
    assert body["steps"][4]["key"] == "safeguarding"
    text = json.dumps(body)
    statements = [s.text for s in db.exec(select(ChildStatement)).all()]
    assert statements and not [s for s in statements if s in text]
    _problem(api.get("/mapping-meetings", headers=bearer(token)), 403)


def test_a_token_of_someone_who_does_not_do_this_work_gets_an_audited_403(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, hub_id: int
) -> None:
    conference = conference_opened(db, practitioner_id(db, demo.social_worker_email), hub_id)
    db.commit()
    paths = (
        "/mapping-meetings",
        f"/mapping-meetings/{conference.mapping_id}",
        "/conferences",
        f"/conferences/{conference.id}",
    )
    for path in paths:
        before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
        body = _problem(api.get(path, headers=bearer(tokens.sam)), 403)
        assert "Eastgate" not in json.dumps(body)
        rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before)).all()
        denials = [r for r in rows if r.kind == AuditKind.DENIED]
        assert denials and all(r.api_token_id == tokens.sam.token.id for r in denials)
        _problem(api.get(path), 401)


def test_the_openapi_document_describes_the_context_operations(api: FlaskClient) -> None:
    paths = api.get("/openapi.json").json["paths"]
    assert paths["/conferences"]["get"]["operationId"] == "listConferences"
    one = paths["/conferences/{conference_id}"]["get"]
    assert one["operationId"] == "getConference" and {"403", "404"} <= set(one["responses"])
    assert paths["/mapping-meetings/{mapping_id}"]["get"]["operationId"] == "getMappingMeeting"
