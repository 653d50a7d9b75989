"""Issue 10 item 5: an agency partner says how their agency's action is going. Updates only add rows
(two partners writing at once both keep their words); a refusal keeps what was typed (R29); no one but
a partner of that agency may write one (R2); the plan shows the history, and it follows the action
into the next draft when a version is agreed."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlmodel import Session, col, select

from app.agency_actions.models import AgencyActionUpdate
from app.audit.models import AuditEvent
from app.people.models import Agency
from app.plans import versions
from app.plans.inputs import AgencyActionInput
from app.plans.models import AgencyAction, AgencyActionKind
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support import bad_input as bad
from tests.support.clients import CsrfClient

NOTE = "Met Jordan's mum on Tuesday;\nthe trigger plan is with the missing persons unit"


@pytest.fixture
def rhys(db: Session, case: Case, sign_in: SignIn) -> CsrfClient:
    """PC Hughes, police partner on Jordan's case, whose agreed plan has one police action and one school action."""
    police = people.police_partner(db, case.child)
    plans.agreed_plan(
        db,
        case.child,
        AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="set up the Police Trigger Plan",
            due_on=date(2026, 11, 2),
        ),
        AgencyActionInput(
            agency=Agency.SCHOOL,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="give Jordan a quiet room at lunch",
            due_on=date(2026, 11, 9),
        ),
        by=case.worker,
    )
    db.commit()
    return sign_in(police)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _draft_action(db: Session, case: Case, agency: Agency) -> AgencyAction:
    draft = versions.open_draft(session=db, child_id=case.child_id)
    return db.exec(select(AgencyAction).where(AgencyAction.version_id == draft.id, AgencyAction.agency == agency)).one()


def _updates(db: Session) -> list[AgencyActionUpdate]:
    db.expire_all()
    return list(db.exec(select(AgencyActionUpdate).order_by(col(AgencyActionUpdate.id))).all())


def _add(client: CsrfClient, case: Case, action_id: int, note: str) -> tuple[int, str, str]:
    answer = client.post(f"/children/{case.child_id}/agency-actions/{action_id}/updates", data={"note": note})
    return answer.status_code, answer.headers.get("Location", ""), answer.get_data(as_text=True)


def test_a_partner_adds_an_update_and_the_worker_reads_it_on_the_plan(
    rhys: CsrfClient, as_worker: CsrfClient, db: Session, case: Case
) -> None:
    action = _draft_action(db, case, Agency.POLICE)
    assert "No updates yet" in _text(rhys.get(f"/children/{case.child_id}/agency-actions").get_data(as_text=True))
    status, location, _page = _add(rhys, case, action.id or 0, NOTE)
    assert status == 303 and location.endswith(f"/children/{case.child_id}/agency-actions?noted=1#updates-{action.id}")
    [row] = _updates(db)
    assert (row.action_id, row.written_by, row.note) == (action.id, "PC Rhys Hughes", NOTE)
    audit = db.exec(select(AuditEvent).where(AuditEvent.entity == "agency_action_update")).one()
    assert (audit.entity_id, audit.action, audit.child_id) == (row.id, "created", case.child_id)
    page = _text(rhys.get(f"/children/{case.child_id}/agency-actions?noted=1").get_data(as_text=True))
    assert "Update added." in page and "PC Rhys Hughes" in page and "Met Jordan's mum on Tuesday;" in page
    plan = _text(as_worker.get(f"/children/{case.child_id}").get_data(as_text=True))
    assert "1 update, the latest on" in plan and "by PC Rhys Hughes" in plan
    assert "the trigger plan is with the missing persons unit" in plan


@pytest.mark.parametrize(
    ("note", "message"),
    [("", "Say how the action is going."), (" \u200b ", "This looks blank"), ("x" * 1001, "1000")],
)
def test_a_refused_update_keeps_the_words_and_writes_nothing(
    rhys: CsrfClient, db: Session, case: Case, note: str, message: str
) -> None:
    action = _draft_action(db, case, Agency.POLICE)
    status, _location, page = _add(rhys, case, action.id or 0, note)
    assert status == 422
    assert any(message in alert for alert in bad.alerts(page)), bad.alerts(page)
    box = re.search(rf'<textarea id="note-{action.id}"[^>]*aria-invalid="true"[^>]*>(.*?)</textarea>', page, re.S)
    assert box is not None and html.unescape(box.group(1)) == note
    assert _updates(db) == []


def test_only_a_partner_of_that_agency_may_add_an_update(
    rhys: CsrfClient, as_worker: CsrfClient, db: Session, case: Case
) -> None:
    school_action = _draft_action(db, case, Agency.SCHOOL)
    police_action = _draft_action(db, case, Agency.POLICE)
    # Another agency's action, an action that does not exist, or not a partner at all: not found,
    # and a refusal's form is never shown to them (the words are checked after who may write).
    for client, action_id, note in (
        (rhys, school_action.id or 0, "done"),
        (rhys, 999_999, "done"),
        (rhys, school_action.id or 0, ""),
        (as_worker, police_action.id or 0, "done"),
        (as_worker, police_action.id or 0, ""),
    ):
        status, _location, page = _add(client, case, action_id, note)
        assert status == 404, (action_id, note)
        assert "There is a problem" not in page
    assert _updates(db) == []


def test_the_history_follows_the_action_into_the_next_draft(
    rhys: CsrfClient, as_worker: CsrfClient, db: Session, case: Case
) -> None:
    first = _draft_action(db, case, Agency.POLICE)
    assert _add(rhys, case, first.id or 0, "First call made")[0] == 303
    # Sam agrees the draft: the police action is copied into a new draft with a new id.
    plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
    assert plan is not None
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    versions.agree_draft(
        session=db,
        actor=people.actor(case.worker),
        plan_id=plan.id or 0,
        agreement=versions.Agreement(
            agreed_by="Jordan, Sam Okafor",
            agreed_on=date(2026, 11, 30),
            shared_with="Jordan",
            review_date=date(2027, 1, 11),
            expected_revision=draft.revision,
        ),
    )
    db.commit()
    second = _draft_action(db, case, Agency.POLICE)
    assert second.id != first.id
    page = _text(rhys.get(f"/children/{case.child_id}/agency-actions").get_data(as_text=True))
    assert "First call made" in page
    # Two partners writing at once would both be kept: updates only add rows.
    assert _add(rhys, case, second.id or 0, "Trigger plan signed off")[0] == 303
    assert _add(rhys, case, second.id or 0, "Shared with the missing persons unit")[0] == 303
    notes = [u.note for u in _updates(db)]
    assert notes == ["First call made", "Trigger plan signed off", "Shared with the missing persons unit"]
    plan_page = _text(as_worker.get(f"/children/{case.child_id}").get_data(as_text=True))
    assert "3 updates, the latest on" in plan_page
    assert plan_page.index("Shared with the missing persons unit") < plan_page.index("First call made")
