"""Issue 11, "the same result both ways": a statement added and then changed through Sam's "write the
plan" page, and the same through the API with Sam's token, leave the same rows and the same audit trail.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.demo.seed import DemoPeople
from app.plans.models import ChildStatement
from tests.functional.api.conftest import Tokens, bearer
from tests.support.clients import CsrfClient

ADDED = {"moment": "emergency", "kind": "might", "text": "go to the library if the bus is late"}
CHANGED = {"moment": "emergency", "kind": "will", "text": "go to the library and ring Aunt Dee", "own_words": True}
# What a row holds apart from its own id, place in the list and clock times.
COMPARED = (
    "version_id",
    "moment",
    "kind",
    "text",
    "own_words",
    "written_by_member_id",
    "idea_status",
    "revision",
    "created_by",
    "updated_by",
)


def _last_audit_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def _trail(db: Session, after: int, statement_id: int) -> list[tuple[Any, ...]]:
    """What the audit log says happened, apart from the API's own record of each call and the door used."""
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > after).order_by(col(AuditEvent.id))).all()
    return [
        (r.actor, r.child_id, r.kind, r.action, r.entity, r.entity_id == statement_id if r.entity_id else None)
        for r in rows
        if r.action != "api.call"
    ]


def _row(db: Session, statement_id: int) -> dict[str, Any]:
    db.expire_all()
    row = db.get(ChildStatement, statement_id)
    assert row is not None
    return {name: getattr(row, name) for name in COMPARED}


def _newest_statement(db: Session) -> ChildStatement:
    db.expire_all()
    row = db.exec(select(ChildStatement).order_by(col(ChildStatement.id).desc())).first()
    assert row is not None
    return row


def test_a_statement_added_and_changed_on_the_page_and_through_the_api_leaves_the_same_rows_and_audit(
    allocated_worker: CsrfClient, api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    page = f"/children/{demo.jordan_id}/draft"
    # Through the page: the emergency section's form, then its change form with the revision shown.
    before_page = _last_audit_id(db)
    form = {"section": "emergency", "kind": ADDED["kind"], "text": ADDED["text"]}
    assert allocated_worker.post(page + "/items", data=form).status_code == 303
    on_page = _newest_statement(db)
    page_added = _row(db, on_page.id or 0)
    change = {
        "section": "emergency",
        "item_id": str(on_page.id),
        "revision": str(on_page.revision),
        "kind": CHANGED["kind"],
        "text": CHANGED["text"],
        "own_words": "on",
    }
    assert allocated_worker.post(page + "/items/change", data=change).status_code == 303
    page_changed = _row(db, on_page.id or 0)
    page_trail = _trail(db, before_page, on_page.id or 0)

    # Through the API, with Sam's read-and-change token: the same words, with the ETag as If-Match.
    before_api = _last_audit_id(db)
    writer = bearer(tokens.sam_read_write)
    added = api.post(f"/children/{demo.jordan_id}/plan/draft/statements", json=ADDED, headers=writer)
    assert added.status_code == 201, added.data
    api_id = added.json["id"]
    api_added = _row(db, api_id)
    changed = api.put(
        f"/children/{demo.jordan_id}/plan/draft/statements/{api_id}",
        json=CHANGED,
        headers={**writer, "If-Match": added.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.data
    api_changed = _row(db, api_id)
    api_trail = _trail(db, before_api, api_id)

    assert api_id != on_page.id
    assert page_added == api_added
    assert page_changed == api_changed
    assert page_changed["text"] == CHANGED["text"] and page_changed["own_words"] is True
    assert page_changed["revision"] == page_added["revision"] + 1
    # The same decisions and writes, in the same order: the policy's draft.write, then created / updated.
    assert page_trail == api_trail
    assert [(kind, action) for _actor, _child, kind, action, _entity, _same in api_trail] == [
        ("read", "draft.write"),
        ("write", "created"),
        ("read", "draft.write"),
        ("write", "updated"),
    ]
    # Each door says which it was: the page's rows carry the session, the API's the token.
    db.expire_all()
    api_rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before_api)).all()
    page_rows = db.exec(
        select(AuditEvent).where(col(AuditEvent.id) > before_page, col(AuditEvent.id) <= before_api)
    ).all()
    assert all(r.api_token_id == tokens.sam_read_write.token.id for r in api_rows)
    assert all(r.api_token_id is None and r.session_id is not None for r in page_rows)
    assert sorted(r.detail for r in api_rows if r.action == "api.call") == [
        "POST /children/<int:child_id>/plan/draft/statements 201",
        "PUT /children/<int:child_id>/plan/draft/statements/<int:statement_id> 200",
    ]
