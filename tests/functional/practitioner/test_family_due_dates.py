"""Issue 10 item 4: parents' commitments and the plan's priority actions can fall overdue too.

Each may carry a due date (optional: an ongoing or repeating one has none and is never late by
date). The draft page takes it in a date box and refuses what is not a date, keeping every word
typed; the work tray shows the overdue ones with whose they are and by how many days, for those who
read the whole plan, in the same statements however many cases; the plan shows the date in words.
The clock is frozen (tests.support.incidents.freeze stops app.timeutil) at Monday 30 November 2026.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.demo.seed import DemoPeople
from app.people.models import Agency, FamilyRole, Practitioner
from app.plans.inputs import ActionInput, AgencyActionInput
from app.plans.models import AgencyActionKind, CarerCommitment, PlanAction
from app.plans.versions import draft_of, open_plan_for_child
from tests.factories import commitments, people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.functional.practitioner.test_caseload import _counting
from tests.support import bad_input as bad
from tests.support.clients import CsrfClient
from tests.support.incidents import freeze

TODAY = date(2026, 11, 30)


def _rows(page: str) -> list[str]:
    """The work tray's rows as plain text, one line each."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _action(who: str, what: str, due_on: date | None = None, done_on: date | None = None) -> ActionInput:
    return ActionInput(who=who, action=what, aim="keep safe", success="it happened", due_on=due_on, done_on=done_on)


def _jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's plan agreed with Lisa's one-off commitment due 20 November and an ongoing one, and
    two dated priority actions (Jordan's due 27 November; Sam's due 10 December), one with no date."""
    agreed = plans.agreed_plan(
        db,
        case.child,
        commitments.commitment_input(case.parent, "ask the school for a meeting").model_copy(
            update={"due_on": date(2026, 11, 20)}
        ),
        commitments.commitment_input(case.parent, "welcome Jordan home calmly", by_when="every time"),
        _action("Jordan", "save Aunt Dee's number in his phone", due_on=date(2026, 11, 27)),
        _action("Sam (social worker)", "visit Jordan at school", due_on=date(2026, 12, 10)),
        _action("Jordan", "text Mum after school"),
        by=case.worker,
        review_date=date(2026, 12, 14),
    )
    db.commit()
    return agreed


@pytest.fixture
def late(db: Session, case: Case, monkeypatch: pytest.MonkeyPatch) -> Case:
    freeze(monkeypatch, TODAY)
    _jordans_plan(db, case)
    return case


def test_the_tray_shows_a_late_commitment_and_a_late_action_with_whose_and_by_how_long(
    as_worker: CsrfClient, late: Case
) -> None:
    (jordan,) = _rows(as_worker.get("/").get_data(as_text=True))
    assert f"1 commitment overdue (Parent: {late.parent.display_name}), by 10 days" in jordan
    assert "1 priority action overdue (Jordan), by 3 days" in jordan
    assert "Nothing overdue" not in jordan


def test_done_items_are_not_overdue(db: Session, as_worker: CsrfClient, late: Case) -> None:
    """Lisa marks hers done on her phone (in the version she sees); Sam records Jordan's as done in the draft."""
    plan = open_plan_for_child(session=db, child_id=late.child_id)
    assert plan is not None
    agreed_commitment = db.exec(
        select(CarerCommitment).where(CarerCommitment.due_on == date(2026, 11, 20)).order_by(col(CarerCommitment.id))
    ).first()
    assert agreed_commitment is not None
    commitments.done(db, late.child, agreed_commitment, by=late.parent)
    draft = draft_of(session=db, plan_id=plan.id or 0)
    action = db.exec(
        select(PlanAction).where(PlanAction.version_id == draft.id, PlanAction.due_on == date(2026, 11, 27))
    ).one()
    action.done_on = date(2026, 11, 28)
    db.add(action)
    db.commit()
    (jordan,) = _rows(as_worker.get("/").get_data(as_text=True))
    assert "commitment overdue" not in jordan and "priority action overdue" not in jordan
    assert "Nothing overdue" in jordan


def test_overdue_only_keeps_a_case_whose_only_late_item_is_a_commitment(
    db: Session, as_worker: CsrfClient, late: Case
) -> None:
    quiet = people.child(db, first_name="Bea", last_name="Test", date_of_birth=date(2011, 1, 1))
    people.assign(db, late.worker, quiet)
    plans.agreed_plan(db, quiet, _action("Bea", "join the library"), by=late.worker, review_date=date(2026, 12, 20))
    db.commit()
    assert [row.split()[0] for row in _rows(as_worker.get("/").get_data(as_text=True))] == ["Jordan", "Bea"]
    overdue = [row.split()[0] for row in _rows(as_worker.get("/?overdue=1").get_data(as_text=True))]
    assert overdue == ["Jordan"]


def test_an_agency_partner_is_not_told_of_the_familys_late_items(db: Session, sign_in: SignIn, late: Case) -> None:
    """PC Hughes reads his agency's actions, not the plan: no carer's name, no family action on his row."""
    rhys = sign_in(people.police_partner(db, late.child))
    db.commit()
    (jordan,) = _rows(rhys.get("/").get_data(as_text=True))
    assert "commitment" not in jordan and "priority action" not in jordan
    assert late.parent.display_name not in jordan


def _many(db: Session, worker: Practitioner, start: int, how_many: int) -> None:
    """Cases each with a late commitment and a late priority action (and a late agency action)."""
    for n in range(start, start + how_many):
        child = people.child(db, first_name=f"Case{n:03d}", last_name="Test", date_of_birth=date(2011, 1, 1))
        carer = people.family_member(db, child, name=f"Carer {n}", role=FamilyRole.PARENT_CARER)
        people.assign(db, worker, child)
        plans.agreed_plan(
            db,
            child,
            commitments.commitment_input(carer, "phone the school").model_copy(update={"due_on": date(2026, 11, 2)}),
            _action(f"Case{n:03d}", "save the numbers", due_on=date(2026, 11, 3)),
            AgencyActionInput(
                agency=Agency.POLICE, kind=AgencyActionKind.INCREASE_SAFETY, action="patrol", due_on=date(2026, 11, 4)
            ),
            by=worker,
            review_date=date(2026, 12, 20),
        )
    db.commit()


def test_a_page_costs_the_same_statements_for_3_and_for_30_cases_with_late_family_items(
    application: SaferPlan, db: Session, as_worker: CsrfClient, late: Case
) -> None:
    counts = []
    done = 1
    for total in (3, 30):
        _many(db, late.worker, done, total - done)
        done = total
        with _counting(application) as statements:
            page = as_worker.get("/")
        rows = _rows(page.get_data(as_text=True))
        assert len(rows) == total
        assert all("commitment overdue" in row and "priority action overdue" in row for row in rows)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# The draft page: a date box for each, its words kept when it is refused.
ACTION = {"section": "actions", "who": "Jordan", "action": "save the numbers", "aim": "reach help", "success": "saved"}
COMMITMENT = {"section": "commitments", "who": "Lisa", "kind": "do", "commitment": "phone the school"}


def _url(demo: DemoPeople, tail: str = "") -> str:
    return f"/children/{demo.jordan_id}/draft{tail}"


def _draft_row(db: Session, demo: DemoPeople, model: type[PlanAction] | type[CarerCommitment], **where: str):  # type: ignore[no-untyped-def]
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    db.expire_all()
    draft = draft_of(session=db, plan_id=plan.id or 0)
    query = select(model).where(model.version_id == draft.id)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.exec(query).one()


def test_a_due_date_is_saved_and_the_plan_says_it_in_words(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    assert allocated_worker.post(_url(demo, "/items"), data={**ACTION, "due_on": "2026-12-12"}).status_code == 303
    assert allocated_worker.post(_url(demo, "/items"), data={**COMMITMENT, "due_on": "2026-12-14"}).status_code == 303
    action = _draft_row(db, demo, PlanAction, action="save the numbers")
    commitment = _draft_row(db, demo, CarerCommitment, commitment="phone the school")
    assert (action.due_on, action.done_on, commitment.due_on) == (date(2026, 12, 12), None, date(2026, 12, 14))
    page = allocated_worker.get(_url(demo)).get_data(as_text=True)
    assert "By 12 December 2026" in page and "By 14 December 2026" in page
    assert re.search(rf'id="c-actions-{action.id}-due_on"[^>]*value="2026-12-12"', page)
    # Left empty, there is no date: an ongoing action.
    assert allocated_worker.post(_url(demo, "/items"), data={**ACTION, "action": "keep going"}).status_code == 303
    assert _draft_row(db, demo, PlanAction, action="keep going").due_on is None
    # Done: the day it was done, which takes it off the overdue list.
    change = {**ACTION, "item_id": str(action.id), "revision": str(action.revision), "due_on": "2026-12-12"}
    response = allocated_worker.post(_url(demo, "/items/change"), data={**change, "done_on": "2026-12-01"})
    assert response.status_code == 303
    done = _draft_row(db, demo, PlanAction, action="save the numbers")
    assert done.done_on == date(2026, 12, 1) and not done.is_overdue(date(2026, 12, 31))
    assert "Done 1 December 2026" in allocated_worker.get(_url(demo)).get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("next Friday", "Enter the date it is due, like 2026-12-14, or leave the date empty."),
        ("2026-02-30", "Enter the date it is due"),
        ("0226-12-12", "Check the year: enter a date like 2026-12-14."),
        ("20266-12-12", "Enter the date it is due"),
    ],
)
@pytest.mark.parametrize("form", [ACTION, COMMITMENT], ids=["action", "commitment"])
def test_a_due_date_that_is_not_a_date_is_refused_beside_the_box_keeping_every_word(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople, form: dict[str, str], typed: str, message: str
) -> None:
    section = form["section"]
    response = allocated_worker.post(_url(demo, "/items"), data={**form, "due_on": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="field-error" id="add-{section}-due_on-error">(.*?)</p>', page)
    assert error is not None and message in html.unescape(error.group(1))
    assert re.search(rf'id="add-{section}-due_on"[^>]*aria-invalid="true"', page)
    assert f'value="{typed}"' in page  # the typed date is given back
    words = form.get("action") or form["commitment"]
    assert words in page and any(message[:20] in alert for alert in bad.alerts(page))
    model = PlanAction if section == "actions" else CarerCommitment
    column = PlanAction.action if section == "actions" else CarerCommitment.commitment
    db.expire_all()
    assert db.exec(select(model).where(column == words)).first() is None  # nothing saved


def test_a_done_date_that_is_not_a_date_is_refused_too(allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    response = allocated_worker.post(_url(demo, "/items"), data={**ACTION, "done_on": "yesterday"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="add-actions-done_on-error">(.*?)</p>', page)
    assert error is not None and "Enter the day it was done" in error.group(1)
    assert 'value="yesterday"' in page and "save the numbers" in page


def test_the_family_plan_says_when_in_words(db: Session, sign_in: SignIn, late: Case) -> None:
    """Lisa reads her commitment's date ("By 20 November 2026"), and Jordan his action's."""
    page = sign_in(late.parent).get(f"/c/{late.child_id}").get_data(as_text=True)
    assert "By 20 November 2026" in html.unescape(page)
    yp = sign_in(late.young_person).get(f"/c/{late.child_id}").get_data(as_text=True)
    assert "By 27 November 2026" in html.unescape(yp)


def test_the_demo_tray_shows_the_demo_familys_late_items(
    demo: DemoPeople, allocated_worker: CsrfClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, TODAY)
    rows = _rows(allocated_worker.get("/").get_data(as_text=True))
    jordan = next(row for row in rows if row.startswith("Jordan"))
    assert "1 commitment overdue (Parent: Lisa (Mum)), by 14 days" in jordan
    assert "1 priority action overdue (Jordan), by 17 days" in jordan
