"""Parents and carers (issue 4): mark one of my commitments done, undo it, comment on it.

Through the Flask test client with CSRF on: plain form posts (redirect back to the plan) and htmx
(the one commitment comes back in place), validation, conflicts (R24), mass assignment (R5), who
may do it at all (R2), encryption of the comment at rest (R27), and the practitioner's read-only view.
"""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from app.actors import Actor
from app.audit.models import AuditEvent, AuditKind
from app.auth.models import AccountKind
from app.commitments.models import CommitmentUpdate
from app.plans import versions
from app.plans.lifecycle import close_plan, purge_closed_plans
from app.plans.models import CarerCommitment
from app.whats_new.models import PlanSeen
from tests.factories import commitments, people, plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's agreed plan with two commitments of Lisa's (the draft holds their copies)."""
    return plans.agreed_plan(
        db,
        case.child,
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan", by_when="Sundays"),
        commitments.commitment_input(case.parent, "report Jordan missing to the police", by_when="by 10pm"),
        by=case.worker,
    )


def _agreed_id(db: Session, case: Case) -> int:
    plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
    assert plan is not None
    agreed = versions.latest_agreed(session=db, plan_id=plan.id or 0)
    assert agreed is not None
    return agreed.id or 0


def _lisas(db: Session, case: Case, *, in_draft: bool = False) -> CarerCommitment:
    """Lisa's first commitment in the agreed version (or its copy in the draft)."""
    version_id = _agreed_id(db, case)
    if in_draft:
        plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
        assert plan is not None
        version_id = versions.draft_of(session=db, plan_id=plan.id or 0).id or 0
    row = db.exec(
        select(CarerCommitment)
        .where(CarerCommitment.member_id == case.parent_id, CarerCommitment.version_id == version_id)
        .order_by(col(CarerCommitment.position))
    ).first()
    assert row is not None
    return row


def _history(db: Session, commitment_id: int) -> list[CommitmentUpdate]:
    db.expire_all()
    return list(
        db.exec(
            select(CommitmentUpdate)
            .where(CommitmentUpdate.commitment_id == commitment_id)
            .order_by(col(CommitmentUpdate.id))
        ).all()
    )


def _part(page: str, commitment_id: int) -> str:
    start = page.index(f'id="commitment-{commitment_id}"')
    return html.unescape(page[start : page.index("</li>", page.index("</details>", start))])


def _latest(db: Session, commitment_id: int) -> int:
    history = _history(db, commitment_id)
    return (history[-1].id or 0) if history else 0


# --- Done and undo --------------------------------------------------------------------------------


def test_a_parent_marks_a_commitment_done_then_undoes_it(as_parent: CsrfClient, db: Session, case: Case) -> None:
    c = _lisas(db, case)
    page = as_parent.get(f"/c/{case.child_id}").get_data(as_text=True)
    assert "Mark as done" in _part(page, c.id or 0)

    done = as_parent.post(f"/c/{case.child_id}/commitments/{c.id}/done", data={"done": "1"})
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/c/{case.child_id}?done=marked#commitment-{c.id}")
    assert "HX-Request" in done.headers["Vary"]
    page = as_parent.get(f"/c/{case.child_id}?done=marked").get_data(as_text=True)
    part = _part(page, c.id or 0)
    assert "Done on " in part and "Undo" in part and "Mark as done" not in part
    assert "Marked as done." in page

    undone = as_parent.post(f"/c/{case.child_id}/commitments/{c.id}/done", data={"done": "0"})
    assert undone.status_code == 303 and "done=undone" in undone.headers["Location"]
    part = _part(as_parent.get(f"/c/{case.child_id}").get_data(as_text=True), c.id or 0)
    assert "Mark as done" in part and "Done on " not in part
    # Append-only: both changes are on record, the latest wins.
    assert [u.done for u in _history(db, c.id or 0)] == [True, False]
    assert all(u.member_id == case.parent_id for u in _history(db, c.id or 0))


def test_the_agreed_commitment_itself_never_changes(as_parent: CsrfClient, db: Session, case: Case) -> None:
    c = _lisas(db, case)
    before = (c.commitment, c.revision, c.updated_at)
    as_parent.post(f"/c/{case.child_id}/commitments/{c.id}/done", data={"done": "1"})
    as_parent.post(
        f"/c/{case.child_id}/commitments/{c.id}/comment",
        data={"comment": "Going well", "latest": _latest(db, c.id or 0)},
    )
    db.expire_all()
    row = db.get(CarerCommitment, c.id)
    assert row is not None and (row.commitment, row.revision, row.updated_at) == before


def test_pressing_done_twice_adds_one_record(as_parent: CsrfClient, db: Session, case: Case) -> None:
    c = _lisas(db, case)
    for _ in range(2):
        assert as_parent.post(f"/c/{case.child_id}/commitments/{c.id}/done", data={"done": "1"}).status_code == 303
    assert len(_history(db, c.id or 0)) == 1


def test_htmx_done_returns_the_commitment_and_the_status_out_of_band(
    as_parent: CsrfClient, db: Session, case: Case
) -> None:
    c = _lisas(db, case)
    response = as_parent.post(f"/c/{case.child_id}/commitments/{c.id}/done", data={"done": "1"}, headers=HTMX)
    assert response.status_code == 200
    body = html.unescape(response.get_data(as_text=True))
    assert "<html" not in body
    assert f'id="commitment-{c.id}"' in body and "Done on " in body
    assert 'id="commitments-status" hx-swap-oob="innerHTML">Marked as done.' in body
    # The Undo button takes focus where the Done button was.
    assert "autofocus>Undo" in body


# --- Comments -------------------------------------------------------------------------------------


def test_a_parent_adds_changes_and_removes_a_comment(as_parent: CsrfClient, db: Session, case: Case) -> None:
    c = _lisas(db, case)
    url = f"/c/{case.child_id}/commitments/{c.id}/comment"
    saved = as_parent.post(url, data={"comment": "  Picked him up on Friday  ", "latest": "0"})
    assert saved.status_code == 303 and "done=commented" in saved.headers["Location"]
    part = _part(as_parent.get(f"/c/{case.child_id}").get_data(as_text=True), c.id or 0)
    assert "My comment:</strong> Picked him up on Friday" in part and "Change my comment" in part

    as_parent.post(url, data={"comment": "Every Friday now", "latest": _latest(db, c.id or 0)})
    removed = as_parent.post(url, data={"comment": "", "latest": _latest(db, c.id or 0)})
    assert removed.status_code == 303 and "done=uncommented" in removed.headers["Location"]
    assert [u.comment for u in _history(db, c.id or 0)] == ["Picked him up on Friday", "Every Friday now", None]


def test_a_long_comment_is_refused_with_a_clear_message(as_parent: CsrfClient, db: Session, case: Case) -> None:
    c = _lisas(db, case)
    url = f"/c/{case.child_id}/commitments/{c.id}/comment"
    response = as_parent.post(url, data={"comment": "x" * 501, "latest": "0"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Keep it under 500 characters." in page and "Not saved yet" in page
    assert 'aria-invalid="true"' in page and "x" * 501 in page  # their words are kept in the form
    assert _history(db, c.id or 0) == []
    htmx = as_parent.post(url, data={"comment": "x" * 501, "latest": "0"}, headers=HTMX)
    assert htmx.status_code == 422 and "<html" not in htmx.get_data(as_text=True)


def test_r24_a_stale_comment_is_a_conflict_and_both_texts_survive(
    as_parent: CsrfClient, db: Session, case: Case
) -> None:
    c = _lisas(db, case)
    url = f"/c/{case.child_id}/commitments/{c.id}/comment"
    # Two phones open the page; the first saves a comment.
    assert as_parent.post(url, data={"comment": "From the first phone", "latest": "0"}).status_code == 303
    second = as_parent.post(url, data={"comment": "From the second phone", "latest": "0"})
    assert second.status_code == 409
    page = html.unescape(second.get_data(as_text=True))
    assert "This changed since you opened it" in page
    assert "From the second phone" in page and "From the first phone" in page
    assert [u.comment for u in _history(db, c.id or 0)] == ["From the first phone"]
    # Saving again from the refreshed form means "keep mine" on purpose.
    again = as_parent.post(url, data={"comment": "From the second phone", "latest": _latest(db, c.id or 0)})
    assert again.status_code == 303


def test_r27_the_comment_is_encrypted_at_rest(as_parent: CsrfClient, db: Session, case: Case) -> None:
    c = _lisas(db, case)
    as_parent.post(
        f"/c/{case.child_id}/commitments/{c.id}/comment", data={"comment": "canary-comment-7731", "latest": "0"}
    )
    raw = db.execute(text("SELECT comment FROM commitment_update")).scalars().all()
    assert raw and all("canary-comment-7731" not in (value or "") for value in raw)


# --- Who may -------------------------------------------------------------------------------------


def test_r5_extra_fields_change_nothing(as_parent: CsrfClient, db: Session, case: Case) -> None:
    c = _lisas(db, case)
    response = as_parent.post(
        f"/c/{case.child_id}/commitments/{c.id}/done",
        data={"done": "1", "member_id": str(case.young_person_id), "commitment_id": "1", "at": "2020-01-01"},
    )
    assert response.status_code == 303
    (update,) = _history(db, c.id or 0)
    assert update.member_id == case.parent_id and update.at.year >= 2025


def test_only_the_carer_whose_commitment_it_is_may_update_it(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, as_parent: CsrfClient, db: Session, case: Case
) -> None:
    c = _lisas(db, case)
    for client in (as_young_person, as_trusted_adult):
        before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
        assert client.post(f"/c/{case.child_id}/commitments/{c.id}/done", data={"done": "1"}).status_code == 404
        db.expire_all()
        denied = db.exec(
            select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.kind == AuditKind.DENIED)
        ).all()
        assert denied, "a refused update is audited (R21)"
    # The draft's copy is not what the family sees: not found, like any other id.
    draft_copy = _lisas(db, case, in_draft=True)
    assert as_parent.post(f"/c/{case.child_id}/commitments/{draft_copy.id}/done").status_code == 404
    kay = people.other_case(db)
    plans.plan(db, kay.child, by=kay.worker)
    assert as_parent.post(f"/c/{kay.child_id}/commitments/{c.id}/done").status_code == 404
    assert _history(db, c.id or 0) == []


def test_the_practitioner_sees_the_status_read_only(
    as_parent: CsrfClient, as_worker: CsrfClient, db: Session, case: Case
) -> None:
    c = _lisas(db, case)
    as_parent.post(f"/c/{case.child_id}/commitments/{c.id}/done", data={"done": "1"})
    as_parent.post(
        f"/c/{case.child_id}/commitments/{c.id}/comment",
        data={"comment": "Going well", "latest": _latest(db, c.id or 0)},
    )
    # The draft (the worker's default page) shows the progress of its agreed twin.
    for path in (f"/children/{case.child_id}", f"/children/{case.child_id}/versions/1"):
        page = html.unescape(as_worker.get(path).get_data(as_text=True))
        section = page[page.index('id="h-carers"') : page.index('id="h-agencies"')]
        assert "Done on " in section and "Their comment: “Going well”" in section
        assert "Mark as done" not in section


def test_the_young_person_page_has_no_commitment_controls(
    as_young_person: CsrfClient, as_parent: CsrfClient, db: Session, case: Case
) -> None:
    page = as_young_person.get(f"/c/{case.child_id}").get_data(as_text=True)
    assert "Mark as done" not in page and "/commitments/" not in page


def test_r28_retention_purges_progress_and_bookmarks_with_the_plan(
    as_parent: CsrfClient, as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    """Core deletes in the purge reach the new tables through their foreign keys (ON DELETE)."""
    c = _lisas(db, case)
    as_parent.post(f"/c/{case.child_id}/commitments/{c.id}/done", data={"done": "1"})
    as_young_person.get(f"/c/{case.child_id}")
    db.expire_all()
    assert db.exec(select(PlanSeen)).first() is not None and _history(db, c.id or 0)
    sam = case.worker
    plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
    assert plan is not None
    closed = close_plan(
        session=db, actor=Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0), plan_id=plan.id or 0
    )
    assert closed.closed_at is not None
    result = purge_closed_plans(session=db, retention=timedelta(days=1), now=closed.closed_at + timedelta(days=2))
    db.commit()
    db.expire_all()
    assert result.plans == 1
    assert db.exec(select(CommitmentUpdate)).first() is None
    assert db.exec(select(PlanSeen).where(PlanSeen.child_id == case.child_id)).first() is None
