"""Issue 11: the audit log over the API, through the audit search page's own scope and search.

A manager's token reads the rows about their team's children, in the page's words; a worker's
token is refused (403, audited by the policy); a child outside the manager's team is "not found"
(audited); the page size is capped; bad filters are 422 problems. The rows carry no plan content.
"""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent, AuditKind
from app.demo.seed import DemoPeople
from app.plans.models import ChildStatement
from tests.functional.api.conftest import Tokens, bearer, make_token, practitioner_actor
from tests.support.clients import CsrfClient

PROBLEM = "application/problem+json"


def _manager(db: Session, demo: DemoPeople) -> dict[str, str]:
    return bearer(make_token(db, practitioner_actor(db, demo.manager_email), name="Audit reader"))


def test_a_managers_token_reads_the_log_as_the_audit_page_shows_it(
    api: FlaskClient, manager: CsrfClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    # Sam reads Jordan's plan over the API: a row the manager will find, with Sam's token on it.
    assert api.get(f"/children/{demo.jordan_id}/plan", headers=bearer(tokens.sam)).status_code == 200
    headers = _manager(db, demo)
    sam = practitioner_actor(db, demo.social_worker_email).label
    found = api.get(f"/audit?actor={sam}&child_id={demo.jordan_id}&kind=read&per_page=5", headers=headers)
    assert found.status_code == 200, found.data
    body = found.get_json()
    assert body["per_page"] == 5 and body["page"] == 1 and body["total"] >= 1 and len(body["items"]) <= 5
    sentences = [row["sentence"] for row in body["items"]]
    assert "Sam Okafor, social worker, opened Jordan's full plan" in sentences
    assert {(row["who"], row["child_id"], row["kind"], row["outcome"]) for row in body["items"]} == {
        ("Sam Okafor", demo.jordan_id, "read", "Allowed")
    }
    # The same rows, in the same words, as the audit search page shows them.
    page = manager.get(f"/audit?actor={sam}&child_id={demo.jordan_id}&kind=read&per_page=5").get_data(as_text=True)
    for sentence in sentences:
        assert sentence.replace("'", "&#39;") in page
    # Newest first.
    times = [row["at"] for row in body["items"]]
    assert times == sorted(times, reverse=True)


def test_the_log_holds_no_plan_content(api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople) -> None:
    secret = "meet Dee behind the leisure centre"
    added = api.post(
        f"/children/{demo.jordan_id}/plan/draft/statements",
        json={"moment": "emergency", "kind": "will", "text": secret},
        headers=bearer(tokens.sam_read_write),
    )
    assert added.status_code == 201
    log = api.get(f"/audit?child_id={demo.jordan_id}&kind=write&per_page=100", headers=_manager(db, demo))
    assert log.status_code == 200
    text = log.get_data(as_text=True)
    assert "Sam Okafor, social worker, added an idea to Jordan's plan" in text
    assert secret not in text and "leisure" not in text
    assert db.get(ChildStatement, added.get_json()["id"]) is not None


def test_workers_tokens_are_refused_and_the_refusal_audited(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    for token in (tokens.sam, tokens.alex, tokens.sam_read_write):
        before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
        refused = api.get("/audit", headers=bearer(token))
        assert (refused.status_code, refused.mimetype) == (403, PROBLEM)
        db.expire_all()
        rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before)).all()
        assert {(r.kind, r.action, r.api_token_id) for r in rows if r.action != "api.call"} == {
            (AuditKind.DENIED, "audit.search", token.token.id)
        }


def test_a_child_outside_the_managers_team_is_not_found_and_audited(
    api: FlaskClient, db: Session, demo: DemoPeople
) -> None:
    headers = _manager(db, demo)
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    for child_id in (demo.kayla_id, 999_999):
        refused = api.get(f"/audit?child_id={child_id}", headers=headers)
        assert (refused.status_code, refused.mimetype) == (404, PROBLEM)
        assert "Kayla" not in refused.get_data(as_text=True)
    db.expire_all()
    denied = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.action == "audit.read")).all()
    assert sorted(r.child_id or 0 for r in denied if r.kind == AuditKind.DENIED) == sorted([demo.kayla_id, 999_999])
    # Without a child filter, the manager's team's rows only: never Kayla's.
    everything = api.get("/audit?per_page=100", headers=headers).get_json()
    assert everything["items"] and demo.kayla_id not in {row["child_id"] for row in everything["items"]}


def test_pages_are_capped_and_bad_filters_are_422_problems(api: FlaskClient, db: Session, demo: DemoPeople) -> None:
    headers = _manager(db, demo)
    first = api.get("/audit?per_page=2", headers=headers).get_json()
    second = api.get("/audit?per_page=2&page=2", headers=headers).get_json()
    assert len(first["items"]) == len(second["items"]) == 2 and first["pages"] >= 2
    assert first["items"] != second["items"]
    past = api.get(f"/audit?per_page=2&page={first['pages'] + 1}", headers=headers).get_json()
    assert past["items"] == []
    for query, field in (
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("actor=sam", "actor"),
        ("actor=practitioner:x", "actor"),
        ("kind=deleted", "kind"),
        ("from=2026-02-30", "from"),
        ("from=26-1-1", "from"),
        ("child_id=-1", "child_id"),
        ("from=2026-11-02&to=2026-11-01", "to"),
        ("colour=red", "colour"),
    ):
        bad = api.get(f"/audit?{query}", headers=headers)
        assert (bad.status_code, bad.mimetype) == (422, PROBLEM), query
        assert any(field in name for name in bad.get_json()["errors"]), (query, bad.get_json())
