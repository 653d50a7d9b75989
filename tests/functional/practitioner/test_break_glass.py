"""Issue 8, emergency access: find a young person by name and date of birth (no record number), choose
from a handful of matches that show nothing else of them, say why; every missing field is reported
at once, and every search is audited without its words (R3, R21)."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from app import SaferPlan
from app.access.break_glass import MAX_MATCHES
from app.audit.models import AuditEvent, AuditKind
from app.people.inputs import ChildInput
from app.people.models import Practitioner, PractitionerRole
from app.people.operations import create_child
from app.plans.models import StatementKind
from app.timeutil import today
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.clients import CsrfClient

JORDAN = {"name": "Jordan Ellis", "date_of_birth": "2012-05-09"}
REASON = "Police called: Jordan reported missing, his social worker is off duty"


@pytest.fixture
def jordan(db: Session, case: Case) -> Case:
    """Jordan Ellis (born 9 May 2012), his family and Sam, and a plan agreed at a Safer Me meeting with
    words of his own and a safe word: all of it private to a search."""
    plans.agreed_plan(
        db,
        case.child,
        plans.statement("go to boxing on Tuesdays and Thursdays", kind=StatementKind.CAN),
        by=case.worker,
        safe_word="pineapple",
    )
    return case


@pytest.fixture
def alex(db: Session) -> Practitioner:
    """Alex Morgan, Kay's worker, with no link to Jordan."""
    return people.other_case(db).worker


@pytest.fixture
def as_alex(jordan: Case, alex: Practitioner, sign_in: SignIn) -> CsrfClient:
    return sign_in(alex)


def _text(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def _choices(response: Any) -> list[str]:
    """The young people a search lists to choose from, as their labels read."""
    page = response.get_data(as_text=True)
    labels = re.findall(r'<label for="choice-\d+">(.*?)</label>', page, re.S)
    return [" ".join(html.unescape(label).split()) for label in labels]


def _age(born: date) -> int:
    now = today()
    return now.year - born.year - ((now.month, now.day) < (born.month, born.day))


def _audit_after(db: Session, before: int) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(col(AuditEvent.id) > before).order_by(col(AuditEvent.id))).all())


def _last_audit_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def test_a_search_by_name_and_date_of_birth_lists_only_name_birthday_and_age(as_alex: CsrfClient, jordan: Case) -> None:
    expected = [f"Jordan Ellis, born 9 May 2012, age {_age(date(2012, 5, 9))}"]
    for name in ("Jordan Ellis", "jordan", "ELLIS", "  ellis   jordan "):
        found = as_alex.post("/break-glass/search", data={**JORDAN, "name": name})
        assert found.status_code == 200, name
        assert _choices(found) == expected, name
    for born in ("9/5/2012", "09-05-2012", "09.05.2012"):  # day first, as people in England write it
        found = as_alex.post("/break-glass/search", data={**JORDAN, "date_of_birth": born})
        assert _choices(found) == expected, born
    found = as_alex.post("/break-glass/search", data=JORDAN)
    text = _text(found)
    # Nothing else of his record: no family, no workers, no plan, no preferred name.
    for private in ("Lisa", "Denise", "Sam Okafor", "Safer Me", "pineapple", "boxing"):
        assert private not in text
    assert f'value="{jordan.child.id}"' in found.get_data(as_text=True)  # chosen by a radio, never typed


@pytest.mark.parametrize(
    "search",
    [
        {**JORDAN, "name": "Jord"},  # whole words only: no browsing by the first letters
        {**JORDAN, "name": "Jordan Smith"},  # every word typed must be one of his names
        {**JORDAN, "date_of_birth": "2012-05-10"},
        {**JORDAN, "date_of_birth": "05/09/2012"},  # month first is not how England writes it: 5 September
    ],
)
def test_a_search_that_matches_no_one_says_so(as_alex: CsrfClient, search: dict[str, str]) -> None:
    found = as_alex.post("/break-glass/search", data=search)
    assert found.status_code == 200 and _choices(found) == []
    assert "No young person with that name and date of birth" in _text(found)


def test_every_missing_field_is_reported_at_once(as_alex: CsrfClient, jordan: Case) -> None:
    empty_search = as_alex.post("/break-glass/search", data={"name": "", "date_of_birth": ""})
    assert empty_search.status_code == 422
    text = _text(empty_search)
    assert "Enter the young person's name." in text
    assert "Enter their date of birth as day, month and year, like 09/05/2012." in text
    # Choosing no one and giving no reason: both said, the matches shown again, what was typed kept.
    nothing_chosen = as_alex.post("/break-glass", data={**JORDAN, "reason": "urgent"})
    assert nothing_chosen.status_code == 422
    text = _text(nothing_chosen)
    assert "Choose the young person." in text and "Say why you need access now (at least 20 characters)." in text
    assert _choices(nothing_chosen) == [f"Jordan Ellis, born 9 May 2012, age {_age(date(2012, 5, 9))}"]
    assert ">urgent</textarea>" in nothing_chosen.get_data(as_text=True)
    assert 'value="Jordan Ellis"' in nothing_chosen.get_data(as_text=True)


def test_search_choose_and_say_why_opens_the_plan_read_only(as_alex: CsrfClient, db: Session, jordan: Case) -> None:
    assert as_alex.get(f"/children/{jordan.child.id}").status_code == 404
    assert as_alex.post("/break-glass/search", data=JORDAN).status_code == 200
    opened = as_alex.post("/break-glass", data={**JORDAN, "child_id": jordan.child.id, "reason": REASON})
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/children/{jordan.child.id}")
    plan = as_alex.get(f"/children/{jordan.child.id}")
    assert plan.status_code == 200 and "Emergency access: read-only" in _text(plan)


def test_every_search_is_audited_without_the_words_searched_for(
    as_alex: CsrfClient, db: Session, alex: Practitioner, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    before = _last_audit_id(db)
    as_alex.post("/break-glass/search", data=JORDAN)
    as_alex.post("/break-glass/search", data={**JORDAN, "name": "Nobody Known"})
    rows = [e for e in _audit_after(db, before) if e.action == "break_glass.search"]
    searcher = f"practitioner:{alex.id}"
    assert [(e.actor, e.kind, e.detail, e.child_id) for e in rows] == [
        (searcher, AuditKind.READ, "found:1", None),
        (searcher, AuditKind.READ, "found:0", None),
    ]
    for row in _audit_after(db, before):
        stored = " ".join(str(value) for value in row.model_dump().values()).casefold()
        assert "jordan" not in stored and "nobody" not in stored and "2012-05-09" not in stored
    logged = caplog.text.casefold()
    assert "jordan ellis" not in logged and "nobody known" not in logged and "2012-05-09" not in logged


def test_too_many_matches_lists_no_one(as_alex: CsrfClient, db: Session, jordan: Case) -> None:
    for _ in range(MAX_MATCHES + 1):
        create_child(session=db, child=ChildInput(first_name="Sam", last_name="Smith", date_of_birth=date(2011, 3, 3)))
    db.commit()
    found = as_alex.post("/break-glass/search", data={"name": "Sam Smith", "date_of_birth": "2011-03-03"})
    assert found.status_code == 200 and _choices(found) == []
    assert f"More than {MAX_MATCHES} young people have that name and date of birth" in _text(found)


@contextmanager
def _statements(application: SaferPlan) -> Iterator[list[str]]:
    seen: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(application.database.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(application.database.engine, "before_cursor_execute", keep)


def test_the_search_reads_only_children_born_that_day_and_a_bounded_number(
    application: SaferPlan, as_alex: CsrfClient, jordan: Case
) -> None:
    # Names are encrypted at rest, so SQL cannot compare them: the database narrows by date of
    # birth (with a limit), and only those few names are decrypted and compared.
    with _statements(application) as seen:
        as_alex.post("/break-glass/search", data=JORDAN)
    reads = [s for s in seen if re.search(r"\bFROM child\b", s)]
    assert reads and all("child.date_of_birth =" in s and "LIMIT" in s for s in reads), reads


def test_admins_have_no_emergency_access_and_are_not_offered_it(db: Session, jordan: Case, sign_in: SignIn) -> None:
    admin = sign_in(people.practitioner(db, name="Dana Whitfield", role=PractitionerRole.ADMIN, team="Systems"))
    assert "/break-glass" not in admin.get("/").get_data(as_text=True)
    before = _last_audit_id(db)
    assert admin.get("/break-glass").status_code == 404
    assert admin.post("/break-glass/search", data=JORDAN).status_code == 404
    assert admin.post("/break-glass", data={**JORDAN, "child_id": jordan.child.id, "reason": REASON}).status_code == 404
    denied = [e for e in _audit_after(db, before) if e.kind == AuditKind.DENIED]
    assert [e.action for e in denied] == ["break_glass.open"] * 3
    # Everyone else is offered it, a manager included.
    manager = sign_in(
        people.practitioner(db, name="Morgan Lee", role=PractitionerRole.MANAGER, team=jordan.worker.team)
    )
    assert 'href="/break-glass"' in manager.get("/").get_data(as_text=True)
    assert manager.get("/break-glass").status_code == 200
