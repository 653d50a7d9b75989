"""Each role reaches its own pages, with real plan content, and nobody else's."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from app.people.models import Agency
from app.plans.inputs import AgencyActionInput, NetworkPersonInput, PlaceInput
from app.plans.models import AgencyActionKind, Moment, Safety, StatementKind
from tests.factories import commitments, people, plans
from tests.factories.cowriting import idea
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.clients import CsrfClient


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's plan agreed on 26 October 2026: his words, a safe word, where to take him, Lisa's
    commitment, and what only practitioners see (a person and a place of concern, a disruption
    action); since then Jordan has added an idea to the draft."""
    agreed = plans.agreed_plan(
        db,
        case.child,
        plans.statement("text Mum when I leave school and when I get to football", own_words_of=case.young_person),
        plans.statement("call 999 if I'm scared or hurt", moment=Moment.EMERGENCY, kind=StatementKind.WILL),
        commitments.commitment_input(
            case.parent, "when Jordan returns home I will welcome him back calmly", by_when="every time"
        ),
        NetworkPersonInput(name="'Dino'", relationship="Older male, about 19", safety=Safety.NOT_SAFE),
        PlaceInput(name="Station Road underpass", safety=Safety.NOT_SAFE, notes="Older males gather Fri/Sat"),
        AgencyActionInput(
            agency=Agency.COMMUNITY_SAFETY,
            kind=AgencyActionKind.PREVENT_DISRUPT,
            action="review CCTV coverage at the retail park car park",
            due_on=date(2026, 11, 20),
        ),
        by=case.worker,
        safe_word="pineapple",
        if_missing_take_to="Aunt Dee's house, 14 Larch Close, Millbrook.",
        agreed_on=date(2026, 10, 26),
        review_date=date(2026, 12, 14),
    )
    idea(db, case.child, "ask Aunt Dee to pick me up from boxing if it's dark", by=case.young_person)
    return agreed


def test_young_person_sees_their_agreed_plan(as_young_person: CsrfClient) -> None:
    page = as_young_person.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Hi Jordan" in html
    assert "text Mum when I leave school" in html
    assert "Call 999" in html
    assert "pineapple" in html  # the safe word sits behind a tap (<details>), but it is his
    assert "26 October 2026" in html


def test_young_person_never_sees_people_of_concern(as_young_person: CsrfClient) -> None:
    html = as_young_person.get("/").get_data(as_text=True)
    assert "Dino" not in html
    assert "Station Road underpass" not in html
    assert "CCTV" not in html  # prevent/disrupt actions stay with practitioners


def test_parent_sees_only_their_commitments(as_parent: CsrfClient) -> None:
    html = as_parent.get("/").get_data(as_text=True)
    assert "welcome him back calmly" in html
    assert "pineapple" not in html
    assert "text Mum when I leave school" not in html
    assert "Aunt Dee&#39;s house, 14 Larch Close" not in html


def test_allocated_worker_sees_whole_plan_and_history(as_worker: CsrfClient, case: Case) -> None:
    page = as_worker.get(f"/children/{case.child.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Working draft (version 2)" in html
    assert "Dino" in html
    assert "ask Aunt Dee to pick me up from boxing" in html
    agreed = as_worker.get(f"/children/{case.child.id}/versions/1").get_data(as_text=True)
    assert "Version 1, agreed 26 Oct 2026" in agreed
    assert "ask Aunt Dee to pick me up from boxing" not in agreed


def test_unallocated_worker_gets_not_found(db: Session, case: Case, sign_in: SignIn) -> None:
    kay = people.other_case(db)
    plans.plan(db, kay.child, by=kay.worker)
    alex = sign_in(kay.worker)
    assert alex.get(f"/children/{case.child.id}").status_code == 404
    assert alex.get(f"/children/{kay.child.id}").status_code == 200
