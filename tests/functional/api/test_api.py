"""The API door (/api/v1): tokens only, problem details, the caseload and plans, object-level access."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app import SaferPlan
from app.api.models import ApiToken
from app.api.operations import revoke_token
from app.audit.models import AuditEvent, AuditKind
from app.demo.seed import DemoPeople
from app.people.models import Practitioner
from app.timeutil import today, utcnow
from tests.factories import people
from tests.functional.api.conftest import Tokens, bearer, practitioner_actor

PROBLEM = "application/problem+json"


def _problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.data  # type: ignore[attr-defined]
    assert response.mimetype == PROBLEM  # type: ignore[attr-defined]
    body = response.json if response.is_json else json.loads(response.data)  # type: ignore[attr-defined]
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    return body


def _audit_after(db: Session, before: int) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(col(AuditEvent.id) > before).order_by(col(AuditEvent.id))).all())


def _last_audit_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer sp_pat_not-a-real-token"},
        {"Authorization": "Basic c2FtOnBhc3N3b3Jk"},
        {"Authorization": "bearer " + "x" * 500},
    ],
)
def test_no_token_or_a_bad_one_is_401_with_www_authenticate(
    api: FlaskClient, tokens: Tokens, headers: dict[str, str]
) -> None:
    response = api.get("/children", headers=headers)
    body = _problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="api"')
    assert "items" not in body


def test_expired_and_revoked_tokens_are_401(api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople) -> None:
    assert api.get("/children", headers=bearer(tokens.sam)).status_code == 200
    row = db.exec(select(ApiToken).where(ApiToken.id == tokens.sam.token.id)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()
    _problem(api.get("/children", headers=bearer(tokens.sam)), 401)
    revoke_token(session=db, actor=practitioner_actor(db, demo.other_worker_email), token_id=tokens.alex.token.id or 0)
    db.commit()
    _problem(api.get("/children", headers=bearer(tokens.alex)), 401)


def test_cookies_are_ignored_and_none_is_set(
    api: FlaskClient, allocated_worker: FlaskClient, application: SaferPlan, tokens: Tokens
) -> None:
    # Sam's signed-in practitioner cookie, sent to the API, signs no one in there.
    cookie = allocated_worker.get_cookie(application.settings.practitioner.cookie_name)
    assert cookie is not None
    api.set_cookie(cookie.key, cookie.value)
    api.set_cookie("session", "anything")
    response = api.get("/children")
    _problem(response, 401)
    assert "Set-Cookie" not in response.headers
    response = api.get("/children", headers=bearer(tokens.sam))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_unknown_paths_are_404_and_wrong_methods_405_with_allow(api: FlaskClient, tokens: Tokens) -> None:
    _problem(api.get("/no-such-thing", headers=bearer(tokens.sam)), 404)
    response = api.delete("/children", headers=bearer(tokens.sam_read_write))
    _problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}
    # A read-only token asking the wrong method is told the method is wrong, not that it may not write.
    response = api.post("/children", headers=bearer(tokens.sam))
    _problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_bad_query_values_are_422_problems_naming_the_field(api: FlaskClient, tokens: Tokens) -> None:
    body = _problem(api.get("/children?per_page=101", headers=bearer(tokens.sam)), 422)
    assert "per_page" in body["errors"]  # type: ignore[operator]
    body = _problem(api.get("/children?page=0&per_page=abc", headers=bearer(tokens.sam)), 422)
    assert {"page", "per_page"} <= set(body["errors"])  # type: ignore[arg-type]
    # R20: a page of a million rows is refused, not served.
    _problem(api.get("/children?per_page=1000000", headers=bearer(tokens.sam)), 422)


def test_sams_caseload_has_jordan_with_review_date_and_overdue_flag(
    api: FlaskClient, tokens: Tokens, demo: DemoPeople
) -> None:
    body = api.get("/children", headers=bearer(tokens.sam)).json
    assert body["total"] == len(body["items"]) >= 1
    assert (body["page"], body["pages"], body["per_page"]) == (1, 1, 50)
    jordan = next(item for item in body["items"] if item["id"] == demo.jordan_id)
    assert jordan["preferred_name"] == "Jordan"
    assert jordan["review_date"] == "2026-12-14"
    assert jordan["overdue"] is (date(2026, 12, 14) < today())
    assert demo.kayla_id not in {item["id"] for item in body["items"]}


def test_the_caseload_is_paged_with_a_cap(api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople) -> None:
    """The work tray's paging (the database cuts the page): Jordan, then two cases with no plan yet."""
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    for first in ("Bea", "Cal"):
        people.assign(db, sam, people.child(db, first_name=first, last_name="Test", date_of_birth=date(2011, 1, 1)))
    db.commit()
    everything = api.get("/children", headers=bearer(tokens.sam)).json
    total = everything["total"]
    assert total == 3 and everything["items"][0]["id"] == demo.jordan_id
    assert [item["preferred_name"] for item in everything["items"][1:]] == ["Bea", "Cal"]
    pages = [api.get(f"/children?per_page=1&page={n}", headers=bearer(tokens.sam)).json for n in range(1, total + 1)]
    # One row a page, in the same order as the whole list, each page saying where it is.
    assert [page["items"][0] for page in pages] == everything["items"]
    assert all(
        (p["page"], p["pages"], p["per_page"], p["total"]) == (n, total, 1, total) for n, p in enumerate(pages, 1)
    )
    # Past the last page: no items (a sync that pages on until a page is empty stops).
    after = api.get(f"/children?per_page=1&page={total + 1}", headers=bearer(tokens.sam)).json
    assert after["items"] == [] and after["page"] == total + 1 and after["total"] == total
    # A page so far past the end that its offset is past a 32-bit integer: still an empty page, not a 500.
    far = api.get("/children?per_page=50&page=2147483646", headers=bearer(tokens.sam))
    assert far.status_code == 200 and far.json["items"] == [] and far.json["total"] == total


def test_the_caseload_is_narrowed_by_the_home_pages_filters(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    """Jordan's demo plan (a Safer Me plan with agency actions overdue since November) beside two
    new cases with no plan: each filter narrows the list as the work tray's does."""
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    for first in ("Bea", "Cal"):
        people.assign(db, sam, people.child(db, first_name=first, last_name="Test", date_of_birth=date(2011, 1, 1)))
    db.commit()

    def ids(query: str) -> list[int]:
        body = api.get(f"/children?{query}", headers=bearer(tokens.sam)).json
        assert body["total"] == len(body["items"]), query
        return [item["id"] for item in body["items"]]

    assert len(ids("")) == 3
    assert ids("overdue=true") == [demo.jordan_id]
    assert ids("meeting_type=safer_me") == [demo.jordan_id]
    assert ids("meeting_type=safer_me_plus") == []
    assert len(ids("role=allocated_worker")) == 3
    # Sam manages no one: no team cases he holds no part in.
    assert ids("role=team") == []
    assert ids("overdue=false&meeting_type=safer_me&per_page=1") == [demo.jordan_id]
    for bad, field in (("overdue=perhaps", "overdue"), ("meeting_type=plus", "meeting_type"), ("role=boss", "role")):
        body = _problem(api.get(f"/children?{bad}", headers=bearer(tokens.sam)), 422)
        assert field in body["errors"], bad  # type: ignore[operator]


def test_jordans_case_plan_and_versions_for_sam(api: FlaskClient, tokens: Tokens, demo: DemoPeople) -> None:
    case = api.get(f"/children/{demo.jordan_id}", headers=bearer(tokens.sam)).json
    assert case["id"] == demo.jordan_id and case["first_name"] == "Jordan" and case["may_edit"] is True
    plan = api.get(f"/children/{demo.jordan_id}/plan", headers=bearer(tokens.sam)).json
    assert plan["child_id"] == demo.jordan_id
    assert plan["draft"]["agreed"] is False
    assert plan["draft"]["statements"] and plan["draft"]["actions"]
    agreed = plan["agreed_versions"]
    assert agreed and all(v["agreed_on"] for v in agreed)
    number = agreed[0]["number"]
    version = api.get(f"/children/{demo.jordan_id}/versions/{number}", headers=bearer(tokens.sam)).json
    assert version["number"] == number and version["agreed"] is True
    assert version["review_date"] == agreed[0]["review_date"]
    _problem(api.get(f"/children/{demo.jordan_id}/versions/999", headers=bearer(tokens.sam)), 404)


@pytest.mark.parametrize("path", ["/children/{id}", "/children/{id}/plan", "/children/{id}/versions/1"])
def test_alex_gets_404_for_jordan_and_the_refusal_is_audited_with_the_token(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, path: str
) -> None:
    before = _last_audit_id(db)
    body = _problem(api.get(path.format(id=demo.jordan_id), headers=bearer(tokens.alex)), 404)
    assert "Jordan" not in json.dumps(body)
    rows = _audit_after(db, before)
    denials = [r for r in rows if r.kind == AuditKind.DENIED and r.child_id == demo.jordan_id]
    assert denials, rows
    assert all(r.api_token_id == tokens.alex.token.id for r in denials)
    assert any(r.action == "plan.read_full" for r in denials)
    # Kayla, on Alex's caseload, he may read.
    assert (
        api.get(path.format(id=demo.kayla_id).replace("/versions/1", "/plan"), headers=bearer(tokens.alex)).status_code
        == 200
    )


def test_every_call_is_audited_with_the_token_id(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    before = _last_audit_id(db)
    api.get("/children", headers=bearer(tokens.sam))
    api.get(f"/children/{demo.jordan_id}/plan", headers=bearer(tokens.sam))
    api.get("/children", headers=bearer("sp_pat_wrong"))
    rows = _audit_after(db, before)
    calls = [r for r in rows if r.action == "api.call"]
    assert [c.detail for c in calls] == [
        "GET /children 200",
        "GET /children/<int:child_id>/plan 200",
        "GET /children 401",
    ]
    assert calls[0].api_token_id == calls[1].api_token_id == tokens.sam.token.id
    assert calls[1].child_id == demo.jordan_id
    assert calls[2].api_token_id is None and calls[2].actor == "anonymous" and calls[2].kind == AuditKind.DENIED
    # The policy's own reads carry the token too.
    reads = [r for r in rows if r.action == "plan.read_full"]
    assert reads and all(r.api_token_id == tokens.sam.token.id for r in reads)
    # The raw token is nowhere in the log.
    assert all(tokens.sam.raw not in (r.detail + r.actor) for r in rows)


def test_token_last_used_is_recorded(api: FlaskClient, db: Session, tokens: Tokens) -> None:
    assert tokens.sam.token.last_used_at is None
    api.get("/children", headers=bearer(tokens.sam))
    db.expire_all()
    assert db.get(ApiToken, tokens.sam.token.id).last_used_at is not None  # type: ignore[union-attr]


def test_too_many_calls_are_429_problems_with_retry_after(api: FlaskClient, tokens: Tokens) -> None:
    statuses = [api.get("/openapi.json").status_code for _ in range(301)]
    assert statuses[:300] == [200] * 300
    response = api.get("/openapi.json")
    _problem(response, 429)
    assert response.headers["Retry-After"] == "60"


def test_openapi_document_is_valid_3_1_and_lists_every_route(application: SaferPlan, api: FlaskClient) -> None:
    from openapi_spec_validator import validate

    response = api.get("/openapi.json")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    document = response.json
    assert document["openapi"].startswith("3.1")
    validate(document)
    routes = {
        # <int:child_id> and <item> alike: {child_id}, {item}.
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in application.api.url_map.iter_rules()
        # Files, and the reference page made from this document (HTML for people, not part of the contract).
        if rule.endpoint not in ("static", "api_docs")
    }
    assert routes == set(document["paths"])
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if path != "/openapi.json":
                assert operation["security"] == [{"bearer": []}], (path, method)
                assert "422" in operation["responses"] and "401" in operation["responses"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    # Generated from the pydantic models: the caseload's page size carries its cap.
    parameters = {p["name"]: p for p in document["paths"]["/children"]["get"]["parameters"]}
    assert parameters["per_page"]["schema"]["maximum"] == 100


def test_the_host_mounts_the_api_at_api_v1(application: SaferPlan, tokens: Tokens, demo: DemoPeople) -> None:
    """Through the host's dispatcher, as gunicorn serves it (the other tests call the door itself)."""
    host = application.test_client()
    response = host.get("/api/v1/children", headers=bearer(tokens.sam))
    assert response.status_code == 200 and demo.jordan_id in {item["id"] for item in response.json["items"]}
    assert host.get("/api/v1/openapi.json").json["servers"] == [{"url": "/api/v1"}]
    _problem(host.get("/api/v1/children"), 401)


def test_a_read_only_token_is_refused_on_writes_with_403(application: SaferPlan, db: Session, tokens: Tokens) -> None:
    """No resource writes yet, so a door of its own with one test-only write route checks the rule."""
    from app.api.door import create_api_app

    door = create_api_app(application.settings, application.database)
    door.add_url_rule("/test-write", "test_write", lambda: {"written": True}, methods=["POST", "PUT", "DELETE"])
    client = door.test_client()
    before = _last_audit_id(db)
    for method in ("POST", "PUT", "DELETE"):
        body = _problem(client.open("/test-write", method=method, headers=bearer(tokens.sam)), 403)
        assert "only read" in str(body["detail"])
    calls = [r for r in _audit_after(db, before) if r.action == "api.call"]
    assert len(calls) == 3 and all(c.kind == AuditKind.DENIED and c.api_token_id == tokens.sam.token.id for c in calls)
    assert client.post("/test-write", headers=bearer(tokens.sam_read_write)).json == {"written": True}
    _problem(client.post("/test-write"), 401)


def test_made_up_tokens_do_not_dodge_the_limit_for_their_address(api: FlaskClient) -> None:
    """Counted per token, but per address too: a new made-up token each call still hits a limit."""
    statuses = [api.get("/children", headers=bearer(f"sp_pat_guess{n}")).status_code for n in range(1201)]
    assert statuses[:1200] == [401] * 1200
    _problem(api.get("/children", headers=bearer("sp_pat_one-more")), 429)
