"""R29: a refusal keeps everything typed, however long (the request limit bounds what is echoed)."""

from __future__ import annotations

import html

import pytest
from sqlmodel import Session

from app.plans.models import CarerCommitment
from tests.factories import commitments, plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient

# Longer than any box takes (LONGEST_TEXT is 2,000): refused, and every character must come back.
LONG = ("I will text Aunt Dee when I get there. " * 70)[:2600]


@pytest.fixture
def lisas_commitment(db: Session, case: Case) -> CarerCommitment:
    """Jordan's agreed plan with one commitment of Lisa's (his draft is open for ideas)."""
    agreed = plans.agreed_plan(
        db,
        case.child,
        commitments.commitment_input(case.parent, "report Jordan missing to the police", by_when="by 10pm"),
        by=case.worker,
    )
    (commitment,) = agreed.items
    assert isinstance(commitment, CarerCommitment)
    return commitment


def test_a_refused_idea_comes_back_whole(
    as_young_person: CsrfClient, case: Case, lisas_commitment: CarerCommitment
) -> None:
    response = as_young_person.post(
        f"/c/{case.child.id}/statements", data={"moment": "everyday", "kind": "will", "text": LONG}
    )
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Keep it under" in page
    assert LONG.strip() in page


def test_a_refused_comment_comes_back_whole(
    as_parent: CsrfClient, case: Case, lisas_commitment: CarerCommitment
) -> None:
    shown = as_parent.get(f"/c/{case.child.id}").get_data(as_text=True)
    assert f"commitment-{lisas_commitment.id}" in shown
    response = as_parent.post(
        f"/c/{case.child.id}/commitments/{lisas_commitment.id}/comment", data={"comment": LONG, "latest": "0"}
    )
    assert response.status_code == 422
    assert LONG.strip() in html.unescape(response.get_data(as_text=True))
