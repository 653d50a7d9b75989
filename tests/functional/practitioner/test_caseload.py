"""Issue 8, "managers see nothing": a manager's caseload is their team's cases, with who holds each;
a team member's is the cases they are on; the page costs the same few queries however many cases."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from app import SaferPlan
from app.actors import Actor
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.people.inputs import AssignmentInput, ChildInput
from app.people.models import CaseRole
from app.people.operations import assign_practitioner, create_child
from app.plans.versions import start_plan
from tests.support.clients import CsrfClient, make_client
from tests.support.roles import add_team_member, practitioner_id
from tests.support.signin import sign_in_as


def _as(application: SaferPlan, db: Session, email: str) -> CsrfClient:
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=practitioner_id(db, email))
    return client


def _rows(page: str) -> list[str]:
    """The caseload table's rows as plain text, one line each."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def test_a_manager_sees_their_teams_cases_with_who_holds_each(
    application: SaferPlan, db: Session, demo: DemoPeople
) -> None:
    manager = _as(application, db, demo.manager_email)
    page = manager.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "No young people yet" not in text
    rows = _rows(text)
    assert len(rows) == 1  # Jordan (Sam's, in Morgan's team); Kayla is Alex's, in another team
    assert "Jordan Ellis" in rows[0] and "Sam Okafor" in rows[0] and "Your team's case (read-only)" in rows[0]
    assert "Safer Me" in rows[0] and "26 Oct 2026" in rows[0]
    assert f'href="/children/{demo.jordan_id}"' in text and "Kayla" not in text
    # The plan opens read-only: no invitation, no access controls.
    plan = manager.get(f"/children/{demo.jordan_id}").get_data(as_text=True)
    assert "Jordan Ellis" in plan and "Invite someone to the app" not in plan and "Access and sharing" not in plan


def test_a_team_member_sees_the_cases_they_are_on_read_only(
    application: SaferPlan, db: Session, demo: DemoPeople
) -> None:
    add_team_member(db, demo)
    db.commit()
    terry = _as(application, db, "terry.nolan@example.org")
    rows = _rows(terry.get("/").get_data(as_text=True))
    assert len(rows) == 1
    assert "Jordan Ellis" in rows[0] and "Team member (read-only)" in rows[0] and "Sam Okafor" in rows[0]


def test_the_allocated_worker_holds_their_own_cases(allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    rows = _rows(allocated_worker.get("/").get_data(as_text=True))
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


def _more_cases(db: Session, demo: DemoPeople, how_many: int) -> None:
    """Cases allocated to Sam (Morgan's team), half of them with a plan."""
    sam = practitioner_id(db, demo.social_worker_email)
    for n in range(how_many):
        child = create_child(
            session=db, child=ChildInput(first_name=f"Case{n}", last_name="Test", date_of_birth=date(2011, 1, 1))
        )
        assign_practitioner(
            session=db,
            child_id=child.id or 0,
            assignment=AssignmentInput(practitioner_id=sam, case_role=CaseRole.ALLOCATED_WORKER),
        )
        if n % 2:
            start_plan(session=db, actor=Actor(kind=AccountKind.PRACTITIONER, account_id=sam), child_id=child.id or 0)
    db.commit()


def test_the_caseload_costs_the_same_queries_however_many_cases(
    application: SaferPlan, db: Session, demo: DemoPeople
) -> None:
    manager = _as(application, db, demo.manager_email)
    sam = _as(application, db, demo.social_worker_email)
    counts: dict[str, list[int]] = {"manager": [], "sam": []}
    for extra in (2, 8):
        _more_cases(db, demo, extra)
        for name, client in (("manager", manager), ("sam", sam)):
            with _counting(application) as statements:
                page = client.get("/")
            assert page.status_code == 200
            counts[name].append(len(statements))
    assert len(_rows(manager.get("/").get_data(as_text=True))) == 11  # Jordan and the ten new cases
    assert counts["manager"][0] == counts["manager"][1], counts
    assert counts["sam"][0] == counts["sam"][1], counts
