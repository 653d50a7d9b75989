"""Each role reaches its own pages, with real plan content, and nobody else's."""

from __future__ import annotations

from app.demo.seed import DemoPeople
from tests.support.clients import CsrfClient


def test_young_person_sees_their_agreed_plan(young_person: CsrfClient) -> None:
    page = young_person.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Hi Jordan" in html
    assert "text Mum when I leave school" in html
    assert "Call 999" in html
    assert "pineapple" in html  # the safe word sits behind a tap (<details>), but it is his
    assert "26 October 2026" in html


def test_young_person_never_sees_people_of_concern(young_person: CsrfClient) -> None:
    html = young_person.get("/").get_data(as_text=True)
    assert "Dino" not in html
    assert "Station Road underpass" not in html
    assert "CCTV" not in html  # prevent/disrupt actions stay with practitioners


def test_parent_sees_only_their_commitments(parent: CsrfClient) -> None:
    html = parent.get("/").get_data(as_text=True)
    assert "welcome him back calmly" in html
    assert "pineapple" not in html
    assert "text Mum when I leave school" not in html
    assert "Aunt Dee&#39;s house, 14 Larch Close" not in html


def test_allocated_worker_sees_whole_plan_and_history(allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    page = allocated_worker.get(f"/children/{demo.jordan_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Working draft (version 2)" in html
    assert "Dino" in html
    assert "ask Aunt Dee to pick me up from boxing" in html
    agreed = allocated_worker.get(f"/children/{demo.jordan_id}/versions/1").get_data(as_text=True)
    assert "Version 1, agreed 26 Oct 2026" in agreed
    assert "ask Aunt Dee to pick me up from boxing" not in agreed


def test_unallocated_worker_gets_not_found(unallocated_worker: CsrfClient, demo: DemoPeople) -> None:
    assert unallocated_worker.get(f"/children/{demo.jordan_id}").status_code == 404
    assert unallocated_worker.get(f"/children/{demo.kayla_id}").status_code == 200
