"""Issue 11, "the same result both ways": a statement added and then changed through Sam's "write the
plan" page, and the same through the API with Sam's token, leave the same rows and the same audit trail.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.demo.seed import DemoPeople
from app.plans.models import ChildStatement, PlanAction
from tests.functional.api.conftest import Tokens, bearer
from tests.support.clients import CsrfClient

Item = TypeVar("Item", ChildStatement, PlanAction)

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


def _newest(db: Session, model: type[Item]) -> Item:
    db.expire_all()
    row = db.exec(select(model).order_by(col(model.id).desc())).first()
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
    on_page = _newest(db, ChildStatement)
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


ACTION = {"who": "Sam", "action": "ring the school each Friday", "aim": "know Jordan got there", "success": "no gaps"}
ACTION_CHANGED = {**ACTION, "success": "no missed days this term"}
ACTION_COMPARED = ("version_id", "who", "action", "aim", "success", "position", "revision", "created_by", "updated_by")


def _action(db: Session, action_id: int) -> dict[str, Any] | None:
    db.expire_all()
    row = db.get(PlanAction, action_id)
    return None if row is None else {name: getattr(row, name) for name in ACTION_COMPARED}


def test_an_action_added_changed_and_removed_on_the_page_and_through_the_api_leaves_the_same_rows_and_audit(
    allocated_worker: CsrfClient, api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    """The same for another list of the draft: the plan's actions, through the whole life of an item."""
    page = f"/children/{demo.jordan_id}/draft"
    before_page = _last_audit_id(db)
    assert allocated_worker.post(page + "/items", data={"section": "actions", **ACTION}).status_code == 303
    on_page = _newest(db, PlanAction)
    page_id, revision = on_page.id or 0, on_page.revision
    page_rows = [_action(db, page_id)]
    ref = {"section": "actions", "item_id": str(page_id)}
    changed = allocated_worker.post(page + "/items/change", data={**ref, "revision": str(revision), **ACTION_CHANGED})
    assert changed.status_code == 303
    page_rows.append(_action(db, page_id))
    removed = allocated_worker.post(
        page + "/items/remove", data={**ref, "revision": str(page_rows[-1]["revision"]), "confirmed": "yes"}
    )
    assert removed.status_code == 303
    page_rows.append(_action(db, page_id))
    page_trail = _trail(db, before_page, page_id)

    before_api = _last_audit_id(db)
    writer, path = bearer(tokens.sam_read_write), f"/children/{demo.jordan_id}/plan/draft/actions"
    added = api.post(path, json=ACTION, headers=writer)
    assert added.status_code == 201, added.data
    api_id = added.json["id"]
    api_rows = [_action(db, api_id)]
    put = api.put(f"{path}/{api_id}", json=ACTION_CHANGED, headers={**writer, "If-Match": added.headers["ETag"]})
    assert put.status_code == 200, put.data
    api_rows.append(_action(db, api_id))
    deleted = api.delete(f"{path}/{api_id}", headers={**writer, "If-Match": put.headers["ETag"]})
    assert deleted.status_code == 204, deleted.data
    api_rows.append(_action(db, api_id))
    api_trail = _trail(db, before_api, api_id)

    # A new row each way (its own "created" in the trail below). SQLite may give the API's row the id
    # the page's row had before it was taken out (no AUTOINCREMENT), so the ids are not compared.
    assert page_rows == api_rows
    assert page_rows[1] is not None and page_rows[1]["success"] == ACTION_CHANGED["success"]
    assert page_rows[2] is None  # taken out of the draft, both ways
    assert page_trail == api_trail
    assert [(kind, action, entity) for _actor, _child, kind, action, entity, _same in api_trail] == [
        ("read", "draft.write", ""),
        ("write", "created", "plan_action"),
        ("read", "draft.write", ""),
        ("write", "updated", "plan_action"),
        ("read", "draft.write", ""),
        ("write", "deleted", "plan_action"),
    ]
    assert all(same for *_rest, same in api_trail if same is not None)
