"""Issue 11: the draft's statements over the API, conflict-safe (ETag, If-Match: 428 and 412), R2, R5, R21, R24."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.api.models import TokenScope
from app.api.operations import NewToken
from app.audit.models import AuditEvent, AuditKind
from app.demo.seed import DemoPeople
from app.plans.models import ChildStatement
from app.plans.versions import draft_of, latest_agreed, open_plan_for_child
from tests.functional.api.conftest import Tokens, bearer, make_token, practitioner_actor

PROBLEM = "application/problem+json"
NEW = {"moment": "emergency", "kind": "can", "text": "ring Aunt Dee from the bus station", "own_words": True}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.data
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = json.loads(response.data)
    assert body["status"] == status and body["title"]
    return body


def _last_audit_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def _audit_after(db: Session, before: int) -> list[AuditEvent]:
    db.expire_all()
    return list(db.exec(select(AuditEvent).where(col(AuditEvent.id) > before).order_by(col(AuditEvent.id))).all())


def _draft_statements(db: Session, child_id: int) -> list[ChildStatement]:
    db.expire_all()
    plan = open_plan_for_child(session=db, child_id=child_id)
    assert plan is not None
    draft = draft_of(session=db, plan_id=plan.id or 0)
    return list(db.exec(select(ChildStatement).where(ChildStatement.version_id == draft.id)).all())


def _a_statement(db: Session, demo: DemoPeople) -> ChildStatement:
    """A statement the meeting wrote into Jordan's draft (not a family idea)."""
    rows = [s for s in _draft_statements(db, demo.jordan_id) if s.written_by_member_id is None]
    assert rows
    return rows[0]


def _url(demo: DemoPeople, statement_id: int | None = None) -> str:
    base = f"/children/{demo.jordan_id}/plan/draft/statements"
    return base if statement_id is None else f"{base}/{statement_id}"


@pytest.fixture
def alex_writer(db: Session, demo: DemoPeople) -> NewToken:
    return make_token(
        db, practitioner_actor(db, demo.other_worker_email), name="Alex writes", scope=TokenScope.READ_WRITE
    )


def test_every_plan_item_the_api_returns_has_an_etag(api: FlaskClient, tokens: Tokens, demo: DemoPeople) -> None:
    draft = api.get(f"/children/{demo.jordan_id}/plan", headers=bearer(tokens.sam)).json["draft"]
    lists = ("statements", "actions", "emergency_contacts", "carer_commitments", "agency_actions", "network", "places")
    items = [item for name in lists for item in draft[name]]
    assert len(items) > 10
    for item in items:
        assert item["etag"].startswith('"') and item["etag"].endswith('"') and not item["etag"].startswith("W/")
        assert f".{item['id']}." in item["etag"]


def test_get_one_statement_with_its_etag(api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople) -> None:
    row = _a_statement(db, demo)
    response = api.get(_url(demo, row.id), headers=bearer(tokens.sam))
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"child_statement.{row.id}.{row.revision}"' == response.json["etag"]
    assert response.json["text"] == row.text and response.json["moment"] == row.moment
    # A statement of an agreed version is not the draft's.
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    agreed = latest_agreed(session=db, plan_id=plan.id or 0)  # type: ignore[union-attr]
    old = db.exec(select(ChildStatement).where(ChildStatement.version_id == agreed.id)).first()  # type: ignore[union-attr]
    assert old is not None
    _problem(api.get(_url(demo, old.id), headers=bearer(tokens.sam)), 404)


def test_add_is_201_with_location_and_etag_and_writes_the_row(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    before = _last_audit_id(db)
    # Fields the form does not send are not the caller's to set (R5): who wrote it, the version, the revision.
    body = {**NEW, "written_by_member_id": demo.young_person_id, "version_id": 1, "revision": 99, "id": 1}
    response = api.post(_url(demo), json=body, headers=bearer(tokens.sam_read_write))
    assert response.status_code == 201, response.data
    made = response.json
    assert response.headers["Location"].endswith(_url(demo, made["id"]))
    assert response.headers["ETag"] == made["etag"] == f'"child_statement.{made["id"]}.1"'
    row = db.get(ChildStatement, made["id"])
    assert row is not None
    assert (row.moment, row.kind, row.text, row.own_words) == ("emergency", "can", NEW["text"], True)
    assert row.written_by_member_id is None and row.revision == 1
    assert row.version_id == _a_statement(db, demo).version_id
    # The new statement reads back as it was answered.
    location = response.headers["Location"].removeprefix("http://localhost")
    assert api.get(location, headers=bearer(tokens.sam_read_write)).json == made
    rows = _audit_after(db, before)
    created = [r for r in rows if r.kind == AuditKind.WRITE]
    assert [(r.action, r.entity, r.entity_id) for r in created] == [("created", "child_statement", made["id"])]
    assert all(r.api_token_id == tokens.sam_read_write.token.id for r in rows)
    assert [r.detail for r in rows if r.action == "api.call"] == [
        "POST /children/<int:child_id>/plan/draft/statements 201",
        "GET /children/<int:child_id>/plan/draft/statements/<int:statement_id> 200",
    ]


def test_change_with_the_current_etag_is_200_with_the_next_etag(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    row = _a_statement(db, demo)
    etag = api.get(_url(demo, row.id), headers=bearer(tokens.sam)).headers["ETag"]
    before = _last_audit_id(db)
    changed = {"moment": "everyday", "kind": "will", "text": "text Sam after football"}
    response = api.put(_url(demo, row.id), json=changed, headers={**bearer(tokens.sam_read_write), "If-Match": etag})
    assert response.status_code == 200, response.data
    assert response.json["text"] == "text Sam after football" and response.json["own_words"] is False
    assert response.headers["ETag"] == f'"child_statement.{row.id}.{row.revision + 1}"' == response.json["etag"]
    db.expire_all()
    saved = db.get(ChildStatement, row.id)
    assert saved is not None and saved.text == "text Sam after football" and saved.kind == "will"
    writes = [r for r in _audit_after(db, before) if r.kind == AuditKind.WRITE]
    assert [(r.action, r.entity_id, r.api_token_id) for r in writes] == [
        ("updated", row.id, tokens.sam_read_write.token.id)
    ]


@pytest.mark.parametrize("if_match", [None, "", "*"])
def test_change_and_remove_without_if_match_are_428_and_change_nothing(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, if_match: str | None
) -> None:
    row = _a_statement(db, demo)
    headers = bearer(tokens.sam_read_write) | ({} if if_match is None else {"If-Match": if_match})
    body = _problem(api.put(_url(demo, row.id), json=NEW, headers=headers), 428)
    assert "If-Match" in body["detail"]
    _problem(api.delete(_url(demo, row.id), headers=headers), 428)
    db.expire_all()
    saved = db.get(ChildStatement, row.id)
    assert saved is not None and (saved.text, saved.revision) == (row.text, row.revision)


def test_a_stale_etag_is_412_with_the_current_statement_and_nothing_is_overwritten(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    row = _a_statement(db, demo)
    old = api.get(_url(demo, row.id), headers=bearer(tokens.sam)).headers["ETag"]
    writer = bearer(tokens.sam_read_write)
    first = api.put(_url(demo, row.id), json={**NEW, "text": "first words"}, headers={**writer, "If-Match": old})
    assert first.status_code == 200
    # A second writer who read the same revision: told of the conflict, shown the words saved now.
    response = api.put(_url(demo, row.id), json={**NEW, "text": "second words"}, headers={**writer, "If-Match": old})
    body = _problem(response, 412)
    assert body["current"]["text"] == "first words" and body["current"]["id"] == row.id
    assert body["current"]["etag"] == first.headers["ETag"] == response.headers["ETag"]
    _problem(api.delete(_url(demo, row.id), headers={**writer, "If-Match": old}), 412)
    # A weak tag, another item's tag and a made-up one never match (strong comparison).
    for tag in (f"W/{first.headers['ETag']}", f'"child_statement.{row.id + 1}.2"', '"anything"'):
        _problem(api.put(_url(demo, row.id), json=NEW, headers={**writer, "If-Match": tag}), 412)
    db.expire_all()
    saved = db.get(ChildStatement, row.id)
    assert saved is not None and saved.text == "first words"
    # With the current ETag (one of a list is enough) the change goes through.
    tags = f'"child_statement.{row.id}.1", {first.headers["ETag"]}'
    assert api.put(_url(demo, row.id), json=NEW, headers={**writer, "If-Match": tags}).status_code == 200


def test_remove_is_204_then_404(api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople) -> None:
    writer = bearer(tokens.sam_read_write)
    made = api.post(_url(demo), json=NEW, headers=writer)
    before = _last_audit_id(db)
    response = api.delete(_url(demo, made.json["id"]), headers={**writer, "If-Match": made.headers["ETag"]})
    assert response.status_code == 204 and response.data == b""
    assert db.get(ChildStatement, made.json["id"]) is None
    writes = [r for r in _audit_after(db, before) if r.kind == AuditKind.WRITE]
    assert [(r.action, r.entity_id) for r in writes] == [("deleted", made.json["id"])]
    # Gone: answered as missing, with or without the old tag.
    _problem(api.delete(_url(demo, made.json["id"]), headers={**writer, "If-Match": made.headers["ETag"]}), 404)
    _problem(api.put(_url(demo, made.json["id"]), json=NEW, headers={**writer, "If-Match": made.headers["ETag"]}), 404)
    _problem(api.get(_url(demo, made.json["id"]), headers=writer), 404)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({**NEW, "text": "   "}, {"text"}),
        ({**NEW, "moment": "sometimes", "kind": "shall"}, {"moment", "kind"}),
        ({"text": "x" * 501}, {"moment", "kind", "text"}),
        ({**NEW, "text": "a\x00b"}, {"text"}),
        ([NEW], {"__all__"}),
        ("not json", {"__all__"}),
    ],
)
def test_bad_bodies_are_422_problems_naming_each_field(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, body: object, fields: set[str]
) -> None:
    row = _a_statement(db, demo)
    count = len(_draft_statements(db, demo.jordan_id))
    raw = body if isinstance(body, str) else json.dumps(body)
    writer = {**bearer(tokens.sam_read_write), "Content-Type": "application/json"}
    for response in (
        api.post(_url(demo), data=raw, headers=writer),
        api.put(
            _url(demo, row.id), data=raw, headers={**writer, "If-Match": f'"child_statement.{row.id}.{row.revision}"'}
        ),
    ):
        problem = _problem(response, 422)
        assert set(problem["errors"]) == fields
        assert all(message for message in problem["errors"].values())
    assert len(_draft_statements(db, demo.jordan_id)) == count
    db.expire_all()
    assert db.get(ChildStatement, row.id).text == row.text  # type: ignore[union-attr]


def test_a_read_only_token_is_403_on_every_write(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    row = _a_statement(db, demo)
    etag = {"If-Match": f'"child_statement.{row.id}.{row.revision}"'}
    count = len(_draft_statements(db, demo.jordan_id))
    before = _last_audit_id(db)
    _problem(api.post(_url(demo), json=NEW, headers=bearer(tokens.sam)), 403)
    _problem(api.put(_url(demo, row.id), json=NEW, headers={**bearer(tokens.sam), **etag}), 403)
    _problem(api.delete(_url(demo, row.id), headers={**bearer(tokens.sam), **etag}), 403)
    assert len(_draft_statements(db, demo.jordan_id)) == count
    calls = [r for r in _audit_after(db, before) if r.action == "api.call"]
    assert len(calls) == 3 and all(c.kind == AuditKind.DENIED and c.api_token_id == tokens.sam.token.id for c in calls)


def test_alexs_token_never_reads_or_changes_jordans_statements(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, alex_writer: NewToken
) -> None:
    """404 whatever else is wrong with the call (no If-Match, a bad body): as if the statement did not exist (R2)."""
    row = _a_statement(db, demo)
    etag = {"If-Match": f'"child_statement.{row.id}.{row.revision}"'}
    alex = bearer(alex_writer)
    count = len(_draft_statements(db, demo.jordan_id))
    before = _last_audit_id(db)
    answers = [
        api.get(_url(demo, row.id), headers=alex),
        api.post(_url(demo), json=NEW, headers=alex),
        api.post(_url(demo), json={"text": ""}, headers=alex),
        api.put(_url(demo, row.id), json=NEW, headers={**alex, **etag}),
        api.put(_url(demo, row.id), json=NEW, headers=alex),
        api.put(_url(demo, row.id), json={}, headers={**alex, **etag}),
        api.delete(_url(demo, row.id), headers={**alex, **etag}),
        api.delete(_url(demo, row.id), headers=alex),
    ]
    for response in answers:
        body = _problem(response, 404)
        assert "current" not in body and "errors" not in body
    assert len(_draft_statements(db, demo.jordan_id)) == count
    db.expire_all()
    assert db.get(ChildStatement, row.id).text == row.text  # type: ignore[union-attr]
    rows = _audit_after(db, before)
    denials = [
        r for r in rows if r.kind == AuditKind.DENIED and r.child_id == demo.jordan_id and r.action != "api.call"
    ]
    assert len(denials) == len(answers) and all(r.api_token_id == alex_writer.token.id for r in denials)
    assert len([r for r in rows if r.action == "api.call"]) == len(answers)
    assert not [r for r in rows if r.kind == AuditKind.WRITE]


def test_jordans_statement_under_kaylas_plan_is_404_for_alex(
    api: FlaskClient, db: Session, demo: DemoPeople, alex_writer: NewToken
) -> None:
    row = _a_statement(db, demo)
    path = f"/children/{demo.kayla_id}/plan/draft/statements/{row.id}"
    etag = {"If-Match": f'"child_statement.{row.id}.{row.revision}"'}
    _problem(api.get(path, headers=bearer(alex_writer)), 404)
    _problem(api.put(path, json=NEW, headers={**bearer(alex_writer), **etag}), 404)
    _problem(api.delete(path, headers={**bearer(alex_writer), **etag}), 404)
    db.expire_all()
    assert db.get(ChildStatement, row.id) is not None


def test_path_ids_beyond_the_column_are_answered_like_a_missing_record(
    api: FlaskClient, tokens: Tokens, demo: DemoPeople
) -> None:
    """As on the read endpoints (R29): 2^31 and 2^63 name no row, so they are "not found", never a 500."""
    writer = {**bearer(tokens.sam_read_write), "If-Match": '"child_statement.1.1"'}
    for response in (
        api.put(_url(demo, 2**31), json=NEW, headers=writer),
        api.delete(_url(demo, 2**63), headers=writer),
        api.post(f"/children/{2**31}/plan/draft/statements", json=NEW, headers=writer),
        api.get(_url(demo, 2**31), headers=writer),
    ):
        _problem(response, 404)


def test_the_openapi_document_describes_the_statement_operations(api: FlaskClient) -> None:
    document = api.get("/openapi.json").json
    item = document["paths"]["/children/{child_id}/plan/draft/statements/{statement_id}"]
    assert {"get", "put", "delete"} <= set(item)
    assert "post" in document["paths"]["/children/{child_id}/plan/draft/statements"]
    for method in ("put", "delete"):
        assert {"412", "428", "403"} <= set(item[method]["responses"])
        headers = [p for p in item[method]["parameters"] if p["in"] == "header"]
        assert [(h["name"], h["required"]) for h in headers] == [("If-Match", True)]
    conflict = item["put"]["responses"]["412"]["content"][PROBLEM]["schema"]["$ref"].rsplit("/", 1)[1]
    assert document["components"]["schemas"][conflict]["properties"]["current"]
    # The body is the form's fields, from the form's model: nothing else (R5).
    body = document["components"]["schemas"]["StatementBody"]
    assert set(body["properties"]) == {"moment", "kind", "text", "own_words"}
    assert body["properties"]["text"]["maxLength"] == 500
    assert "etag" in document["components"]["schemas"]["Statement"]["required"]
