"""Issue 11: the changes feed. What changed on the caller's caseload since their cursor, from the
audit log's change rows, narrowed in SQL to the children the caller reads now.

Without a cursor the feed starts from now; a cursor is signed (tampering, or another person's
cursor: 400); pages are capped and say `has_more`; Alex's token never sees a change to Jordan's
case; a change is not handed out before every older transaction has ended, so a cursor never
passes one that commits late (on PostgreSQL with two real transactions in the last test).

Each test here runs in one transaction that is rolled back (tests/conftest.py `db`): on PostgreSQL
it is itself the oldest open transaction, so the `settled` fixture tells the feed every
transaction has ended.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, func, select

from app import SaferPlan
from app.access import caseloads, policy
from app.access.permissions import PERMISSIONS
from app.actors import Actor
from app.api import changes
from app.api.cursors import make_cursor
from app.audit.models import AuditEvent, AuditKind
from app.audit.operations import record_change
from app.auth.models import AccountKind
from app.db import make_engine
from app.demo.seed import DemoPeople, load_demo
from app.people.models import CaseAssignment, Practitioner
from app.timeutil import today
from tests.functional.api.conftest import Tokens, bearer
from tests.support.database import migrate, scratch_database

PROBLEM = "application/problem+json"
IDEA = {"moment": "everyday", "kind": "can", "text": "text Dee when I leave training"}


EVERYTHING_ENDED = 2**62


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transaction counts as ended (the test's own, never committed, included)."""
    monkeypatch.setattr(changes, "settled_below", lambda _session: EVERYTHING_ENDED)


def _start(api: FlaskClient, headers: dict[str, str]) -> str:
    first = api.get("/changes", headers=headers)
    assert first.status_code == 200, first.data
    body = first.get_json()
    assert body["items"] == [] and body["has_more"] is False
    return str(body["next_cursor"])


def _since(api: FlaskClient, headers: dict[str, str], cursor: str, per_page: int = 50) -> dict[str, object]:
    got = api.get(f"/changes?cursor={cursor}&per_page={per_page}", headers=headers)
    assert got.status_code == 200, got.data
    return dict(got.get_json())


def _add_idea(api: FlaskClient, tokens: Tokens, child_id: int) -> None:
    added = api.post(f"/children/{child_id}/plan/draft/statements", json=IDEA, headers=bearer(tokens.sam_read_write))
    assert added.status_code == 201, added.data


@pytest.mark.usefixtures("settled")
def test_sam_sees_a_change_to_jordans_plan_and_alex_does_not(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    sams, alexs = _start(api, bearer(tokens.sam)), _start(api, bearer(tokens.alex))
    _add_idea(api, tokens, demo.jordan_id)
    page = _since(api, bearer(tokens.sam), sams)
    assert page["items"] == [
        {
            "child_id": demo.jordan_id,
            "kind": "plan_changed",
            "at": page["items"][0]["at"],  # type: ignore[index]
            "resource": f"/api/v1/children/{demo.jordan_id}/plan",
        }
    ]
    assert page["has_more"] is False
    # Read again from the new cursor: nothing new.
    assert _since(api, bearer(tokens.sam), str(page["next_cursor"]))["items"] == []
    # Alex, from before the change: nothing of Jordan's, ever.
    assert _since(api, bearer(tokens.alex), alexs)["items"] == []


@pytest.mark.usefixtures("settled")
def test_from_the_start_the_feed_shows_only_the_callers_readable_children_and_no_content(
    application: SaferPlan, api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    _add_idea(api, tokens, demo.jordan_id)
    with application.api.test_request_context():
        sams = make_cursor(_actor(db, demo.social_worker_email), (0, 0))
        alexs = make_cursor(_actor(db, demo.other_worker_email), (0, 0))
    sam_items = _all(api, bearer(tokens.sam), sams)
    alex_items = _all(api, bearer(tokens.alex), alexs)
    assert {item["child_id"] for item in sam_items} == {demo.jordan_id}
    assert demo.jordan_id not in {item["child_id"] for item in alex_items}
    kinds = {item["kind"] for item in sam_items}
    assert {"plan_changed", "version_agreed"} <= kinds
    agreed = next(item for item in sam_items if item["kind"] == "version_agreed")
    assert agreed["resource"] == f"/api/v1/children/{demo.jordan_id}/versions/1"
    # Oldest first; and nothing but the four fields (never the words of the idea).
    assert [item["at"] for item in sam_items] == sorted(item["at"] for item in sam_items)
    assert all(set(item) == {"child_id", "kind", "at", "resource"} for item in sam_items)
    assert "Dee" not in str(sam_items)
    # Every resource it links to answers Sam.
    for resource in {item["resource"] for item in sam_items}:
        assert api.get(resource.removeprefix("/api/v1"), headers=bearer(tokens.sam)).status_code == 200, resource


def _actor(db: Session, email: str) -> Actor:
    practitioner = db.exec(select(Practitioner).where(Practitioner.email == email)).one()
    return Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0)


def _all(api: FlaskClient, headers: dict[str, str], cursor: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for _ in range(100):
        page = _since(api, headers, cursor)
        items += page["items"]  # type: ignore[arg-type]
        cursor = str(page["next_cursor"])
        if not page["has_more"]:
            return items
    raise AssertionError("the feed never ended")


@pytest.mark.usefixtures("settled")
def test_pages_are_capped_and_has_more_leads_on_without_losing_a_change(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    cursor = _start(api, bearer(tokens.sam))
    for _ in range(3):
        _add_idea(api, tokens, demo.jordan_id)
    first = _since(api, bearer(tokens.sam), cursor, per_page=2)
    assert len(first["items"]) == 2 and first["has_more"] is True  # type: ignore[arg-type]
    second = _since(api, bearer(tokens.sam), str(first["next_cursor"]), per_page=2)
    assert len(second["items"]) == 1 and second["has_more"] is False  # type: ignore[arg-type]
    for too_many in ("101", "0", "x"):
        refused = api.get(f"/changes?cursor={cursor}&per_page={too_many}", headers=bearer(tokens.sam))
        assert (refused.status_code, refused.mimetype) == (422, PROBLEM)
    # A call reads at most SCAN_SPAN rows past its cursor: with a span of two, the changes still all
    # arrive, a call at a time, each saying there is more to read (each call writes a row of its own).
    monkeypatch.setattr(changes, "SCAN_SPAN", 2)
    _add_idea(api, tokens, demo.jordan_id)
    seen = _all(api, bearer(tokens.sam), str(second["next_cursor"]))
    assert [item["kind"] for item in seen] == ["plan_changed"]


def test_a_change_is_handed_out_only_once_older_transactions_have_ended(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a transaction older than the change is open, the cursor does not move past the change."""
    monkeypatch.setattr(changes, "settled_below", lambda _session: EVERYTHING_ENDED)
    cursor = _start(api, bearer(tokens.sam))
    monkeypatch.setattr(changes, "settled_below", lambda _session: 0)  # one open since before everything
    _add_idea(api, tokens, demo.jordan_id)
    early = _since(api, bearer(tokens.sam), cursor)
    assert early["items"] == [] and early["has_more"] is False
    monkeypatch.setattr(changes, "settled_below", lambda _session: EVERYTHING_ENDED)
    later = _since(api, bearer(tokens.sam), str(early["next_cursor"]))
    assert [item["kind"] for item in later["items"]] == ["plan_changed"]  # type: ignore[union-attr]


@pytest.mark.usefixtures("settled")
def test_a_tampered_or_borrowed_cursor_is_a_400_problem(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    sams = _start(api, bearer(tokens.sam))
    payload, _dot, signature = sams.partition(".")
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    for bad in (flipped + "." + signature, payload, payload + ".x", "abc", sams + "x"):
        refused = api.get(f"/changes?cursor={bad}", headers=bearer(tokens.sam))
        assert (refused.status_code, refused.mimetype) == (400, PROBLEM), bad
    # Sam's cursor is Sam's: Alex cannot page through the log with it.
    borrowed = api.get(f"/changes?cursor={sams}", headers=bearer(tokens.alex))
    assert (borrowed.status_code, borrowed.mimetype) == (400, PROBLEM)
    for unreadable in ("a b", "x" * 401, "é"):
        assert api.get("/changes", query_string={"cursor": unreadable}, headers=bearer(tokens.sam)).status_code == 422


@pytest.mark.usefixtures("settled")
def test_each_call_is_audited_with_the_token(api: FlaskClient, db: Session, tokens: Tokens) -> None:
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    _start(api, bearer(tokens.sam))
    api.get("/changes?cursor=nonsense", headers=bearer(tokens.alex))
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.action == "api.call")).all()
    assert sorted((r.api_token_id or 0, r.kind, r.detail) for r in rows) == sorted(
        [
            (tokens.sam.token.id or 0, AuditKind.READ, "GET /changes 200"),
            (tokens.alex.token.id or 0, AuditKind.DENIED, "GET /changes 400"),
        ]
    )


def test_the_feeds_caseload_query_agrees_with_the_policy_for_every_practitioner(db: Session, demo: DemoPeople) -> None:
    """The SQL that narrows the feed gives, for each practitioner, the children the policy says they
    read in full (break-glass grants apart: those are no caseload)."""
    checked = 0
    for practitioner in db.exec(select(Practitioner)).all():
        actor = Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0)
        scope = caseloads.caseload_scope(session=db, actor=actor)
        query = caseloads.children_holding_query(scope, changes.FEED_PERMISSION) if scope else None
        by_sql = set(db.execute(query).scalars()) if query is not None else set()
        by_policy = policy.children_holding(changes.FEED_PERMISSION, session=db, actor=actor)
        assert by_sql == set(by_policy), practitioner.email
        checked += bool(by_sql)
    assert checked >= 3  # Sam, Alex, Priya (chair), Morgan (manager) read someone's plan


def test_every_kind_links_to_something_its_readers_may_read() -> None:
    readers = PERMISSIONS[changes.FEED_PERMISSION]
    for kind in changes.FEED.values():
        assert readers <= PERMISSIONS[kind.permission], kind


@pytest.mark.usefixtures("settled")
def test_a_case_taken_off_the_caseload_leaves_the_feed_at_once(
    application: SaferPlan, api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    """Filtered by who may read the child NOW: past changes to a case Sam no longer holds are not his."""
    with application.api.test_request_context():
        from_the_start = make_cursor(_actor(db, demo.social_worker_email), (0, 0))
    assert {item["child_id"] for item in _all(api, bearer(tokens.sam), from_the_start)} == {demo.jordan_id}
    sam = _actor(db, demo.social_worker_email)
    for assignment in db.exec(
        select(CaseAssignment).where(
            CaseAssignment.practitioner_id == sam.account_id, CaseAssignment.child_id == demo.jordan_id
        )
    ).all():
        assignment.ended_on = today()
        db.add(assignment)
    db.commit()
    assert _all(api, bearer(tokens.sam), from_the_start) == []


def test_on_postgresql_a_row_that_commits_late_is_never_skipped(
    application: SaferPlan, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Two real transactions on a database of their own: A writes first (the lower id) and commits
    last. While A is open, B's committed row is not handed out (a cursor past it would skip A's);
    once A ends, both come, A's first."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: ids are in commit order there")
    with scratch_database(tmp_path_factory.mktemp("feed-tx"), "feedtx") as url:
        migrate(url)
        engine = make_engine(url)
        try:
            with Session(engine) as setup:
                people = load_demo(setup)
                setup.commit()
                sam = _actor(setup, people.social_worker_email)

            def read(after: changes.Position | None) -> changes.FeedPage:
                with Session(engine) as reader:  # a fresh snapshot each time, as each request has
                    return changes.feed_page(session=reader, actor=sam, after=after, limit=50)

            def settled(
                page: Callable[[], changes.FeedPage], done: Callable[[changes.FeedPage], bool]
            ) -> changes.FeedPage:
                """The page once transactions elsewhere on the server (other databases' tests) have ended.

                Another worker's test holds one transaction for all its length: the API fuzz test's
                lasts 60 to 75 s on a busy 2-core machine (its file runs early, but a run with another
                order met it). Hence up to 3 minutes; it returns as soon as they end."""
                for _ in range(1800):
                    found = page()
                    if done(found):
                        return found
                    time.sleep(0.1)
                raise AssertionError("a transaction elsewhere on the server stayed open for 3 minutes")

            with Session(engine) as count:
                demo_rows = count.exec(select(func.max(AuditEvent.id))).one()
            # Without a cursor: from now, once the demo's rows have settled.
            start = settled(lambda: read(None), lambda p: p.position[1] == demo_rows).position
            first, second = Session(engine), Session(engine)
            try:
                for session, entity, action in ((first, "plan_version", "updated"), (second, "incident", "created")):
                    record_change(
                        session=session, actor=sam, child_id=people.jordan_id, entity=entity, entity_id=1, action=action
                    )
                    session.flush()  # A first: the lower id
                second.commit()
                while_open = read(start)
                assert while_open.changes == [] and while_open.position == start
                first.commit()
            finally:
                first.close()
                second.close()
            # (A transaction elsewhere with an id between A's and B's may hold B's back a little longer.)
            after = settled(lambda: read(start), lambda p: len(p.changes) == 2)
            assert [c.kind for c in after.changes] == ["plan_changed", "incident_recorded"]
            assert read(after.position).changes == []
        finally:
            engine.dispose()
