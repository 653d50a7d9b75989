"""R29: a refusal keeps everything typed, however long (the request limit bounds what is echoed)."""

from __future__ import annotations

import html

from sqlmodel import Session, col, select

from app.demo.seed import DemoPeople
from app.plans.models import CarerCommitment
from tests.support.clients import CsrfClient

# Longer than any box takes (LONGEST_TEXT is 2,000): refused, and every character must come back.
LONG = ("I will text Aunt Dee when I get there. " * 70)[:2600]


def test_a_refused_idea_comes_back_whole(young_person: CsrfClient, demo: DemoPeople) -> None:
    response = young_person.post(
        f"/c/{demo.jordan_id}/statements", data={"moment": "everyday", "kind": "will", "text": LONG}
    )
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Keep it under" in page
    assert LONG.strip() in page


def test_a_refused_comment_comes_back_whole(parent: CsrfClient, db: Session, demo: DemoPeople) -> None:
    lisas = db.exec(
        select(CarerCommitment).where(CarerCommitment.member_id == demo.parent_id).order_by(col(CarerCommitment.id))
    ).all()
    shown = parent.get(f"/c/{demo.jordan_id}").get_data(as_text=True)
    commitment = next(c for c in lisas if f"commitment-{c.id}" in shown)
    response = parent.post(
        f"/c/{demo.jordan_id}/commitments/{commitment.id}/comment", data={"comment": LONG, "latest": "0"}
    )
    assert response.status_code == 422
    assert LONG.strip() in html.unescape(response.get_data(as_text=True))
