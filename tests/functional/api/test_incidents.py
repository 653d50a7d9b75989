"""Issue 10 item 6 over the API: a case's incidents (newest first) with the review as it stands, and
recording one that brings the review forward, through the same services as the pages. Alex's token
never reaches Jordan's incidents (404, audited); a read token may not record (403); a review moved
meanwhile is a 409 with the review as it is now (R24)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent, AuditKind
from app.demo.seed import DemoPeople
from app.incidents.models import Incident
from tests.functional.api.conftest import Tokens, bearer
from tests.support.incidents import freeze

PROBLEM = "application/problem+json"
# Tuesday 1 December 2026: the demo's review of Jordan's plan is on Monday 14 December.
TUESDAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, TUESDAY)


def _body(seen: dict[str, object], **fields: object) -> dict[str, object]:
    return {
        "kind": "missing_episode",
        "occurred_at": "2026-11-30T22:15:00+00:00",
        "what_happened": "Missing overnight; found in a car with two adults",
        "review": "bring_forward",
        "new_review_date": "2026-12-08",
        "review_revision": seen["review_revision"],
        "review_version": seen["review_version"],
        **fields,
    }


def test_sam_lists_and_records_an_incident_that_brings_jordans_review_forward(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    listed = api.get(f"/children/{demo.jordan_id}/incidents", headers=bearer(tokens.sam))
    assert listed.status_code == 200
    before = listed.get_json()
    review = before["review"]
    assert before["items"] == [] and review["review_date"] == "2026-12-14"
    assert review["latest_new_date"] == "2026-12-08" and review["proposed_new_date"] == "2026-12-08"
    assert "missing" in review["review_trigger"]
    made = api.post(f"/children/{demo.jordan_id}/incidents", json=_body(review), headers=bearer(tokens.sam_read_write))
    assert made.status_code == 201, made.data
    row = made.get_json()
    assert (row["kind"], row["review_choice"], row["review_was"], row["review_moved_to"]) == (
        "missing_episode",
        "bring_forward",
        "2026-12-14",
        "2026-12-08",
    )
    assert row["recorded_by"] == "Sam Okafor"
    after = api.get(f"/children/{demo.jordan_id}/incidents", headers=bearer(tokens.sam)).get_json()
    assert after["review"]["review_date"] == "2026-12-08" and [i["id"] for i in after["items"]] == [row["id"]]
    # The caseload answers the same review date.
    children = api.get("/children", headers=bearer(tokens.sam)).get_json()
    jordan = next(c for c in children["items"] if c["id"] == demo.jordan_id)
    assert jordan["review_date"] == "2026-12-08"
    # The same body again states a review that has moved on: a conflict, with the review as it is now.
    again = api.post(f"/children/{demo.jordan_id}/incidents", json=_body(review), headers=bearer(tokens.sam_read_write))
    assert again.status_code == 409 and again.mimetype == PROBLEM
    assert json.loads(again.data)["review"]["review_date"] == "2026-12-08"
    assert len(db.exec(select(Incident)).all()) == 1


@pytest.mark.parametrize(
    ("fields", "box"),
    [
        ({"occurred_at": "2026-12-02T09:00:00+00:00"}, "occurred_at"),
        ({"occurred_at": 12}, "occurred_at"),
        # Before the first UTC moment once the offset is taken off: refused, never a server error.
        ({"occurred_at": "0001-01-01T00:00+01:00"}, "occurred_at"),
        ({"occurred_at": "2025-06-01T09:00"}, "occurred_at"),
        ({"new_review_date": "2026-12-09"}, "new_review_date"),
        ({"new_review_date": "2026-12-05"}, "new_review_date"),
        ({"review": "postpone"}, "review"),
        ({"review": "keep"}, "kept_because"),
        ({"review_revision": None}, "review_revision"),
        ({"what_happened": ""}, "what_happened"),
    ],
)
def test_a_refused_body_names_the_field(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, fields: dict[str, object], box: str
) -> None:
    review = api.get(f"/children/{demo.jordan_id}/incidents", headers=bearer(tokens.sam)).get_json()["review"]
    answer = api.post(
        f"/children/{demo.jordan_id}/incidents", json=_body(review, **fields), headers=bearer(tokens.sam_read_write)
    )
    assert answer.status_code == 422 and answer.mimetype == PROBLEM
    assert box in json.loads(answer.data)["errors"]
    assert db.exec(select(Incident)).first() is None


def test_alex_never_reaches_jordans_incidents_and_a_read_token_never_records(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    path = f"/children/{demo.jordan_id}/incidents"
    assert api.get(path, headers=bearer(tokens.alex)).status_code == 404
    # Not even a refusal of the body tells Alex anything: "not found", as for a child that is not there.
    assert api.post(path, json={"kind": "x"}, headers=bearer(tokens.alex)).status_code in (403, 404)
    denials = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.kind == AuditKind.DENIED)).all()
    assert any(d.child_id == demo.jordan_id for d in denials)
    assert api.post(path, json={"kind": "arrest"}, headers=bearer(tokens.sam)).status_code == 403
    assert db.exec(select(Incident)).first() is None
