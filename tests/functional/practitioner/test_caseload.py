"""Issue 8, "managers see nothing": a manager's caseload is their team's cases, with who holds each;
a team member's is the cases they are on; the page costs the same few queries however many cases."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session

from app import SaferPlan
from app.people.models import CaseRole, Practitioner, PractitionerRole
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.clients import CsrfClient


@pytest.fixture
def jordan(db: Session, case: Case) -> Case:
    """Jordan's plan, agreed at a Safer Me meeting on 26 October 2026; Kay is Alex's, in another team."""
    plans.agreed_plan(db, case.child, by=case.worker, agreed_on=date(2026, 10, 26), review_date=date(2026, 12, 14))
    people.other_case(db)
    return case


@pytest.fixture
def morgan(db: Session, jordan: Case) -> Practitioner:
    """Morgan Lee, manager of Sam's team."""
    return people.practitioner(db, name="Morgan Lee", role=PractitionerRole.MANAGER, team=jordan.worker.team)


def _rows(page: str) -> list[str]:
    """The caseload table's rows as plain text, one line each."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def test_a_manager_sees_their_teams_cases_with_who_holds_each(
    sign_in: SignIn, morgan: Practitioner, jordan: Case
) -> None:
    manager = sign_in(morgan)
    page = manager.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "No young people yet" not in text
    rows = _rows(text)
    assert len(rows) == 1  # Jordan (Sam's, in Morgan's team); Kayla is Alex's, in another team
    assert "Jordan Ellis" in rows[0] and "Sam Okafor" in rows[0] and "Your team's case (read-only)" in rows[0]
    assert "Safer Me" in rows[0] and "26 Oct 2026" in rows[0]
    assert f'href="/children/{jordan.child.id}"' in text and "Kayla" not in text
    # The plan opens read-only: no invitation, no access controls.
    plan = manager.get(f"/children/{jordan.child.id}").get_data(as_text=True)
    assert "Jordan Ellis" in plan and "Invite someone to the app" not in plan and "Access and sharing" not in plan


def test_a_team_member_sees_the_cases_they_are_on_read_only(db: Session, sign_in: SignIn, jordan: Case) -> None:
    team_member = people.practitioner(db, name="Terry Nolan", team=jordan.worker.team)
    people.assign(db, team_member, jordan.child, CaseRole.TEAM_MEMBER)
    terry = sign_in(team_member)
    rows = _rows(terry.get("/").get_data(as_text=True))
    assert len(rows) == 1
    assert "Jordan Ellis" in rows[0] and "Team member (read-only)" in rows[0] and "Sam Okafor" in rows[0]


def test_the_allocated_worker_holds_their_own_cases(as_worker: CsrfClient, jordan: Case) -> None:
    rows = _rows(as_worker.get("/").get_data(as_text=True))
    assert len(rows) == 1
    assert "Jordan Ellis" in rows[0] and "Allocated worker" in rows[0] and "You" in rows[0]
    assert "read-only" not in rows[0]


@contextmanager
def _counting(application: SaferPlan) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = application.database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _more_cases(db: Session, sam: Practitioner, how_many: int) -> None:
    """Cases allocated to Sam (Morgan's team), half of them with a plan."""
    for n in range(how_many):
        child = people.child(db, first_name=f"Case{n}", last_name="Test", date_of_birth=date(2011, 1, 1))
        people.assign(db, sam, child)
        if n % 2:
            plans.plan(db, child, by=sam)
    db.commit()


def test_the_caseload_costs_the_same_queries_however_many_cases(
    application: SaferPlan, db: Session, sign_in: SignIn, morgan: Practitioner, jordan: Case
) -> None:
    manager = sign_in(morgan)
    sam = sign_in(jordan.worker)
    counts: dict[str, list[int]] = {"manager": [], "sam": []}
    for extra in (2, 8):
        _more_cases(db, jordan.worker, extra)
        for name, client in (("manager", manager), ("sam", sam)):
            with _counting(application) as statements:
                page = client.get("/")
            assert page.status_code == 200
            counts[name].append(len(statements))
    assert len(_rows(manager.get("/").get_data(as_text=True))) == 11  # Jordan and the ten new cases
    assert counts["manager"][0] == counts["manager"][1], counts
    assert counts["sam"][0] == counts["sam"][1], counts
