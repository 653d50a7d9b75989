"""Issue 11: the draft's other lists over the API (app.api.list_views), as the statements are.

For each list: add, read, change with If-Match, 412 with a stale ETag, 428 without, remove; a read
token is 403; Alex's token is 404 on Jordan's lists, audited (R2, R21); a bad body is 422 naming the field.
"""

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
from app.drafting.inputs import LISTS, ListKey
from app.plans.models import PlanItem
from tests.functional.api.conftest import Tokens, bearer, make_token, practitioner_actor

PROBLEM = "application/problem+json"

# Per list: its path segment, a new item, a change to it (field, new value), and a bad field.
CASES: dict[ListKey, tuple[str, dict[str, object], tuple[str, object], str]] = {
    ListKey.ACTIONS: (
        "actions",
        {"who": "Sam", "action": "visit weekly", "aim": "keep in touch", "success": "Jordan at home"},
        ("action", "visit twice a week"),
        "who",
    ),
    ListKey.CONTACTS: ("contacts", {"name": "Aunt Dee", "phone": "07700 900456"}, ("phone", "07700 900789"), "phone"),
    ListKey.PARENTAL_RESPONSIBILITY: (
        "parental-responsibility",
        {"name": "Lisa", "relationship": "Mum", "has_parental_responsibility": True, "can_make_decisions": False},
        ("can_make_decisions", True),
        "name",
    ),
    ListKey.COMMITMENTS: (
        "commitments",
        {"who": "Lisa", "kind": "ensure", "commitment": "Jordan is home by nine", "by_when": "every night"},
        ("kind", "do"),
        "kind",
    ),
    ListKey.AGENCY_ACTIONS: (
        "agency-actions",
        {"agency": "school", "kind": "increase_safety", "action": "check in at lunch", "due_on": "2026-12-14"},
        ("repeats", "every Monday"),
        "due_on",
    ),
    ListKey.NETWORK: (
        "network",
        {"name": "Coach Marcus", "relationship": "football coach", "safety": "safe"},
        ("safety", "could_be_safe"),
        "safety",
    ),
    ListKey.PLACES: ("places", {"name": "the library", "safety": "safe"}, ("address", "High Street"), "safety"),
}
BAD = {"who": "", "phone": "", "name": "", "kind": "maybe", "due_on": "2026-02-30", "safety": "perhaps"}
KEYS = sorted(CASES)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.data
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = json.loads(response.data)
    assert body["status"] == status and body["title"]
    return body


def _url(demo: DemoPeople, key: ListKey, item_id: int | None = None) -> str:
    base = f"/children/{demo.jordan_id}/plan/draft/{CASES[key][0]}"
    return base if item_id is None else f"{base}/{item_id}"


def _row(db: Session, key: ListKey, item_id: int) -> PlanItem | None:
    db.expire_all()
    return db.get(LISTS[key].model, item_id)


def _last_audit_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def _audit_after(db: Session, before: int) -> list[AuditEvent]:
    db.expire_all()
    return list(db.exec(select(AuditEvent).where(col(AuditEvent.id) > before).order_by(col(AuditEvent.id))).all())


@pytest.fixture
def alex_writer(db: Session, demo: DemoPeople) -> NewToken:
    return make_token(
        db, practitioner_actor(db, demo.other_worker_email), name="Alex writes", scope=TokenScope.READ_WRITE
    )


@pytest.mark.parametrize("key", KEYS)
def test_add_read_change_conflict_and_remove(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, key: ListKey
) -> None:
    _segment, new, (field, value), _bad = CASES[key]
    writer = bearer(tokens.sam_read_write)
    kind = str(LISTS[key].model.__tablename__)
    before = _last_audit_id(db)
    made = api.post(_url(demo, key), json=new, headers=writer)
    assert made.status_code == 201, made.data
    item_id = made.json["id"]
    assert made.headers["ETag"] == made.json["etag"] == f'"{kind}.{item_id}.1"'
    assert made.headers["Location"].endswith(_url(demo, key, item_id))
    assert all(made.json[name] == new[name] or str(made.json[name]) == new[name] for name in new)
    created = [r for r in _audit_after(db, before) if r.kind == AuditKind.WRITE]
    assert [(r.action, r.entity, r.entity_id) for r in created] == [("created", kind, item_id)]

    read = api.get(_url(demo, key, item_id), headers=bearer(tokens.sam))
    assert read.status_code == 200 and read.json == made.json and read.headers["ETag"] == made.headers["ETag"]

    changed = api.put(
        _url(demo, key, item_id), json={**new, field: value}, headers={**writer, "If-Match": made.headers["ETag"]}
    )
    assert changed.status_code == 200, changed.data
    assert changed.json[field] == value and changed.headers["ETag"] == f'"{kind}.{item_id}.2"'
    assert getattr(_row(db, key, item_id), field) == value

    # The first ETag is stale now: 412 with the item as saved, and nothing overwritten or removed.
    stale = {**writer, "If-Match": made.headers["ETag"]}
    body = _problem(api.put(_url(demo, key, item_id), json=new, headers=stale), 412)
    assert body["current"] == changed.json and body["current"]["etag"] == changed.headers["ETag"]
    _problem(api.delete(_url(demo, key, item_id), headers=stale), 412)
    for headers in (writer, {**writer, "If-Match": "*"}):
        assert "If-Match" in _problem(api.put(_url(demo, key, item_id), json=new, headers=headers), 428)["detail"]
        _problem(api.delete(_url(demo, key, item_id), headers=headers), 428)
    assert getattr(_row(db, key, item_id), field) == value

    gone = api.delete(_url(demo, key, item_id), headers={**writer, "If-Match": changed.headers["ETag"]})
    assert gone.status_code == 204 and gone.data == b""
    assert _row(db, key, item_id) is None
    _problem(api.get(_url(demo, key, item_id), headers=writer), 404)


@pytest.mark.parametrize("key", KEYS)
def test_a_read_only_token_is_403_on_every_write(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, key: ListKey
) -> None:
    _segment, new, _change, _bad = CASES[key]
    made = api.post(_url(demo, key), json=new, headers=bearer(tokens.sam_read_write)).json
    reader = bearer(tokens.sam)
    before = _last_audit_id(db)
    _problem(api.post(_url(demo, key), json=new, headers=reader), 403)
    _problem(api.put(_url(demo, key, made["id"]), json=new, headers={**reader, "If-Match": made["etag"]}), 403)
    _problem(api.delete(_url(demo, key, made["id"]), headers={**reader, "If-Match": made["etag"]}), 403)
    assert _row(db, key, made["id"]) is not None
    rows = _audit_after(db, before)
    assert not [r for r in rows if r.kind == AuditKind.WRITE]
    calls = [r for r in rows if r.action == "api.call"]
    assert len(calls) == 3 and all(c.kind == AuditKind.DENIED and c.api_token_id == tokens.sam.token.id for c in calls)


@pytest.mark.parametrize("key", KEYS)
def test_alexs_token_is_404_on_jordans_lists_and_audited(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, alex_writer: NewToken, key: ListKey
) -> None:
    """404 whatever else is wrong with the call (no If-Match, a bad body): as if the item did not exist (R2)."""
    _segment, new, _change, _bad = CASES[key]
    made = api.post(_url(demo, key), json=new, headers=bearer(tokens.sam_read_write)).json
    alex, etag = bearer(alex_writer), {"If-Match": made["etag"]}
    item = _url(demo, key, made["id"])
    before = _last_audit_id(db)
    answers = [
        api.get(item, headers=alex),
        api.post(_url(demo, key), json=new, headers=alex),
        api.post(_url(demo, key), json={}, headers=alex),
        api.put(item, json=new, headers={**alex, **etag}),
        api.put(item, json=new, headers=alex),
        api.put(item, json={}, headers={**alex, **etag}),
        api.delete(item, headers={**alex, **etag}),
        api.delete(item, headers=alex),
    ]
    for response in answers:
        body = _problem(response, 404)
        assert "current" not in body and "errors" not in body
    assert _row(db, key, made["id"]) is not None
    rows = _audit_after(db, before)
    denials = [
        r for r in rows if r.kind == AuditKind.DENIED and r.child_id == demo.jordan_id and r.action != "api.call"
    ]
    assert len(denials) == len(answers) and all(r.api_token_id == alex_writer.token.id for r in denials)
    assert not [r for r in rows if r.kind == AuditKind.WRITE]


@pytest.mark.parametrize("key", KEYS)
def test_a_bad_body_is_422_naming_the_field(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, key: ListKey
) -> None:
    _segment, new, _change, bad = CASES[key]
    writer = bearer(tokens.sam_read_write)
    made = api.post(_url(demo, key), json=new, headers=writer).json
    wrong = {**new, bad: BAD[bad]}
    for response in (
        api.post(_url(demo, key), json=wrong, headers=writer),
        api.put(_url(demo, key, made["id"]), json=wrong, headers={**writer, "If-Match": made["etag"]}),
    ):
        problem = _problem(response, 422)
        assert set(problem["errors"]) == {bad} and problem["errors"][bad]
    saved = _row(db, key, made["id"])
    assert saved is not None and saved.revision == 1


@pytest.mark.parametrize("key", KEYS)
def test_an_if_match_longer_than_the_contract_allows_is_422_and_changes_nothing(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, alex_writer: NewToken, key: ListKey
) -> None:
    """Found by the contract fuzzer: a 201-character If-Match was compared (412) instead of refused."""
    _segment, new, _change, _bad = CASES[key]
    writer = bearer(tokens.sam_read_write)
    made = api.post(_url(demo, key), json=new, headers=writer).json
    too_long = {"If-Match": made["etag"] + " " * 10 + "x" * 200}
    item = _url(demo, key, made["id"])
    headers = {**writer, **too_long}
    for response in (api.put(item, json=new, headers=headers), api.delete(item, headers=headers)):
        assert "If-Match" in _problem(response, 422)["errors"]
    saved = _row(db, key, made["id"])
    assert saved is not None and saved.revision == 1
    # Someone who may not change the item hears only "not found", as for any other refusal (R2).
    _problem(api.delete(item, headers={**bearer(alex_writer), **too_long}), 404)
