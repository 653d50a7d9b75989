"""Dates that are dates (issue 8): an agency action's "by/at" is a due date, plus words if it repeats.

"not a date at all, whenever" used to be accepted as the by/at of a police action. Now the agency
partner picks a date (a date box), may add how often the action repeats ("every Friday"), and
anything that is not a date is refused with words that say what to change. Stored as a date, an
action can say when it is overdue.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import Session

from app.people.models import Agency
from app.plans.inputs import AgencyActionInput
from app.plans.models import AgencyAction, AgencyActionKind
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.bad_input import agency_action_forms, alerts, visible_text
from tests.support.clients import CsrfClient


@pytest.fixture
def jordan(db: Session, case: Case) -> Case:
    """Jordan's agreed plan with two dated agency actions: the police's one-off Trigger Plan and the
    school's daily check-in."""
    plans.agreed_plan(
        db,
        case.child,
        AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="set up the Police Trigger Plan (recent photo, places Jordan may go, safe word)",
            due_on=date(2026, 11, 2),
            is_police_trigger_plan=True,
        ),
        AgencyActionInput(
            agency=Agency.SCHOOL,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="have Ms Patel (DSL) check in with Jordan at morning break",
            due_on=date(2026, 10, 27),
            repeats="every school day",
        ),
        by=case.worker,
    )
    return case


@pytest.fixture
def agency_partner(db: Session, jordan: Case, sign_in: SignIn) -> CsrfClient:
    """PC Rhys Hughes, police, an agency partner on Jordan's case."""
    return sign_in(people.police_partner(db, jordan.child))


def _police_action(partner: CsrfClient, db: Session, jordan: Case) -> AgencyAction:
    """The first action on Rhys's page (the police's, in the draft), as stored."""
    forms = agency_action_forms(partner.get(f"/children/{jordan.child.id}/agency-actions").get_data(as_text=True))
    assert forms, "Rhys sees no police action"
    action = db.get(AgencyAction, forms[0].action_id)
    assert action is not None and action.agency == "police"
    return action


def _post(partner: CsrfClient, jordan: Case, action: AgencyAction, **fields: str) -> tuple[int, str]:
    data = {"action_id": str(action.id), "revision": str(action.revision), "action": action.action, **fields}
    response = partner.post(f"/children/{jordan.child.id}/agency-actions", data=data)
    return response.status_code, response.get_data(as_text=True)


def test_words_that_are_not_a_date_are_refused_and_nothing_changes(
    agency_partner: CsrfClient, db: Session, jordan: Case
) -> None:
    action = _police_action(agency_partner, db, jordan)
    before = (action.due_on, action.repeats, action.revision)
    status, page = _post(agency_partner, jordan, action, due_on="not a date at all, whenever")
    assert status == 422
    assert any("Enter a date, like 2026-12-14." in message for message in alerts(page))
    status, page = _post(agency_partner, jordan, action, due_on="")
    assert status == 422
    assert any("Choose the date this is due" in message for message in alerts(page))
    status, page = _post(agency_partner, jordan, action, due_on="0226-11-02")  # a mistyped year
    assert status == 422
    assert any("Check the year" in message for message in alerts(page))
    db.expire_all()
    again = db.get(AgencyAction, action.id)
    assert again is not None and (again.due_on, again.repeats, again.revision) == before


def test_a_due_date_and_repeat_words_are_kept_and_shown_as_dates(
    agency_partner: CsrfClient, as_worker: CsrfClient, db: Session, jordan: Case
) -> None:
    action = _police_action(agency_partner, db, jordan)
    status, _page = _post(agency_partner, jordan, action, due_on="2026-12-01", repeats="every Friday")
    assert status == 303
    db.expire_all()
    saved = db.get(AgencyAction, action.id)
    assert saved is not None and saved.due_on == date(2026, 12, 1) and saved.repeats == "every Friday"
    # The partner's form shows a date box holding the date, and the words beside it.
    form = next(
        f
        for f in agency_action_forms(agency_partner.get(f"/children/{jordan.child.id}/agency-actions").get_data(True))
        if f.action_id == action.id
    )
    assert (form.due_on, form.repeats) == ("2026-12-01", "every Friday")
    page = agency_partner.get(f"/children/{jordan.child.id}/agency-actions").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="due_on"[^>]*type="date"', page)
    # The worker reads the date in words, through Babel.
    worker_page = visible_text(as_worker.get(f"/children/{jordan.child.id}").get_data(as_text=True))
    assert "When: every Friday, from 1 December 2026" in worker_page


def test_the_plans_dates_read_as_dates(as_young_person: CsrfClient, jordan: Case) -> None:
    # (That every action in the demo has a due date is tests/unit/demo/test_seed.py's to say.)
    page = visible_text(as_young_person.get(f"/c/{jordan.child.id}").get_data(as_text=True))
    assert "By 2 November 2026" in page  # the Police Trigger Plan
    assert "School will have Ms Patel (DSL) check in with Jordan at morning break" in page
    assert "When: every school day, from 27 October 2026" in page


def test_only_a_one_off_action_past_its_date_is_overdue() -> None:
    one_off = AgencyAction(agency="police", kind="increase_safety", action="a", version_id=1, due_on=date(2026, 11, 2))
    repeating = AgencyAction(
        agency="police", kind="increase_safety", action="b", version_id=1, due_on=date(2026, 11, 2), repeats="weekly"
    )
    undated = AgencyAction(agency="police", kind="increase_safety", action="c", version_id=1, repeats="ongoing")
    assert not one_off.is_overdue(date(2026, 11, 2)) and one_off.is_overdue(date(2026, 11, 3))
    assert not repeating.is_overdue(date(2027, 1, 1))
    assert not undated.is_overdue(date(2027, 1, 1))
