"""Issue 11: a plan's agreed versions, and what changed between two versions, over the API.

Through the version history and the "compare versions" page's services (the policy's
"plan.history" and "plan.compare", audited): a read token is enough; Alex's token never sees
Jordan's versions or their diff (404, the refusal audited with the token's id); a number naming
no version is 404; `from` not older than `to` is 422.
"""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent, AuditKind
from app.demo.seed import DemoPeople
from tests.functional.api.conftest import Tokens, bearer

PROBLEM = "application/problem+json"


def _last_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def _rows_after(db: Session, after: int) -> list[AuditEvent]:
    db.expire_all()
    return list(db.exec(select(AuditEvent).where(col(AuditEvent.id) > after)).all())


def test_sam_lists_jordans_agreed_versions_with_a_read_token(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    before = _last_id(db)
    listed = api.get(f"/children/{demo.jordan_id}/versions", headers=bearer(tokens.sam))
    assert listed.status_code == 200, listed.data
    body = listed.get_json()
    assert body["child_id"] == demo.jordan_id
    # Version 1 was agreed at the demo's meeting; the draft (version 2) is not listed.
    assert [v["number"] for v in body["items"]] == [1]
    first = body["items"][0]
    assert (first["agreed_on"], first["review_date"]) == ("2026-10-26", "2026-12-14")
    assert "Sam Okafor" in first["agreed_by"] and "meeting" in first
    # The version history's own policy question, audited with the token's id.
    reads = [r for r in _rows_after(db, before) if r.action == "plan.history"]
    assert [(r.kind, r.child_id, r.api_token_id) for r in reads] == [
        (AuditKind.READ, demo.jordan_id, tokens.sam.token.id)
    ]


def test_the_diff_by_default_is_the_latest_agreed_version_against_the_draft_word_by_word(
    api: FlaskClient, tokens: Tokens, demo: DemoPeople
) -> None:
    default = api.get(f"/children/{demo.jordan_id}/versions/diff", headers=bearer(tokens.sam))
    named = api.get(f"/children/{demo.jordan_id}/versions/diff?from=1&to=2", headers=bearer(tokens.sam))
    assert default.status_code == named.status_code == 200, default.data
    body = default.get_json()
    assert body == named.get_json()
    assert (body["from_number"], body["to_number"], body["to_is_draft"], body["unchanged"]) == (1, 2, True, False)
    sections = {s["key"]: s for s in body["sections"]}
    assert list(sections)[:2] == ["actions", "statements"] and "review" in sections
    # The demo's draft adds Jordan's own idea about boxing: one item added, its words all "added", by Jordan.
    added = [i for i in sections["statements"]["items"] if i["change"] == "added"]
    assert len(added) == 1 and added[0]["by"] == "Jordan" and added[0]["at"]
    assert [w["kind"] for w in added[0]["words"]] == ["added"]
    assert "boxing" in added[0]["words"][0]["text"]


def test_a_changed_item_shows_which_words_went_and_came(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    writer = bearer(tokens.sam_read_write)
    draft = api.get(f"/children/{demo.jordan_id}/plan", headers=writer).get_json()["draft"]
    action = draft["actions"][0]
    changed = {k: action[k] for k in ("who", "action", "aim", "success")} | {"success": "Jordan rings every evening"}
    put = api.put(
        f"/children/{demo.jordan_id}/plan/draft/actions/{action['id']}",
        json=changed,
        headers={**writer, "If-Match": action["etag"]},
    )
    assert put.status_code == 200, put.data
    diff = api.get(f"/children/{demo.jordan_id}/versions/diff", headers=bearer(tokens.sam)).get_json()
    actions = next(s for s in diff["sections"] if s["key"] == "actions")
    assert [i["change"] for i in actions["items"]] == ["changed"]
    words = actions["items"][0]["words"]
    assert {"same", "added", "removed"} <= {w["kind"] for w in words}
    assert "".join(w["text"] for w in words if w["kind"] == "added").strip().endswith("every evening")
    assert actions["items"][0]["by"] == "Sam Okafor"


def test_unknown_numbers_are_not_found_and_a_wrong_order_is_refused(
    api: FlaskClient, tokens: Tokens, demo: DemoPeople
) -> None:
    base = f"/children/{demo.jordan_id}/versions/diff"
    for query in ("?from=1&to=9", "?from=7", "?to=3"):
        missing = api.get(base + query, headers=bearer(tokens.sam))
        assert (missing.status_code, missing.mimetype) == (404, PROBLEM), query
    for query, field in (("?from=2&to=1", "from"), ("?from=1&to=1", "from"), ("?from=2", "from"), ("?to=1", "to")):
        refused = api.get(base + query, headers=bearer(tokens.sam))
        assert (refused.status_code, refused.mimetype) == (422, PROBLEM), query
        assert field in refused.get_json()["errors"], query
    for query in ("?from=0", "?from=x", "?to=-1", "?from=99999999999", "?since=1"):
        bad = api.get(base + query, headers=bearer(tokens.sam))
        assert (bad.status_code, bad.mimetype) == (422, PROBLEM), query


def test_alexs_token_never_sees_jordans_versions_or_their_diff(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    for path in ("/versions", "/versions/diff", "/versions/diff?from=1&to=2", "/versions/diff?from=2&to=1"):
        before = _last_id(db)
        refused = api.get(f"/children/{demo.jordan_id}{path}", headers=bearer(tokens.alex))
        assert (refused.status_code, refused.mimetype) == (404, PROBLEM), path
        assert "Jordan" not in refused.get_data(as_text=True)
        denied = [r for r in _rows_after(db, before) if r.kind == AuditKind.DENIED and r.action != "api.call"]
        assert [(r.child_id, r.api_token_id) for r in denied] == [(demo.jordan_id, tokens.alex.token.id)], path
    # Alex reads his own Kayla's versions. Her plan has one version: by default it is compared with
    # itself, as the compare page does (unchanged); named both ways, that is a 422.
    assert api.get(f"/children/{demo.kayla_id}/versions", headers=bearer(tokens.alex)).status_code == 200
    own = api.get(f"/children/{demo.kayla_id}/versions/diff", headers=bearer(tokens.alex))
    assert own.status_code == 200, own.data
    body = own.get_json()
    assert body["from_number"] == body["to_number"] and body["unchanged"] is True
    same = f"?from={body['from_number']}&to={body['to_number']}"
    assert api.get(f"/children/{demo.kayla_id}/versions/diff{same}", headers=bearer(tokens.alex)).status_code == 422
